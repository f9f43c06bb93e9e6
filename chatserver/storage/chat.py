"""One-to-one conversations, messages and read state. What a batch of sends runs on them
is in :mod:`chatserver.storage.chat_sends`."""

from __future__ import annotations

import json
from datetime import datetime
from json.encoder import encode_basestring_ascii
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import Conversation, ConversationMember, Message
from chatserver.errors import NotFound


async def get_or_create_conversation(s: AsyncSession, a: int, b: int, now: datetime) -> Conversation:
    low, high = sorted((a, b))
    q = select(Conversation).where(Conversation.user_low_id == low, Conversation.user_high_id == high)
    conv = (await s.execute(q)).scalar_one_or_none()
    if conv is not None:
        return conv
    conv = Conversation(user_low_id=low, user_high_id=high, created_at=now)
    if s.get_bind().dialect.name == "sqlite":
        # Writers are serialised per process (Services.transaction): no race to lose.
        # (A SAVEPOINT here would also end pysqlite's implicit transaction early.)
        s.add(conv)
        await s.flush()
    else:
        try:
            # Both parties may send their first message at once: the loser of the race
            # on the unique pair rolls back only this savepoint and takes the winner's row.
            async with s.begin_nested():
                s.add(conv)
                await s.flush()
        except IntegrityError:
            return (await s.execute(q)).scalar_one()
    s.add_all(
        [
            ConversationMember(conversation_id=conv.id, user_id=uid, last_read_message_id=0,
                               last_delivered_message_id=0, unread_count=0)
            for uid in (low, high)
        ]
    )
    await s.flush()
    return conv


async def conversation_for(s: AsyncSession, conversation_id: int, user_id: int) -> Conversation:
    """The conversation if the user takes part in it, else NotFound."""
    conv = await s.get(Conversation, conversation_id)
    if conv is None or user_id not in (conv.user_low_id, conv.user_high_id):
        raise NotFound(f"no conversation with id {conversation_id}")
    return conv


def other_party(conv: Conversation, user_id: int) -> int:
    return conv.user_high_id if conv.user_low_id == user_id else conv.user_low_id


async def message_by_client_id(s: AsyncSession, sender_id: int, client_msg_id: str) -> Message | None:
    q = select(Message).where(Message.sender_id == sender_id, Message.client_msg_id == client_msg_id)
    return (await s.execute(q)).scalar_one_or_none()


async def add_message(
    s: AsyncSession,
    conv: Conversation,
    sender_id: int,
    *,
    client_msg_id: str,
    body: str,
    subject: str,
    record_id: int | None,
    now: datetime,
) -> tuple[Message, int]:
    """Store a message and count it unread for the recipient; returns (message, their unread)."""
    msg = Message(
        conversation_id=conv.id,
        sender_id=sender_id,
        client_msg_id=client_msg_id,
        body=body,
        subject=subject,
        record_id=record_id,
        created_at=now,
    )
    s.add(msg)
    conv.last_message_at = now
    recipient = other_party(conv, sender_id)
    result = await s.execute(
        update(ConversationMember)
        .where(ConversationMember.conversation_id == conv.id, ConversationMember.user_id == recipient)
        .values(unread_count=ConversationMember.unread_count + 1)
        .returning(ConversationMember.unread_count)
    )
    unread = int(result.scalar_one())
    await s.flush()
    return msg, unread


async def mark_read(s: AsyncSession, conv: Conversation, user_id: int, message_id: int) -> tuple[int, int]:
    """Move the user's read marker forward to ``message_id``; returns (marker, unread left).
    A message id that is not one of this conversation's is refused (NotFound): taken as is,
    an id beyond the last message would mark every future message read."""
    member = await s.get(ConversationMember, (conv.id, user_id))
    assert member is not None
    found = (await s.execute(
        select(Message.id).where(Message.id == message_id, Message.conversation_id == conv.id)
    )).first()
    if found is None:
        raise NotFound(f"message {message_id} is not in this conversation", code="unknown_message",
                       field="message_id")
    if message_id > member.last_read_message_id:
        member.last_read_message_id = message_id
    # What was read was delivered: the sender's ticks never show read but not delivered.
    member.last_delivered_message_id = max(member.last_delivered_message_id, member.last_read_message_id)
    other = other_party(conv, user_id)
    unread = (
        await s.execute(
            select(func.count(Message.id)).where(
                Message.conversation_id == conv.id,
                Message.sender_id == other,
                Message.id > member.last_read_message_id,
            )
        )
    ).scalar_one()
    member.unread_count = int(unread)
    await s.flush()
    return member.last_read_message_id, member.unread_count


async def history(
    s: AsyncSession, conversation_id: int, *, before: int | None, limit: int
) -> list[Message]:
    """Newest first, ``limit`` messages older than the cursor ``before`` (a message id)."""
    q = select(Message).where(Message.conversation_id == conversation_id)
    if before is not None:
        q = q.where(Message.id < before)
    q = q.order_by(Message.id.desc()).limit(limit)
    return list((await s.execute(q)).scalars())


