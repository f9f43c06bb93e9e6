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
reference settles it (:func:`apply_report`), the provider's lookup does, or it expires
as ``failed`` (:func:`settle_unknown`).

Every change emits ``sms.recipient`` (the row as the REST detail shows it) to the
message's author and the tenant's SMS-admins, and :func:`refresh_status` recomputes the
message's status from its rows. The SQL is in :mod:`sms.storage.outbox`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func

from chatserver.actions.context import Services, Tx
from sms.actions.view import audience, publish_message, recipient_dict
from sms.gateways.base import DeliveryReport, DeliveryStatus, Gateway, Lookup, Outcome, Submit, SubmitResult
from sms.models import SmsMessage, SmsRecipient
from sms.storage import messages as message_store
from sms.storage import outbox as store

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
    "record",
    "recover_interrupted",
    "refresh_status",
    "retry_later",
    "settle_unknown",
    "submitted",
    "unknown",
]

BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 15 * 60.0
# After this many transient failures a row fails for good (about an hour of trying).
MAX_ATTEMPTS = 10
_FINAL = ("delivered", "failed")
# Stands for "the transaction's time" in a _Change's values.
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
    authors = await store.authors(tx.session, {r.message_id for r in rows})
    heard: dict[int, list[int]] = {}
    for row in rows:
        if row.message_id not in heard:
            heard[row.message_id] = await audience(tx.session, row.tenant_id, authors[row.message_id])
        await tx.emit_durable(
            heard[row.message_id], "sms.recipient", {"message_id": row.message_id, "recipient": recipient_dict(row)}
        )


def _status_from(counts: dict[str, int]) -> str:
    sendable = {k: v for k, v in counts.items() if k != "skipped"}
    total = sum(sendable.values())
    if total == 0 or sendable.get("failed", 0) == total:
        return "failed"
    if any(sendable.get(k, 0) for k in ("pending", "submitting", "unknown")):
        return "sending"
    return "sent"


async def refresh_status(services: Services, message_id: int) -> None:
    """Recompute a released message's status from its rows; publish ``sms.message`` if it changed."""
    async with services.transaction() as tx:
        msg = await tx.session.get(SmsMessage, message_id)
        if msg is None or msg.status not in ("sending", "sent", "failed"):
            return
        counts = (await message_store.counts_by_state(tx.session, [message_id])).get(message_id, {})
        status = _status_from(counts)
        if status != msg.status:
            msg.status, msg.updated_at = status, tx.now
            await publish_message(tx, msg)


async def _refresh(svc: Services, message_ids: Iterable[int]) -> None:
    for message_id in sorted(set(message_ids)):
        await refresh_status(svc, message_id)


async def has_due(svc: Services) -> bool:
    """Whether :func:`claim` would find a row now (a read: no write lock taken)."""
    async with svc.read() as s:
        return await store.has_due(s, svc.clock.now())


async def claim(svc: Services, gateway: str, limit: int) -> list[Claimed]:
    """Take up to ``limit`` due ``pending`` rows of messages being sent, highest priority first.

    Committed as ``submitting`` with ``attempts + 1`` before this returns: the caller
    must report back on every row it got, and may call the gateway only after this.
    """
    if limit <= 0:
        return []
    async with svc.transaction() as tx:
        ids = await store.claimable(tx.session, tx.now, limit)
        if not ids:
            return []
        # Conditional: a report applied meanwhile by another process keeps its row.
        await _update(tx, [SmsRecipient.id.in_(ids), SmsRecipient.state == "pending"],
                      {"state": "submitting", "attempts": SmsRecipient.attempts + 1, "gateway": gateway})
        rows = await store.load(tx.session, ids, where=[SmsRecipient.state == "submitting",
                                                         SmsRecipient.updated_at == tx.now])
        if not rows:
            return []
        messages = await store.messages(tx.session, {r.message_id for r in rows})
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


@dataclass(frozen=True, slots=True)
class _Change:
    """A row's move: allowed only from ``from_states``; ``values`` may use _NOW."""

    from_states: tuple[str, ...]
    values: dict[str, Any]


def _submitted(provider_id: str | None) -> _Change:
    return _Change(("submitting", "unknown", "pending"),
                   {"state": "submitted", "provider_id": provider_id, "submitted_at": _NOW, "error": None})


