"""The shapes the REST API answers and the events carry (docs/sms.md), and who hears of a change.

The dispatcher's outbox actions use :func:`recipient_dict` and :func:`audience` too, so
an ``sms.recipient`` event always carries the row as the REST detail shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Tx
from sms.models import SmsMessage, SmsRecipient
from sms.storage import messages as store

__all__ = [
    "COUNT_STATES",
    "audience",
    "iso",
    "message_name",
    "publish_message",
    "recipient_dict",
    "summaries",
]

COUNT_STATES = ("pending", "submitting", "submitted", "delivered", "failed", "unknown", "skipped")
_EDITABLE = ("awaiting_approval", "scheduled")


def iso(value: datetime | None) -> str | None:
    """UTC with a ``Z``: the one date format the API answers with."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def message_name(msg: SmsMessage) -> str:
    """The subject, or the first words of the text (the queue's "name" column)."""
    if msg.subject:
        return msg.subject
    words = msg.body.split()
    name = " ".join(words[:6])
    return name if len(words) <= 6 else name + " …"


def recipient_dict(r: SmsRecipient) -> dict[str, Any]:
    return {
        "id": r.id, "message_id": r.message_id, "person_id": r.person_id, "user_id": r.user_id,
        "name": r.name, "number": r.number, "raw_number": r.raw_number,
        "included": r.included, "reason": r.reason, "reason_text": r.reason_text,
        "state": r.state, "attempts": r.attempts, "gateway": r.gateway, "error": r.error,
        "submitted_at": iso(r.submitted_at), "final_at": iso(r.final_at), "updated_at": iso(r.updated_at),
    }


def _summary(msg: SmsMessage, user_name: str, counts: dict[str, int], record_ids: list[int]) -> dict[str, Any]:
    released = msg.status in ("sending", "sent", "failed")
    people = msg.recipients_sent if released else msg.recipients_planned
    return {
        "id": msg.id, "name": message_name(msg), "subject": msg.subject, "body": msg.body,
        "user_id": msg.user_id, "user_name": user_name,
        "originator": msg.originator, "sender_kind": msg.sender_kind,
        "encoding": msg.encoding, "parts": msg.parts, "priority": msg.priority,
        "send_at": iso(msg.send_at), "status": msg.status,
        "needs_approval": msg.needs_approval,
        "approved": not msg.needs_approval or msg.approved_at is not None,
        "approved_by": msg.approved_by, "approved_at": iso(msg.approved_at),
        "subscription_id": msg.subscription_id,
        "recipients_planned": msg.recipients_planned, "recipients_sent": msg.recipients_sent,
        "sms_count": msg.parts * people, "credits_charged": msg.credits_charged,
        "counts": {state: counts.get(state, 0) for state in COUNT_STATES},
        "record_ids": record_ids,
        "created_at": iso(msg.created_at), "updated_at": iso(msg.updated_at),
        "editable": msg.status in _EDITABLE,
    }


async def summaries(s: AsyncSession, messages: list[SmsMessage]) -> list[dict[str, Any]]:
    """Summaries of several messages with four queries in all, whatever their number."""
    ids = [m.id for m in messages]
    names = await store.user_names(s, {m.user_id for m in messages})
    counts = await store.counts_by_state(s, ids)
    records = await store.record_ids(s, ids)
    return [_summary(m, names.get(m.user_id, ""), counts.get(m.id, {}), records.get(m.id, [])) for m in messages]


async def audience(s: AsyncSession, tenant_id: int, author_id: int) -> list[int]:
    """Who hears of a message's changes: its author and the tenant's SMS-admins."""
    return sorted({author_id, *await store.admin_ids(s, tenant_id)})


async def publish_message(tx: Tx, msg: SmsMessage, notice: str | None = None) -> dict[str, Any]:
    """Emit ``sms.message`` with the summary (after commit); returns the summary.

    ``notice`` is a sentence for the author's screens (e.g. "it waits for approval").
    """
    await tx.session.flush()
    summary = (await summaries(tx.session, [msg]))[0]
    data: dict[str, Any] = {"message": summary}
    if notice:
        data["notice"] = notice
    await tx.emit_durable(await audience(tx.session, msg.tenant_id, msg.user_id), "sms.message", data)
    return summary
