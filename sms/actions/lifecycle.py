"""The SMS lifecycle: compose, edit, approve, cancel, delete, release and status (SM-5, SM-7, SM-12, SM-16, SM-17).

``release_due`` is the seam with the dispatcher: release writes the outbox rows the
dispatcher sends; once released, a message's rows and its status are the outbox's
(:mod:`sms.actions.outbox`, whose ``refresh_status`` recomputes it). Reading views
(list, detail, queue, why) are in :mod:`sms.actions.queries`.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services, Tx
from chatserver.bus import Delivery
from chatserver.db.models import Record, User
from chatserver.errors import BadRequest, Conflict
from chatserver.storage import directory
from sms.actions import access, inputs
from sms.actions.access import SmsActor
from sms.actions.resolve import resolve
from sms.actions.view import audience, message_name, publish_message, summaries
from sms.models import SmsMessage
from sms.storage import credits as credits_store
from sms.storage import messages as store

__all__ = [
    "approve",
    "cancel",
    "compose",
    "delete",
    "edit",
    "relate_records",
    "release_due",
    "unrelate_record",
    "wake_dispatcher",
]

log = logging.getLogger(__name__)

_WAITING = ("awaiting_approval", "scheduled")
_COMPOSE_FIELDS = {"subject", "body", "from_own_number", "send_at", "priority", "subscription_id", "recipients",
                   "record_ids"}


def _check_fields(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise BadRequest(f"unknown fields: {', '.join(sorted(unknown))}", code="unknown_field")


def _require_included(selection: list[dict[str, Any]]) -> None:
    if not any(item["mode"] == "include" for item in selection):
        raise BadRequest("Choose at least one recipient.", code="no_recipients", field="recipients")


async def _count(s: AsyncSession, actor: SmsActor, selection: list[dict[str, Any]], subscription_id: int | None) -> int:
    outcomes = await resolve(s, actor.tenant_id, selection, subscription_id, actor.settings)
    return sum(1 for o in outcomes if o.included)


def _waiting_notice(msg: SmsMessage, limit: int) -> str | None:
    if msg.status != "awaiting_approval":
        return None
    return (f"This message has {msg.recipients_planned} recipients, more than the limit of {limit}: it waits "
            "in the queue until an SMS-admin approves it.")


def _notice(msg: SmsMessage, limit: int) -> str:
    n = msg.recipients_planned
    waiting = _waiting_notice(msg, limit)
    if waiting:
        return waiting
    if msg.status == "scheduled" and msg.send_at is not None:
        return f"The message is scheduled for {n} recipients."
    if msg.status == "failed":
        return "Nobody in the selection can receive this message; see the recipients for why."
    return f"The message is being sent to {msg.recipients_sent} recipients ({msg.credits_charged} credits)."


async def _relate(tx: Tx, actor: SmsActor, msg: SmsMessage, record_ids: list[int]) -> None:
    for rid in await store.add_records(tx.session, msg.id, record_ids, tx.now):
        await directory.add_timeline(
            tx.session, tenant_id=actor.tenant_id, record_id=rid, kind="sms", summary=f"SMS: {message_name(msg)}",
            ref_id=msg.id, actor_user_id=actor.user.id, now=tx.now,
        )


def _approval(msg: SmsMessage, actor: SmsActor, limit: int) -> None:
    """Over the limit the message waits for an SMS-admin (SM-7), unless one already approved it."""
    if msg.recipients_planned > limit:
        if not (msg.needs_approval and msg.approved_at is not None and actor.admin):
            msg.needs_approval, msg.approved_by, msg.approved_at = True, None, None
        msg.status = "scheduled" if msg.approved_at is not None else "awaiting_approval"
    else:
        msg.needs_approval, msg.approved_by, msg.approved_at = False, None, None
        msg.status = "scheduled"


async def _answer(svc: Services, actor: SmsActor, msg_id: int) -> dict[str, Any]:
    async with svc.read() as s:
        msg = await store.get_message(s, actor.tenant_id, msg_id)
        summary = (await summaries(s, [msg]))[0]
    return {"message": summary, "needs_approval": msg.status == "awaiting_approval",
            "notice": _notice(msg, actor.settings.recipient_limit)}


async def compose(svc: Services, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Store a new message: sent at once, scheduled, or waiting for approval when over the limit."""
    _check_fields(data, _COMPOSE_FIELDS)
    # Checks and the count of recipients read only: on SQLite the write lock (one writer
    # for the whole hub) is then held for the insert alone, not for a large resolution.
    async with svc.read() as s:
        actor = await access.load(s, user)
        now = svc.clock.now()
        subject = inputs.clean_subject(data)
        body, m = inputs.clean_body(data, actor.settings)
        sender, sender_kind = inputs.clean_sender(data, actor)
        send_at = inputs.clean_send_at(data, now)
        priority = inputs.clean_priority(data)
        selection = await inputs.clean_selection(s, actor, data.get("recipients"))
        subscription_id = await inputs.clean_subscription(s, actor, data)
        record_ids = await inputs.clean_record_ids(s, actor, data.get("record_ids"))
        _require_included(selection)
        planned = await _count(s, actor, selection, subscription_id)
    async with svc.transaction() as tx:
        msg = SmsMessage(
            tenant_id=actor.tenant_id, user_id=user.id, subject=subject, body=body, originator=sender.value,
            sender_kind=sender_kind, encoding=str(m.encoding), parts=m.parts, priority=priority, send_at=send_at,
            status="scheduled", needs_approval=False, selection=selection, subscription_id=subscription_id,
            recipients_planned=planned, recipients_sent=0, credits_charged=0, created_at=tx.now, updated_at=tx.now,
        )
        _approval(msg, actor, actor.settings.recipient_limit)
        tx.session.add(msg)
        await tx.session.flush()
        await _relate(tx, actor, msg, record_ids)
        await publish_message(tx, msg, _waiting_notice(msg, actor.settings.recipient_limit))
    await _release_if_due(svc, msg.id)
    return await _answer(svc, actor, msg.id)