def _retry(now: datetime, attempts: int, error: str) -> _Change:
    if attempts >= MAX_ATTEMPTS:
        return _failed(f"gave up after {attempts} attempts: {error}")
    due = now + timedelta(seconds=backoff(attempts))
    return _Change(("submitting",), {"state": "pending", "next_attempt_at": due, "error": error})


def _failed(error: str) -> _Change:
    return _Change(("submitting", "pending", "unknown"), {"state": "failed", "final_at": _NOW, "error": error})


def _unknown(error: str) -> _Change:
    return _Change(("submitting",), {"state": "unknown", "error": error})


def _for(result: SubmitResult, row: Claimed, now: datetime) -> _Change:
    if result.outcome is Outcome.ACCEPTED:
        return _submitted(result.provider_id)
    if result.outcome is Outcome.TRANSIENT:
        return _retry(now, row.attempts, result.error or "transient error")
    if result.outcome is Outcome.PERMANENT:
        return _failed(result.error or "refused by the gateway")
    return _unknown(result.error or "no answer from the gateway")


async def _apply(svc: Services, changes: list[tuple[int, _Change]]) -> set[int]:
    """Make the changes in one transaction; publish and refresh; returns the changed row ids.

    Each is one conditional UPDATE, not read-then-write: the hub (applying a report)
    and a worker process (recording the gateway's answer) may change the same row at
    once, and SQLite runs a SELECT outside the write transaction, so a row read first
    could be overwritten with a stale state.
    """
    if not changes:
        return set()
    async with svc.transaction() as tx:
        changed: set[int] = set()
        for row_id, change in changes:
            if await _update(tx, [SmsRecipient.id == row_id, SmsRecipient.state.in_(change.from_states)],
                             change.values):
                changed.add(row_id)
            elif change.values.get("state") == "submitted":
                # A delivery report got here first: keep its final state, add the provider's id.
                await _update(tx, [SmsRecipient.id == row_id, SmsRecipient.provider_id.is_(None)],
                              {"provider_id": change.values["provider_id"],
                               "submitted_at": func.coalesce(SmsRecipient.submitted_at, tx.now)})
        rows = await _load(tx, changed)
        await _publish(tx, rows)
    await _refresh(svc, [r.message_id for r in rows])
    return changed


async def _update(tx: Tx, where: list[Any], values: dict[str, Any]) -> int:
    values = {name: tx.now if value is _NOW else value for name, value in values.items()}
    return await store.update_rows(tx.session, where, values, tx.now)


async def _load(tx: Tx, row_ids: Iterable[int]) -> list[SmsRecipient]:
    return await store.load(tx.session, row_ids)


async def record(svc: Services, results: list[tuple[Claimed, SubmitResult]]) -> set[int]:
    """Record what the gateway answered for claimed rows, in one transaction."""
    now = svc.clock.now()
    return await _apply(svc, [(row.id, _for(result, row, now)) for row, result in results])


async def submitted(svc: Services, row_id: int, provider_id: str | None) -> bool:
    """The gateway took it. A report that raced ahead (already final) is left alone."""
    return bool(await _apply(svc, [(row_id, _submitted(provider_id))]))


async def retry_later(svc: Services, row_id: int, attempts: int, error: str) -> bool:
    """A transient error: back to ``pending`` after :func:`backoff`, or ``failed`` past MAX_ATTEMPTS."""
    return bool(await _apply(svc, [(row_id, _retry(svc.clock.now(), attempts, error))]))


async def failed(svc: Services, row_id: int, error: str) -> bool:
    return bool(await _apply(svc, [(row_id, _failed(error))]))


async def unknown(svc: Services, row_id: int, error: str) -> bool:
    """Maybe sent, maybe not: never resent automatically; a delivery report settles it."""
    return bool(await _apply(svc, [(row_id, _unknown(error))]))


