"""The outbox's state changes: the only code that moves an ``sms_recipients`` row once released.

A row goes ``pending -> submitting -> submitted -> delivered | failed`` and the rule
that keeps every recipient from getting an SMS twice is the order of commits:

1. :func:`claim` commits ``submitting`` (attempts + 1) BEFORE the gateway is called;
2. the dispatcher calls the gateway;
3. :func:`submitted`, :func:`retry_later` or :func:`failed` commits what it answered.

A process killed during step 2 leaves the row ``submitting``. :func:`recover_interrupted`
then asks the gateway about the row's reference: the embedded gateway can tell, so the
row becomes ``submitted`` or goes back to ``pending``; a provider that cannot tell
leaves it ``unknown``, never sent again automatically, until a delivery report with its
reference settles it (:func:`apply_report`).

Every change emits ``sms.recipient`` (the row as the REST detail shows it) to the
message's author and the tenant's SMS-admins and asks CORE's ``refresh_status`` to
recompute the message's status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from chatserver.actions import sms as sms_actions
from chatserver.actions.context import Services, Tx
from chatserver.actions.sms_view import audience, recipient_dict
from chatserver.db.models_sms import SmsMessage, SmsRecipient
from sms.gateways.base import DeliveryReport, DeliveryStatus, Gateway, Lookup, Submit

__all__ = [
    "BACKOFF_BASE_SECONDS",
    "BACKOFF_MAX_SECONDS",
    "MAX_ATTEMPTS",
    "Claimed",
    "apply_report",
    "backoff",
    "claim",
    "failed",
    "has_due",
    "recover_interrupted",
    "retry_later",
    "submitted",
    "unknown",
]

BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 15 * 60.0
# After this many transient failures a row fails for good (about an hour of trying).
MAX_ATTEMPTS = 10
_FINAL = ("delivered", "failed")
# Stands for "the transaction's time" in _change's values.
_NOW = object()


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row the dispatcher now owns: send ``submit``, then report back by ``id``."""

    id: int
    message_id: int
    attempts: int
    submit: Submit


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed try: 5, 10, 20, ... up to 15 minutes."""
    return float(min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


async def _publish(tx: Tx, rows: Iterable[SmsRecipient]) -> None:
    rows = list(rows)
    if not rows:
        return
    await tx.session.flush()
    authors = {mid: uid for mid, uid in (await tx.session.execute(
        select(SmsMessage.id, SmsMessage.user_id).where(SmsMessage.id.in_({r.message_id for r in rows}))
    )).all()}
    heard: dict[int, list[int]] = {}
    for row in rows:
        if row.message_id not in heard:
            heard[row.message_id] = await audience(tx.session, row.tenant_id, authors[row.message_id])
        await tx.emit_durable(
            heard[row.message_id], "sms.recipient", {"message_id": row.message_id, "recipient": recipient_dict(row)}
        )


async def _refresh(svc: Services, message_ids: Iterable[int]) -> None:
    for message_id in sorted(set(message_ids)):
        await sms_actions.refresh_status(svc, message_id)


def _due(now: datetime) -> list[Any]:
    return [
        SmsRecipient.state == "pending",
        or_(SmsRecipient.next_attempt_at.is_(None), SmsRecipient.next_attempt_at <= now),
        SmsMessage.status == "sending",
    ]


async def has_due(svc: Services) -> bool:
    """Whether :func:`claim` would find a row now (a read: no write lock taken)."""
    async with svc.read() as s:
        q = (select(SmsRecipient.id).join(SmsMessage, SmsMessage.id == SmsRecipient.message_id)
             .where(*_due(svc.clock.now())).limit(1))
        return (await s.execute(q)).first() is not None


async def claim(svc: Services, gateway: str, limit: int) -> list[Claimed]:
    """Take up to ``limit`` due ``pending`` rows of messages being sent, highest priority first.

    Committed as ``submitting`` with ``attempts + 1`` before this returns: the caller
    must report back on every row it got, and may call the gateway only after this.
    """
    if limit <= 0:
        return []
    async with svc.transaction() as tx:
        q = (
            select(SmsRecipient)
            .join(SmsMessage, SmsMessage.id == SmsRecipient.message_id)
            .where(*_due(tx.now))
            .order_by(SmsMessage.priority.desc(), SmsRecipient.id)
            .limit(limit)
            # Several dispatchers (PostgreSQL) each take different rows; SQLite ignores it.
            .with_for_update(skip_locked=True, of=SmsRecipient)
        )
        rows = list((await tx.session.execute(q)).scalars())
        if not rows:
            return []
        messages = {
            m.id: m for m in (await tx.session.execute(
                select(SmsMessage).where(SmsMessage.id.in_({r.message_id for r in rows}))
            )).scalars()
        }
        for row in rows:
            row.state = "submitting"
            row.attempts += 1
            row.gateway = gateway
            row.updated_at = tx.now
        await _publish(tx, rows)
        claimed = []
        for row in rows:
            msg = messages[row.message_id]
            claimed.append(Claimed(
                id=row.id, message_id=row.message_id, attempts=row.attempts,
                submit=Submit(
                    reference=row.reference, recipient=row.number or "", originator=msg.originator,
                    body=msg.body, encoding=msg.encoding,
                ),
            ))
    return claimed


async def _change(svc: Services, row_id: int, from_states: tuple[str, ...], **values: Any) -> bool:
    """Set ``values`` on the row if it is in one of ``from_states``; publish and refresh."""
    async with svc.transaction() as tx:
        row = (await tx.session.execute(
            select(SmsRecipient).where(SmsRecipient.id == row_id).with_for_update()
        )).scalar_one_or_none()
        if row is None or row.state not in from_states:
            return False
        for name, value in values.items():
            setattr(row, name, tx.now if value is _NOW else value)
        row.updated_at = tx.now
        await _publish(tx, [row])
        message_id = row.message_id
    await _refresh(svc, [message_id])
    return True


async def submitted(svc: Services, row_id: int, provider_id: str | None) -> bool:
    """The gateway took it. A report that raced ahead (already final) is left alone."""
    done = await _change(
        svc, row_id, ("submitting", "unknown", "pending"),
        state="submitted", provider_id=provider_id, submitted_at=_NOW, error=None,
    )
    if not done:
        # A delivery report got here first: keep its final state, record the provider's id.
        async with svc.transaction() as tx:
            await tx.session.execute(
                update(SmsRecipient)
                .where(SmsRecipient.id == row_id, SmsRecipient.provider_id.is_(None))
                .values(provider_id=provider_id, submitted_at=tx.now)
            )
    return done


async def retry_later(svc: Services, row_id: int, attempts: int, error: str) -> bool:
    """A transient error: back to ``pending`` after :func:`backoff`, or ``failed`` past MAX_ATTEMPTS."""
    if attempts >= MAX_ATTEMPTS:
        return await failed(svc, row_id, f"gave up after {attempts} attempts: {error}")
    due = svc.clock.now() + timedelta(seconds=backoff(attempts))
    return await _change(svc, row_id, ("submitting",), state="pending", next_attempt_at=due, error=error)


async def failed(svc: Services, row_id: int, error: str) -> bool:
    return await _change(svc, row_id, ("submitting", "pending", "unknown"), state="failed", final_at=_NOW, error=error)


async def unknown(svc: Services, row_id: int, error: str) -> bool:
    """Maybe sent, maybe not: never resent automatically; a delivery report settles it."""
    return await _change(svc, row_id, ("submitting",), state="unknown", error=error)


async def recover_interrupted(svc: Services, gateway: Gateway, *, claimed_before: datetime) -> dict[str, int]:
    """Settle rows left ``submitting`` by a dispatcher that died before ``claimed_before``.

    The gateway is asked by reference when the row was claimed for it: SENT ->
    ``submitted``, NOT_SENT -> ``pending`` (sent again), CANNOT_TELL -> ``unknown``.
    Returns how many rows went each way.
    """
    async with svc.read() as s:
        rows = (await s.execute(
            select(SmsRecipient.id, SmsRecipient.reference, SmsRecipient.gateway)
            .where(SmsRecipient.state == "submitting", SmsRecipient.updated_at < claimed_before)
            .order_by(SmsRecipient.id)
        )).all()
    counts = {"submitted": 0, "pending": 0, "unknown": 0}
    for row_id, reference, gateway_name in rows:
        verdict = await gateway.lookup(reference) if gateway_name == gateway.name else Lookup.CANNOT_TELL
        if verdict is Lookup.SENT:
            ok = await _change(svc, row_id, ("submitting",), state="submitted", submitted_at=_NOW)
            state = "submitted"
        elif verdict is Lookup.NOT_SENT:
            ok = await _change(svc, row_id, ("submitting",), state="pending", next_attempt_at=None)
            state = "pending"
        else:
            ok = await unknown(svc, row_id, "interrupted while submitting; waiting for a delivery report")
            state = "unknown"
        counts[state] += int(ok)
    return counts


async def apply_report(svc: Services, report: DeliveryReport) -> bool:
    """Apply a delivery report; idempotent. False when no row has its reference (or provider id).

    The first final report wins; a repeated or late one changes nothing. An interim
    report (buffered) proves the provider has the message: an ``unknown`` or
    ``submitting`` row becomes ``submitted``.
    """
    if report.reference:
        where = SmsRecipient.reference == report.reference
    elif report.provider_id:
        where = SmsRecipient.provider_id == report.provider_id
    else:
        return False
    async with svc.transaction() as tx:
        row = (await tx.session.execute(select(SmsRecipient).where(where).with_for_update())).scalars().first()
        if row is None or not row.included:
            return False
        changed = False
        if report.status.final and row.state not in _FINAL:
            row.state = report.status.value
            row.final_at = report.at or tx.now
            row.error = (report.reason or "not delivered") if report.status is DeliveryStatus.FAILED else None
            if row.submitted_at is None:
                row.submitted_at = row.final_at
            changed = True
        elif not report.status.final and row.state in ("submitting", "unknown", "pending"):
            row.state = "submitted"
            row.submitted_at = row.submitted_at or tx.now
            changed = True
        if changed:
            if report.provider_id and not row.provider_id:
                row.provider_id = report.provider_id
            row.updated_at = tx.now
            await _publish(tx, [row])
        message_id = row.message_id
    if changed:
        await _refresh(svc, [message_id])
    return True
