"""SMS's metrics, in Prometheus' registry beside the hub's (chatserver.metrics); docs/operations.md
lists them. The outbox's depth is read when /metrics is scraped (:func:`scrape`, registered
as ``Services.metrics_scrapes["sms_outbox"]`` by sms/feature.py), in the serving node and in
``chatserver sms-worker`` alike."""

from __future__ import annotations

from prometheus_client import Counter, Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services
from sms.storage.metrics import outbox_depth

__all__ = ["SMS_GATEWAY_ERRORS", "SMS_OUTBOX", "SMS_SUBMITS", "scrape"]

SMS_OUTBOX = Gauge("chatserver_sms_outbox", "SMS outbox rows not final yet, by state (the whole database's).",
                   ["state"])
SMS_SUBMITS = Counter("chatserver_sms_submits", "SMS submits by gateway and outcome.", ["gateway", "outcome"])
SMS_GATEWAY_ERRORS = Counter("chatserver_sms_gateway_errors", "SMS gateway calls that raised, and dispatcher "
                             "rounds that failed.", ["gateway"])


async def scrape(svc: Services, session: AsyncSession) -> None:
    """The outbox's rows per state, now."""
    for state, count in (await outbox_depth(session)).items():
        SMS_OUTBOX.labels(state).set(count)