async def recover_interrupted(svc: Services, gateway: Gateway, *, claimed_before: datetime) -> dict[str, int]:
    """Settle rows left ``submitting`` by a dispatcher that died before ``claimed_before``.

    The gateway is asked by reference when the row was claimed for it: SENT ->
    ``submitted``, NOT_SENT -> ``pending`` (sent again), CANNOT_TELL -> ``unknown``.
    Returns how many rows went each way.
    """
    async with svc.read() as s:
        rows = await store.stale_submitting(s, claimed_before)
    counts = {"submitted": 0, "pending": 0, "unknown": 0}
    for row_id, reference, gateway_name in rows:
        verdict = await gateway.lookup(reference) if gateway_name == gateway.name else Lookup.CANNOT_TELL
        if verdict is Lookup.SENT:
            change = _Change(("submitting",), {"state": "submitted", "submitted_at": _NOW})
        elif verdict is Lookup.NOT_SENT:
            change = _Change(("submitting",), {"state": "pending", "next_attempt_at": None})
        else:
            change = _unknown("interrupted while submitting; waiting for a delivery report")
        if await _apply(svc, [(row_id, change)]):
            counts[change.values["state"]] += 1
    return counts


# Rows looked up at the provider per round: the oldest first.
UNKNOWN_BATCH = 100


def _expired(after: timedelta) -> _Change:
    seconds = after.total_seconds()
    span = f"{seconds / 3600:g} hour{'' if seconds == 3600 else 's'}" if seconds >= 3600 else f"{seconds:g} seconds"
    return _Change(("unknown",), {
        "state": "failed", "final_at": _NOW,
        "error": f"no word from the provider within {span}: it may or may not have arrived, and is not sent again",
    })


async def settle_unknown(svc: Services, gateway: Gateway, *, expire_after: timedelta) -> dict[str, int]:
    """Settle rows left ``unknown``: ask the provider, then give up on the ones that waited too long.

    A row of this gateway is looked up (:meth:`Gateway.delivery_status`); a final answer
    is applied as its delivery report would be. A row still ``unknown`` after
    ``expire_after`` (of any gateway: one that cannot be asked too) becomes ``failed``
    with a reason that says so: final, so its message's status settles, and never
    resent, since it may have arrived. Returns how many went each way.
    """
    # As of the round's start: a row is failed only after a lookup that came too late.
    deadline = svc.clock.now() - expire_after
    async with svc.read() as s:
        rows = await store.unknown_of(s, gateway.name, UNKNOWN_BATCH)
    counts = {"settled": 0, "expired": 0}
    for reference, provider_id in rows:
        report = await gateway.delivery_status(reference, provider_id)
        if report is not None and report.status.final:
            await apply_report(svc, replace(report, reference=reference))
            counts["settled"] += 1
    async with svc.read() as s:
        old = await store.unknown_since(s, deadline, UNKNOWN_BATCH)
    counts["expired"] = len(await _apply(svc, [(row_id, _expired(expire_after)) for row_id in old]))
    return counts


async def apply_report(svc: Services, report: DeliveryReport) -> bool:
    """Apply a delivery report; idempotent. False when no row has its reference (or provider id).

    The first final report wins; a repeated or late one changes nothing. An interim
    report (buffered) proves the provider has the message: an ``unknown`` or
    ``submitting`` row becomes ``submitted``.
    """
    if not report.reference and not report.provider_id:
        return False
    async with svc.transaction() as tx:
        found = await store.by_reference(tx.session, report.reference, report.provider_id)
        if found is None:
            return False
        at = report.at or tx.now
        if report.status.final:
            values: dict[str, Any] = {
                "state": report.status.value, "final_at": at,
                "error": (report.reason or "not delivered") if report.status is DeliveryStatus.FAILED else None,
                "submitted_at": func.coalesce(SmsRecipient.submitted_at, at),
            }
            allowed = SmsRecipient.state.not_in(_FINAL)
        else:
            values = {"state": "submitted", "submitted_at": func.coalesce(SmsRecipient.submitted_at, at)}
            allowed = SmsRecipient.state.in_(("submitting", "unknown", "pending"))
        if report.provider_id:
            values["provider_id"] = func.coalesce(SmsRecipient.provider_id, report.provider_id)
        # Conditional, so the first final report wins even against a concurrent writer.
        if not await _update(tx, [SmsRecipient.id == found, allowed], values):
            return True
        (row,) = await _load(tx, [found])
        await _publish(tx, [row])
        message_id = row.message_id
    await _refresh(svc, [message_id])
    return True
