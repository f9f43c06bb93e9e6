"""Operators at work: the lists, assigning and taking over, replying, resolving, the
visitor's details (LC-4..LC-7), and automatic assignment by round robin.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from chatserver.actions.chat import check_body
from chatserver.actions.chat_batch import Attach
from chatserver.actions.context import Services, Tx
from chatserver.bus import Delivery
from chatserver.db.models import User
from chatserver.errors import BadRequest, Conflict, NotFound
from chatserver.storage import settings as settings_store
from livechat.actions import transcripts
from livechat.actions.view import (
    Roster,
    conversation_dict,
    conversation_dicts,
    emit_message,
    emit_updated,
    require_operator,
    roster,
)
from livechat.models import LiveConversation
from livechat.storage import conversations as store
from livechat.storage import labels as labels_store
from livechat.storage import notes as notes_store
from livechat.storage import openings

STATES = ("incoming", "active", "resolved")


def _resolved(conv: LiveConversation) -> None:
    if conv.state == "resolved":
        raise Conflict(
            "this chat is resolved and read-only; it reopens when the visitor writes again",
            code="conversation_resolved",
        )


async def auto_assign(tx: Tx, conv: LiveConversation, team: Roster) -> User | None:
    """With ``livechat.auto_assign`` on: the reachable online operator with room who
    waited longest for a chat gets it (round robin). None leaves it incoming."""
    s = tx.session
    values = await settings_store.tenant_values(s, conv.tenant_id)
    if not values["livechat.auto_assign"]:
        return None
    room = int(values["livechat.max_chats"])
    counts = await store.active_counts(s, conv.tenant_id)
    avail = await store.availability(s, conv.tenant_id)
    candidates = [u for u in team.routable if counts.get(u.id, 0) < room]
    if not candidates:
        return None
    epoch = datetime.min.replace(tzinfo=UTC)

    def turn(u: User) -> tuple[datetime, int]:
        a = avail.get(u.id)
        return (a.last_assigned_at or epoch) if a else epoch, u.id

    chosen = min(candidates, key=turn)
    conv.state, conv.operator_id = "active", chosen.id
    await store.note_assignment(s, chosen, tx.now)
    return chosen


async def list_conversations(
    svc: Services, actor: User, *, state: str | None, day: str | None, q: str | None, label_id: int | None = None
) -> list[dict[str, Any]]:
    if state is not None and state not in STATES:
        raise BadRequest("state must be incoming, active or resolved", code="invalid_value")
    start = end = None
    if day:
        try:
            d = date.fromisoformat(day)
        except ValueError:
            raise BadRequest("date must be YYYY-MM-DD", code="invalid_value") from None
        start = datetime(d.year, d.month, d.day, tzinfo=UTC)
        end = start + timedelta(days=1)
        state = state or "resolved"
    async with svc.read() as s:
        await require_operator(s, actor)
        if label_id is not None:
            await labels_store.get(s, label_id, actor.tenant_id)  # another organisation's: 404
        convs = await store.list_conversations(
            s, actor.tenant_id, state=state, resolved_from=start, resolved_to=end, text=(q or "").strip() or None,
            limit=200, label_id=label_id,
        )
        return await conversation_dicts(s, convs)


async def get(svc: Services, actor: User, conversation_id: int) -> dict[str, Any]:
    """The conversation with its messages; opening it clears its unread count."""
    async with svc.transaction() as tx:
        s = tx.session
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        if conv.unread:
            # The visitor's widget shows "Seen" under their last message.
            await tx.emit_durable([conv.visitor_user_id], "livechat.read", [{"conversation_id": conv.id}])
        conv.unread = 0
        await s.flush()
        body = await conversation_dict(s, conv)
        body["messages"] = [store.message_dict(m) for m in await store.messages(s, conv.id)]
        # Operators' private notes (livechat_notes), never in the visitor's view.
        body["notes"] = [notes_store.note_dict(n) for n in await notes_store.notes_of(s, conv.id)]
    return body


async def assign(svc: Services, actor: User, conversation_id: int, user_id: int | None) -> dict[str, Any]:
    """Assign to the actor (``user_id`` None), or to a colleague who is an operator; a chat
    of another operator is taken over."""
    async with svc.transaction() as tx:
        s = tx.session
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        _resolved(conv)
        team = await roster(svc, s, actor.tenant_id)
        target = team.get(actor.id if user_id is None else user_id)
        if target is None:
            raise NotFound(f"no live-chat operator with id {user_id}", code="not_an_operator")
        conv.state, conv.operator_id = "active", target.id
        await store.note_assignment(s, target, tx.now)
        return await emit_updated(tx, conv, team.ids)


async def resolve(svc: Services, actor: User, conversation_id: int) -> dict[str, Any]:
    async with svc.transaction() as tx:
        s = tx.session
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        if conv.state == "resolved":
            raise Conflict("this chat is resolved already", code="conversation_resolved")
        conv.state, conv.resolved_at, conv.unread = "resolved", tx.now, 0
        await openings.resolved(s, conv, tx.now)  # the reports count each opening
        team = await roster(svc, s, actor.tenant_id)
        result = await emit_updated(tx, conv, team.ids)
    # Committed: the team's copy of the transcript (livechat.transcript_to), if asked for.
    await transcripts.send_to_team(svc, actor.tenant_id, conversation_id)
    return result


async def reply(svc: Services, actor: User, conversation_id: int, body: str, client_msg_id: str, *,
                kind: str = "text", meta: dict[str, Any] | None = None,
                attach: Attach | None = None) -> dict[str, Any]:
    """An operator writes to the visitor. Replying to an incoming chat assigns it to the
    operator; a resolved chat is read-only (Conflict). ``kind`` and ``meta``: a sent
    file's message (livechat.actions.files); ``attach`` ties the file to the conversation
    in this transaction (chatserver.actions.chat_batch.Attach)."""
    body = check_body(svc, body, client_msg_id)
    async with svc.transaction() as tx:
        s = tx.session
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        existing = await store.message_by_client_id(s, actor.id, client_msg_id)
        if existing is not None:
            return {"message": store.message_dict(existing), "duplicate": True}
        _resolved(conv)
        team = await roster(svc, s, actor.tenant_id)
        if conv.state == "incoming":
            conv.state, conv.operator_id = "active", actor.id
            await store.note_assignment(s, actor, tx.now)
            await emit_updated(tx, conv, team.ids)
        if conv.first_response_s is None:
            conv.first_response_s = (tx.now - conv.opened_at).total_seconds()
        msg = await store.add_message(
            s, conv, sender="operator", sender_user_id=actor.id, sender_name=actor.display_name,
            body=body, client_msg_id=client_msg_id, now=tx.now, kind=kind, meta=meta,
        )
        conv.unread = 0
        data = store.message_dict(msg)
        if attach is not None:
            await attach(data).run(s)
        to = {u.id: u for u in team.operators if u.id in (actor.id, conv.operator_id)}
        to.setdefault(actor.id, actor)
        await emit_message(tx, conv, data, list(to.values()), actor.id)
    return {"message": data, "duplicate": False}


_DETAIL_LIMITS = {"name": 200, "email": 254, "phone": 40}


async def set_details(svc: Services, actor: User, conversation_id: int, details: dict[str, Any]) -> dict[str, Any]:
    """The operator names the visitor and notes e-mail and phone (LC-7)."""
    clean: dict[str, str] = {}
    for name, limit in _DETAIL_LIMITS.items():
        if name not in details or details[name] is None:
            continue
        value = details[name]
        if not isinstance(value, str):
            raise BadRequest(f"{name} must be text", code="wrong_type", field=name)
        if len(value.strip()) > limit:
            raise BadRequest(f"{name} is longer than {limit} characters", code="too_long", field=name)
        clean[name] = value.strip()
    if clean.get("email") and "@" not in clean["email"]:
        raise BadRequest("email is not an e-mail address", code="invalid_value", field="email")
    async with svc.transaction() as tx:
        s = tx.session
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        visitor = await store.get_visitor(s, conv.visitor_user_id)
        assert visitor is not None
        # What an operator enters wins over what the visitor types later (a left message).
        by_operator = set(visitor.operator_fields or [])
        suggested = dict(visitor.suggested or {})
        for name, value in clean.items():
            setattr(visitor, name, value)
            if value:
                by_operator.add(name)
            else:
                by_operator.discard(name)
            if suggested.get(name) == value or not value:
                suggested.pop(name, None)
        visitor.operator_fields = sorted(by_operator) or None
        visitor.suggested = suggested or None
        await s.flush()
        team = await roster(svc, s, actor.tenant_id)
        return await emit_updated(tx, conv, team.ids)


async def operator_typing(svc: Services, actor: User, conversation_id: int, typing: bool) -> None:
    async with svc.read() as s:
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
    data = {"conversation_id": conv.id, "typing": typing, "name": actor.display_name}
    await svc.publish(Delivery(users=[conv.visitor_user_id], type="livechat.typing", data=data))