def _refuse_unless_waiting(msg: SmsMessage) -> None:
    if msg.status not in _WAITING:
        raise Conflict(f"The message is {msg.status} and can no longer be changed.", code="not_editable",
                       status=msg.status)


async def edit(svc: Services, user: User, message_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Change a message still waiting (scheduled or awaiting approval); the limit is checked again."""
    _check_fields(data, _COMPOSE_FIELDS - {"record_ids"})
    changes: dict[str, Any] = {}
    async with svc.read() as s:  # checks and the count outside the write lock, as in compose
        actor = await access.load(s, user)
        msg = await access.visible_message(s, actor, message_id)
        _refuse_unless_waiting(msg)
        if "subject" in data:
            changes["subject"] = inputs.clean_subject(data)
        if "body" in data:
            body, m = inputs.clean_body(data, actor.settings)
            changes.update(body=body, encoding=str(m.encoding), parts=m.parts)
        if "from_own_number" in data:
            sender, changes["sender_kind"] = inputs.clean_sender(data, actor)
            changes["originator"] = sender.value
        if "send_at" in data:
            changes["send_at"] = inputs.clean_send_at(data, svc.clock.now())
        if "priority" in data:
            changes["priority"] = inputs.clean_priority(data)
        if "recipients" in data:
            changes["selection"] = await inputs.clean_selection(s, actor, data["recipients"])
            _require_included(changes["selection"])
        if "subscription_id" in data:
            changes["subscription_id"] = await inputs.clean_subscription(s, actor, data)
        selection = changes.get("selection", msg.selection)
        subscription_id = changes.get("subscription_id", msg.subscription_id)
        changes["recipients_planned"] = await _count(s, actor, list(selection), subscription_id)
    async with svc.transaction() as tx:
        msg = await access.visible_message(tx.session, actor, message_id, for_update=True)
        _refuse_unless_waiting(msg)  # it may have been released or cancelled meanwhile
        for name, value in changes.items():
            setattr(msg, name, value)
        _approval(msg, actor, actor.settings.recipient_limit)
        msg.updated_at = tx.now
        await publish_message(tx, msg, _waiting_notice(msg, actor.settings.recipient_limit))
    await _release_if_due(svc, message_id)
    return await _answer(svc, actor, message_id)


async def approve(svc: Services, user: User, message_id: int) -> dict[str, Any]:
    """An SMS-admin approves a message over the limit; if its time has come it is released at once."""
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        access.require_admin(actor, "approve messages")
        msg = await access.visible_message(tx.session, actor, message_id, for_update=True)
        if msg.status != "awaiting_approval":
            raise Conflict(f"The message is {msg.status}; only a message awaiting approval can be approved.",
                           code="not_awaiting_approval", status=msg.status)
        msg.status, msg.approved_by, msg.approved_at, msg.updated_at = "scheduled", user.id, tx.now, tx.now
        await publish_message(tx, msg)
    await _release_if_due(svc, message_id)
    return await _answer(svc, actor, message_id)


async def cancel(svc: Services, user: User, message_id: int) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        msg = await access.visible_message(tx.session, actor, message_id, for_update=True)
        _refuse_unless_waiting(msg)
        msg.status, msg.updated_at = "cancelled", tx.now
        await publish_message(tx, msg)
    return await _answer(svc, actor, message_id)


async def delete(svc: Services, user: User, message_id: int) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        msg = await access.visible_message(tx.session, actor, message_id, for_update=True)
        if msg.status == "sending":
            raise Conflict("The message is being sent; wait until it is sent before deleting it.",
                           code="still_sending", status=msg.status)
        hearers = await audience(tx.session, actor.tenant_id, msg.user_id)
        await store.remove_timeline(tx.session, msg.id)
        await tx.session.delete(msg)
        await tx.session.flush()
        await tx.emit_durable(hearers, "sms.message", {"message": {"id": message_id, "deleted": True}})
    return {"deleted": message_id}


async def relate_records(svc: Services, user: User, message_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Relate the message to records (SM-10): it then shows in their timelines."""
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        msg = await access.visible_message(tx.session, actor, message_id, for_update=True)
        ids = await inputs.clean_record_ids(tx.session, actor, data.get("record_ids"))
        if not ids:
            raise BadRequest("record_ids must name at least one record", code="missing_field", field="record_ids")
        await _relate(tx, actor, msg, ids)
        msg.updated_at = tx.now
        await publish_message(tx, msg)
        records = await store.records_of(tx.session, msg.id)
    return {"records": [_record(r) for r in records]}


async def unrelate_record(svc: Services, user: User, message_id: int, record_id: int) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        msg = await access.visible_message(tx.session, actor, message_id, for_update=True)
        if await store.remove_record(tx.session, msg.id, record_id):
            await store.remove_timeline(tx.session, msg.id, record_id)
            msg.updated_at = tx.now
            await publish_message(tx, msg)
        records = await store.records_of(tx.session, msg.id)
    return {"records": [_record(r) for r in records]}


def _record(r: Record) -> dict[str, Any]:
    return {"id": r.id, "kind": r.kind, "title": r.title}


# --- The seam with the dispatcher ------------------------------------------------------

# A control delivery (chatserver.bus.local): the dispatcher listens for it on every node.
WAKE = "sms.wake"


async def _release(svc: Services, message_id: int) -> bool:
    """Release one due message in one transaction; False when it is not due or already released."""
    # Resolve first, reading only, so the write lock is held for the writes alone.
    async with svc.read() as s:
        snapshot = await s.get(SmsMessage, message_id)
        if snapshot is None or snapshot.status != "scheduled":
            return False
        seen_at, tenant_id = snapshot.updated_at, snapshot.tenant_id
        settings = await access.tenant_sms_settings(s, tenant_id)
        outcomes = await resolve(s, tenant_id, list(snapshot.selection or []), snapshot.subscription_id, settings)
    async with svc.transaction() as tx:
        s = tx.session
        if not await store.mark_released(s, message_id, tx.now):
            return False  # not due yet, or released by another dispatcher meanwhile
        # The UPDATE above holds the row lock; read the row as it is now.
        msg = await s.get(SmsMessage, message_id, populate_existing=True)
        assert msg is not None
        if msg.updated_at != seen_at:  # edited between our read and the lock: resolve what it is now
            outcomes = await resolve(s, tenant_id, list(msg.selection or []), msg.subscription_id, settings)
        grown = _over_limit_at_release(msg, sum(1 for o in outcomes if o.included), settings.recipient_limit)
        if grown is not None:
            msg.updated_at = tx.now
            await publish_message(tx, msg, grown)
            log.info("SMS %s not released: %s recipients now, over the limit; back to approval", message_id,
                     msg.recipients_planned)
            return False
        rows = [o.row(msg.tenant_id, msg.id, uuid.uuid4().hex, tx.now) for o in outcomes]
        await store.insert_recipients(s, rows)
        included = sum(1 for o in outcomes if o.included)
        cost = msg.parts * included
        if cost:
            # Charged for what is actually sent, even past zero (seed 002, SM-17).
            await credits_store.change(s, msg.tenant_id, -cost, reason="message", now=tx.now,
                                     user_id=msg.user_id, message_id=msg.id)
        msg.recipients_sent, msg.credits_charged, msg.updated_at = included, cost, tx.now
        if included == 0:
            msg.status = "failed"
        await publish_message(tx, msg)
    log.info("SMS %s released: %s recipients, %s skipped, %s credits", message_id, included,
             len(outcomes) - included, cost)
    return True


def _over_limit_at_release(msg: SmsMessage, included: int, limit: int) -> str | None:
    """A message whose recipients grew past the limit since it was checked waits for approval again.

    The limit is checked at compose and edit, but a group or organisation may grow before
    a scheduled message goes out. An approval covers the count it was given for. Returns
    the notice for the sender when the message goes back to the queue (changed here).
    """
    approved_for = msg.recipients_planned if msg.approved_at is not None else limit
    if included <= max(limit, approved_for):
        return None
    msg.status, msg.needs_approval, msg.approved_by, msg.approved_at = "awaiting_approval", True, None, None
    msg.recipients_planned = included
    return (f"When it was due, this message had {included} recipients, more than the limit of {limit}: "
            "it was not sent and waits in the queue until an SMS-admin approves it.")


async def _release_if_due(svc: Services, message_id: int) -> None:
    # Send-now messages go out without waiting for the dispatcher's next look at the clock.
    if await _release(svc, message_id):
        await wake_dispatcher(svc)


async def wake_dispatcher(svc: Services) -> None:
    """Tell the dispatcher, in this process or in ``chatserver sms-worker``, that something
    may be due now. Over the bus: without Redis a worker elsewhere finds it at its next
    look at the clock (``CHATSERVER_SMS_POLL_SECONDS``)."""
    await svc.publish(Delivery(users=[], type=WAKE, data={}))


async def release_due(services: Services) -> list[int]:
    """Release every message whose time has come (SM-16): resolve, write the outbox, charge."""
    async with services.read() as s:
        ids = await store.due_ids(s, services.clock.now())
    released = []
    for message_id in ids:
        try:
            if await _release(services, message_id):
                released.append(message_id)
        except Exception:
            # One broken message must not hold back the others; it stays scheduled and is retried.
            log.exception("releasing SMS %s failed", message_id)
    return released
