"""One-to-one messages, read markers, typing and history (IC-4, IC-7, IC-9)."""

from __future__ import annotations

import asyncio
from typing import Any

from chatserver.actions.chat_batch import Attach, SendBatcher
from chatserver.actions.context import Services
from chatserver.bus import Delivery
from chatserver.db.models import User
from chatserver.errors import BadRequest, NotFound, TooLarge
from chatserver.storage import accounts, chat, contacts


async def send(
    svc: Services,
    actor: User,
    to: int,
    body: str,
    client_msg_id: str,
    *,
    subject: str = "",
    record_id: int | None = None,
    origin: str | None = None,
) -> dict[str, Any]:
    """Store a message to a contact and deliver it to both users' devices.

    Idempotent on ``client_msg_id``: a client that resends after a lost ack gets the
    stored message back, and nobody sees it twice. ``origin``: the connection the send
    came from; the result then also holds the sender's own event (``seq``, ``unread``,
    ``from``, ``notify``), which that connection's ack carries instead of a frame of its
    own when it can (the gateway, ``hub.Connection.absorb``). ``record_id``: a record of
    the sender's organisation the message is about (its name becomes the subject when
    there is none; the record's timeline gets a line).
    """
    return await start_send(svc, actor, to, body, client_msg_id, subject=subject, record_id=record_id, origin=origin)


async def send_note(svc: Services, actor: User, to: int, body: str, client_msg_id: str, *, kind: str,
                    meta: dict[str, Any], attach: Attach | None = None) -> dict[str, Any]:
    """A message the server writes in the actor's name with a ``kind`` other than text and
    its ``meta`` (a video call's note, VC-1), through the same batch as :func:`send`. The
    app renders it from kind and meta in its user's language; ``body`` is the fallback for
    clients that do not know the kind. Never reached from a client's request. ``attach``:
    run in the message's own transaction once it is stored (a sent file names its
    conversation: chatserver.files)."""
    body = check_body(svc, body, client_msg_id)
    return await svc.get(SendBatcher).enqueue(actor, to, body, client_msg_id, "", kind=kind, meta=meta,
                                              attach=attach)


def check_body(svc: Services, body: str, client_msg_id: str) -> str:
    """A message's body, stripped, once it may be sent (chat and live chat alike)."""
    body = body.strip()
    if not body:
        raise BadRequest("the message is empty", code="empty_message")
    if len(body) > svc.config.max_message_chars:
        raise TooLarge(f"the message is longer than {svc.config.max_message_chars} characters")
    if not client_msg_id or len(client_msg_id) > 64:
        raise BadRequest("client_msg_id is required (at most 64 characters)", code="missing_field")
    return body


def start_send(svc: Services, actor: User, to: int, body: str, client_msg_id: str, *, subject: str = "",
               record_id: int | None = None, origin: str | None = None) -> asyncio.Future[dict[str, Any]]:
    """:func:`send`, started now: checked and queued for the next batch before this returns
    (or refused, by raising), answered by the future when that batch commits. Sends
    started in a row are stored in that order, which lets a connection read its next
    frame while earlier sends wait (the gateway's pipeline)."""
    body = check_body(svc, body, client_msg_id)
    # Group commit (chat_batch), the one send path: a send's checks and events, one
    # transaction for the sends waiting together.
    return svc.get(SendBatcher).enqueue(actor, to, body, client_msg_id, subject, origin, record_id)


async def mark_read(svc: Services, actor: User, conversation_id: int, message_id: int) -> dict[str, Any]:
    """Move the read marker; the reader's other devices and the other party are told."""
    async with svc.transaction() as tx:
        conv = await chat.conversation_for(tx.session, conversation_id, actor.id)
        marker, unread = await chat.mark_read(tx.session, conv, actor.id, message_id)
        other = chat.other_party(conv, actor.id)
        data = {"conversation_id": conv.id, "user_id": actor.id, "message_id": marker, "unread": unread}
        await tx.emit_durable([actor.id, other], "chat.read", data)
    return data


async def mark_delivered(svc: Services, actor: User, conversation_id: int, message_id: int) -> dict[str, Any]:
    """The actor's client has the other party's messages up to ``message_id``: move the
    delivered marker and tell the sender (their second tick). Nothing is emitted when the
    marker does not move, so every tab of the recipient may say it."""
    async with svc.transaction() as tx:
        conv = await chat.conversation_for(tx.session, conversation_id, actor.id)
        moved = await chat.mark_delivered(tx.session, conv, actor.id, message_id)
        data = {"conversation_id": conv.id, "user_id": actor.id, "message_id": moved or message_id}
        if moved is not None:
            await tx.emit_durable([chat.other_party(conv, actor.id)], "chat.delivered", data)
    return {**data, "moved": moved is not None}


async def typing(svc: Services, actor: User, to: int, is_typing: bool) -> None:
    """Tell a contact the actor is typing; ephemeral, never stored."""
    async with svc.read() as s:
        if not await contacts.are_contacts(s, actor.id, to):
            raise NotFound(f"user {to} is not one of your contacts", code="not_a_contact")
    await svc.publish(Delivery(users=[to], type="chat.typing", data={"user_id": actor.id, "typing": is_typing}))


async def history(
    svc: Services, actor: User, conversation_id: int, *, before: int | None, limit: int
) -> dict[str, Any]:
    if not 1 <= limit <= 200:
        raise BadRequest("limit must be between 1 and 200", code="invalid_value")
    async with svc.read() as s:
        conv = await chat.conversation_for(s, conversation_id, actor.id)
        rows = await chat.history(s, conv.id, before=before, limit=limit + 1)
        markers = await chat.markers(s, conv.id)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "conversation_id": conv.id,
        "messages": [chat.message_dict(m) for m in reversed(rows)],
        "next_before": rows[-1].id if more and rows else None,
        "read_markers": {str(k): read for k, (read, _) in markers.items()},
        "delivered_markers": {str(k): delivered for k, (_, delivered) in markers.items()},
    }


async def conversations(svc: Services, actor: User) -> dict[str, Any]:
    """Every conversation with its unread count, and the badge: conversations with unread."""
    async with svc.read() as s:
        rows = await chat.conversations_of(s, actor.id)
        lasts = await chat.last_messages(s, [c.id for c, _ in rows])
        theirs = await chat.others_markers(s, actor.id, [c.id for c, _ in rows])
        others = await accounts.users_by_ids(s, [chat.other_party(c, actor.id) for c, _ in rows])
    items: list[dict[str, Any]] = []
    for conv, member in rows:
        other = others.get(chat.other_party(conv, actor.id))
        last = lasts.get(conv.id)
        items.append(
            {
                "id": conv.id,
                "with": accounts.user_public(other, viewer_tenant_id=actor.tenant_id) if other else None,
                "unread": member.unread_count,
                "last_read_message_id": member.last_read_message_id,
                # The other party's markers: the ticks of the actor's own messages.
                "their_read_message_id": theirs.get(conv.id, (0, 0))[0],
                "their_delivered_message_id": theirs.get(conv.id, (0, 0))[1],
                "last_message": chat.message_dict(last) if last else None,
            }
        )
    return {"conversations": items, "badge": sum(1 for i in items if int(i["unread"]) > 0)}


async def conversation_with(svc: Services, actor: User, other_id: int) -> dict[str, Any]:
    async with svc.transaction() as tx:
        if not await contacts.are_contacts(tx.session, actor.id, other_id):
            raise NotFound(f"user {other_id} is not one of your contacts", code="not_a_contact")
        conv = await chat.get_or_create_conversation(tx.session, actor.id, other_id, tx.now)
    return {"id": conv.id}