async def conversations_of(s: AsyncSession, user_id: int) -> list[tuple[Conversation, ConversationMember]]:
    q = (
        select(Conversation, ConversationMember)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .where(ConversationMember.user_id == user_id)
        .where(or_(Conversation.user_low_id == user_id, Conversation.user_high_id == user_id))
        .order_by(Conversation.last_message_at.desc().nulls_last())
    )
    return [(c, m) for c, m in (await s.execute(q)).all()]


async def last_messages(s: AsyncSession, conversation_ids: list[int]) -> dict[int, Message]:
    if not conversation_ids:
        return {}
    latest = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(conversation_ids))
        .group_by(Message.conversation_id)
    )
    rows = (await s.execute(select(Message).where(Message.id.in_(latest)))).scalars()
    return {m.conversation_id: m for m in rows}


async def markers(s: AsyncSession, conversation_id: int) -> dict[int, tuple[int, int]]:
    """Each member's (read, delivered) marker."""
    q = select(ConversationMember).where(ConversationMember.conversation_id == conversation_id)
    return {m.user_id: (m.last_read_message_id, m.last_delivered_message_id) for m in (await s.execute(q)).scalars()}


async def others_markers(s: AsyncSession, user_id: int, conversation_ids: list[int]) -> dict[int, tuple[int, int]]:
    """The other party's (read, delivered) marker in each of the user's conversations."""
    if not conversation_ids:
        return {}
    q = select(ConversationMember).where(ConversationMember.conversation_id.in_(conversation_ids),
                                         ConversationMember.user_id != user_id)
    return {m.conversation_id: (m.last_read_message_id, m.last_delivered_message_id)
            for m in (await s.execute(q)).scalars()}


async def mark_delivered(s: AsyncSession, conv: Conversation, user_id: int, message_id: int) -> int | None:
    """Move the user's delivered marker forward to ``message_id`` (one of the other party's
    messages in this conversation, else NotFound); returns the new marker, or None when it
    did not move (another tab said so first, or it was read already)."""
    found = (await s.execute(select(Message.id).where(
        Message.id == message_id, Message.conversation_id == conv.id, Message.sender_id != user_id,
    ))).first()
    if found is None:
        raise NotFound(f"message {message_id} is not one sent to you in this conversation", code="unknown_message",
                       field="message_id")
    moved = await s.execute(
        update(ConversationMember)
        .where(ConversationMember.conversation_id == conv.id, ConversationMember.user_id == user_id,
               ConversationMember.last_delivered_message_id < message_id)
        .values(last_delivered_message_id=message_id)
        .returning(ConversationMember.last_delivered_message_id)
    )
    return None if moved.first() is None else message_id


def message_dict(msg: Message) -> dict[str, Any]:
    return message_fields(msg.id, msg.conversation_id, msg.sender_id, msg.client_msg_id, msg.body, msg.subject,
                    msg.record_id, msg.created_at.isoformat(), msg.kind, msg.meta)


def message_fields(mid: int, cid: int, sender: int, cmid: str, body: str, subject: str, record_id: int | None,
             created_at: str, kind: str | None, meta: dict[str, Any] | None) -> dict[str, Any]:
    """A message as clients get it. ``kind`` and ``meta``: what the app renders in its own
    language (a call note, ``"call"``); ``body`` is the text for clients that do not know it."""
    return {"id": mid, "conversation_id": cid, "sender_id": sender, "client_msg_id": cmid, "body": body,
            "subject": subject, "record_id": record_id, "created_at": created_at, "kind": kind or "text",
            "meta": meta}


_MESSAGE_KEYS = tuple(message_fields(0, 0, 0, "", "", "", None, "", None, None))
_escape = encode_basestring_ascii  # the C function json.dumps writes strings with


def message_json(m: dict[str, Any]) -> str:
    """``json.dumps(m)`` for a message as :func:`message_fields` gives it, the same text
    about four times sooner: ``json.dumps`` sets up a new encoder on every call, which for
    ten scalars costs more than writing them (~5-8 us against ~1.5 us; docs/benchmarks.md,
    step 34). A batch of sends encodes every message it stores. Anything of another shape
    or type than the usual goes through ``json.dumps`` itself."""
    if tuple(m) != _MESSAGE_KEYS:
        return json.dumps(m)
    mid, cid, sender, cmid, body, subject, record_id, created_at, kind, meta = m.values()
    if not (type(mid) is int and type(cid) is int and type(sender) is int
            and (record_id is None or type(record_id) is int) and type(cmid) is str and type(body) is str
            and type(subject) is str and type(created_at) is str and type(kind) is str):
        return json.dumps(m)
    return (f'{{"id": {mid}, "conversation_id": {cid}, "sender_id": {sender}, "client_msg_id": {_escape(cmid)}, '
            f'"body": {_escape(body)}, "subject": {_escape(subject)}, '
            f'"record_id": {"null" if record_id is None else record_id}, "created_at": {_escape(created_at)}, '
            f'"kind": {_escape(kind)}, "meta": {"null" if meta is None else json.dumps(meta)}}}')
