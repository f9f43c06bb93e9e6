"""What a website visitor writes (LC-2, LC-6, LC-11): a message that starts, reopens or
continues their conversation (with the pre-chat form's answers), a message left while
nobody is online, and their typing."""

from __future__ import annotations

import uuid
from typing import Any

from chatserver.actions.chat import check_body
from chatserver.actions.chat_batch import Attach
from chatserver.actions.context import Services, Tx
from chatserver.bus import Delivery
from chatserver.db.models import User
from chatserver.errors import BadRequest
from chatserver.webhooks import outbox as webhooks
from livechat.actions.names import alias
from livechat.actions.routing import auto_assign
from livechat.actions.view import (
    Roster,
    conversation_dict,
    emit_incoming,
    emit_message,
    emit_updated,
    for_visitor,
    roster,
)
from livechat.actions.visits import visitor_of
from livechat.after_hours import refuse_when_closed
from livechat.look import language_for
from livechat.models import LiveConversation, Visitor
from livechat.prechat import answers
from livechat.storage import conversations as store
from livechat.storage import openings

__all__ = ["leave_message", "send", "typing"]


async def _visitor_writes(
    svc: Services, actor: User, body: str, client_msg_id: str, *, contact: dict[str, str] | None = None,
    form: dict[str, Any] | None = None, kind: str = "text", meta: dict[str, Any] | None = None,
    attach: Attach | None = None,
) -> dict[str, Any]:
    """Store a visitor's message; start, reopen or route the conversation as needed.

    ``contact`` (leave a message, LC-11): name, e-mail and phone are saved on the visitor
    and every reachable operator hears of it, online or not. ``form``: the pre-chat form's
    answers sent with a message (livechat.prechat.answers checks them). ``kind`` and
    ``meta``: a sent file's message (livechat.actions.files); ``attach`` ties the file to
    the conversation in this transaction (chatserver.actions.chat_batch.Attach).
    """
    body = check_body(svc, body, client_msg_id)
    async with svc.transaction() as tx:
        s = tx.session
        visitor = await visitor_of(s, actor)
        existing = await store.message_by_client_id(s, actor.id, client_msg_id)
        if existing is not None:
            conv = await store.conversation_of_visitor(s, actor.id)
            assert conv is not None
            return {"message": store.message_dict(existing), "duplicate": True,
                    "conversation": for_visitor(await conversation_dict(s, conv))}
        conv = await store.conversation_of_visitor(s, visitor.user_id)
        site = await store.get_site(s, visitor.site_id)
        if form is not None:  # a chat message; a left message waits at any hour
            refuse_when_closed(site.hours, tx.now, active=conv is not None and conv.state == "active",
                               language=language_for(visitor.language, site.look))
        contact = {**answers(site.prechat, visitor, form or {}, first=conv is None and not contact), **(contact or {})}
        if contact:
            _visitor_gives(visitor, contact)
        visitor.last_seen_at = tx.now
        team = await roster(svc, s, visitor.tenant_id)
        opened = conv is None or conv.state == "resolved"
        new = conv is None
        if conv is None:
            conv = await store.create_conversation(s, visitor, tx.now)
        elif conv.state == "resolved":
            # Reopened (LC-6): back with its operator only while they are online (a
            # colleague who logged out or went offline would never see it), else incoming
            # and so to auto-assignment or to everyone online.
            keep = conv.operator_id is not None and conv.operator_id in team.online
            conv.state = "active" if keep else "incoming"
            conv.operator_id = conv.operator_id if keep else None
            conv.opened_at, conv.resolved_at, conv.first_response_s = tx.now, None, None
        if opened:
            await openings.opened(s, conv, tx.now)  # the reports count each opening
        msg = await store.add_message(
            s, conv, sender="visitor", sender_user_id=actor.id, sender_name=visitor.name or alias(actor.id)["en"],
            body=body, client_msg_id=client_msg_id, now=tx.now, kind=kind, meta=meta,
        )
        conv.unread += 1
        data = store.message_dict(msg)
        if attach is not None:
            await attach(data).run(s)
        await _route(tx, conv, team, opened=opened, new=new, leave=form is None and bool(contact))
        if conv.state == "active":
            op = team.get(conv.operator_id) if conv.operator_id else None
            to = [op] if op else []
        else:
            to = _reachable(team) if form is None and contact else team.routable
        await emit_message(tx, conv, data, to, actor.id)
        conv_body = for_visitor(await conversation_dict(s, conv))
    return {"message": data, "conversation": conv_body, "duplicate": False}


