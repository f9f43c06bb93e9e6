"""Video's part of the demo (``serve --demo``, ``Feature.demo``): a candidate's record with a
planned, recorded interview (its invitation lands in the demo's outbox, /demo/mail) and a
short recording to play in the record's timeline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from chatserver.actions.context import Services
from chatserver.db.models import User
from signaling import appointments
from signaling.sample import keep_sample

__all__ = ["seed"]


async def seed(svc: Services, users: Mapping[str, User], records: Mapping[str, int]) -> None:
    anna, bram = users["anna"], users["bram"]
    piet = records.get("Piet Pieters")
    if piet is None:
        return
    zone = ZoneInfo(svc.config.time_zone)
    # 10:00 tomorrow on the organisation's clocks, tomorrow by the service's clock (a test's too).
    day = svc.clock.now().astimezone(zone).date() + timedelta(days=1)
    tomorrow = datetime.combine(day, time(10, 0), tzinfo=zone)
    # The demo serves at the address its recorder is pointed at; the link in the mail uses it.
    base_url = (svc.config.demo_hub_url or "http://127.0.0.1:8000").rstrip("/") + "/"
    await appointments.plan(svc, anna, record_id=piet, starts_at=tomorrow, minutes=30, colleagues=[bram.id],
                            candidate_email=None, candidate_name=None, recorded=True, base_url=base_url)
    await keep_sample(svc, anna, piet, seconds=4.0)
