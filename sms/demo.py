"""SMS's part of the demo (``serve --demo``, ``Feature.demo``): a default sender, credits,
a group, a subscription and a dynamic group, so the module works at once; one message
sent now (the embedded gateway reports it delivered), one for tomorrow morning, and one
sent from a candidate's record (SM-8)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chatserver.actions import settings
from chatserver.actions.context import Services
from chatserver.db.models import Record, User
from chatserver.storage import directory
from sms.actions import credits, groups, lifecycle

__all__ = ["seed"]


async def _person_ids(svc: Services, tenant_id: int, records: Mapping[str, int], names: list[str]) -> list[int]:
    """The people behind the candidates' records, in the order named (those that exist)."""
    out = []
    async with svc.read() as s:
        for name in names:
            if name in records:
                record = await directory.get_owned(s, Record, tenant_id, records[name])
                if record.person_id is not None:
                    out.append(record.person_id)
    return out


async def seed(svc: Services, users: Mapping[str, User], records: Mapping[str, int]) -> None:
    key_user, anna = users["kees"], users["anna"]
    await settings.set_tenant_setting(svc, key_user, "sms.default_sender", "DemoStaff")
    await credits.top_up(svc, key_user, {"amount": 500, "note": "demo credits"})
    people = await _person_ids(svc, key_user.tenant_id, records,
                               ["Piet Pieters", "Fatima El Amrani", "Jan de Boer"])
    group = await groups.create_group(svc, key_user, {"name": "Weekend crew"})
    await groups.add_members(svc, key_user, group["id"], {"members": [
        *({"person_id": p} for p in people[:2]), {"user_id": anna.id},
        {"name": "Reception", "number": "06-87654321"},
    ]})
    sub = await groups.create_subscription(svc, key_user, {"name": "Vacancy alerts"})
    await groups.set_subscribed(svc, key_user, sub["id"], {"person_ids": people[:3]}, joined=True)
    await groups.create_dynamic(svc, key_user, {"name": "All drivers", "rules": [
        {"field": "function", "op": "equals", "value": "Chauffeur"}]})
    await lifecycle.compose(svc, anna, {
        "subject": "Sollicitatie Piet", "body": "Beste Piet, vrijdag om 10:00 is bevestigd. Tot dan! Anna, Demo Staffing",
        "recipients": [{"type": "number", "number": "06-12345678"}],
    })
    # Tomorrow at 07:30 on the organisation's clocks (Config.time_zone), not in UTC: the
    # Dutch demo user sees the morning message planned for 07:30.
    zone = ZoneInfo(svc.config.time_zone)
    day = svc.clock.now().astimezone(zone).date() + timedelta(days=1)
    tomorrow = datetime.combine(day, time(7, 30), tzinfo=zone).astimezone(UTC)
    await lifecycle.compose(svc, anna, {
        "subject": "Weekendploeg", "body": "Wie kan er zaterdag 8:00-16:00 in het magazijn? Antwoord met JA.",
        "recipients": [{"type": "number", "number": "06-23456789"}, {"type": "number", "number": "+31 6 34567890"}],
        "send_at": tomorrow.isoformat(),
    })
    piet = records.get("Piet Pieters")
    if piet is not None and people:
        await lifecycle.compose(svc, anna, {
            "subject": "Intake Piet", "body": "Beste Piet, bedankt voor het gesprek. Tot morgen! Groet, Anna",
            "recipients": [{"type": "person", "id": people[0]}], "record_ids": [piet]})