def _visitor_gives(visitor: Visitor, contact: dict[str, str]) -> None:
    """The visitor's own name, e-mail, phone: taken where no operator entered one, else
    kept beside the operator's as a suggestion (the operator's entry wins)."""
    by_operator = set(visitor.operator_fields or [])
    suggested = dict(visitor.suggested or {})
    for name, value in contact.items():
        current = getattr(visitor, name)
        if name in by_operator and current and current != value:
            suggested[name] = value
        else:
            setattr(visitor, name, value)
            suggested.pop(name, None)
    visitor.suggested = suggested or None


async def _route(tx: Tx, conv: LiveConversation, team: Roster, *, opened: bool, new: bool, leave: bool) -> None:
    """A conversation that just (re)opened goes to an operator or to the incoming queue;
    operators' lists follow every change (a left message changes the visitor's details)."""
    if new:
        await webhooks.record(tx, conv.tenant_id, "conversation.created",
                              {"conversation": await conversation_dict(tx.session, conv)}, conversation_id=conv.id)
    if conv.state == "incoming" and opened:
        if await auto_assign(tx, conv, team) is None:
            await emit_incoming(tx, conv, _reachable(team) if leave else team.routable)
            if not new:
                await emit_updated(tx, conv, team.ids)
            return
    if opened or leave:
        await emit_updated(tx, conv, team.ids)


def _reachable(team: Roster) -> list[User]:
    """Reachable operators, online or not: a left message waits for them (LC-11)."""
    return [u for u in team.operators if u.id in team.reachable]


async def send(svc: Services, actor: User, body: str, client_msg_id: str, form: dict[str, Any] | None = None, *,
               kind: str = "text", meta: dict[str, Any] | None = None, attach: Attach | None = None) -> dict[str, Any]:
    return await _visitor_writes(svc, actor, body, client_msg_id, form=form or {}, kind=kind, meta=meta,
                                 attach=attach)


async def leave_message(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """No operator online (LC-11): the visitor leaves contact details and a message."""
    name, email = str(data.get("name", "")).strip(), str(data.get("email", "")).strip()
    phone = str(data.get("phone") or "").strip()
    if not name or not email:
        raise BadRequest("name and e-mail are required", code="missing_field")
    if "@" not in email or len(email) > 254 or len(name) > 200 or len(phone) > 40:
        raise BadRequest("give a valid e-mail address, a name of at most 200 and a phone of at most 40 characters",
                         code="invalid_value")
    contact = {"name": name, "email": email, **({"phone": phone} if phone else {})}
    client_msg_id = str(data.get("client_msg_id") or uuid.uuid4().hex)
    return await _visitor_writes(svc, actor, str(data.get("body", "")), client_msg_id, contact=contact)


async def typing(svc: Services, actor: User, is_typing: bool) -> None:
    """The visitor is typing: to the assigned operator, or the routable ones while incoming."""
    async with svc.read() as s:
        visitor = await visitor_of(s, actor)
        conv = await store.conversation_of_visitor(s, visitor.user_id)
        if conv is None:
            return
        if conv.state == "active" and conv.operator_id is not None:
            to = [conv.operator_id]
        else:
            to = [u.id for u in (await roster(svc, s, visitor.tenant_id)).routable]
    data = {"conversation_id": conv.id, "typing": is_typing, "name": visitor.name or alias(actor.id)["en"]}
    if to:
        await svc.publish(Delivery(users=to, type="livechat.typing", data=data))
