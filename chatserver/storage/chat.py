"""One-to-one conversations, messages and read state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import Conversation, ConversationMember, Message
from chatserver.db.prepared import Plan, Prepared, Query
from chatserver.errors import NotFound
from chatserver.storage.keylist import key_table, keys_param


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
    return _as_dict(msg.id, msg.conversation_id, msg.sender_id, msg.client_msg_id, msg.body, msg.subject,
                    msg.record_id, msg.created_at.isoformat(), msg.kind, msg.meta)


def _as_dict(mid: int, cid: int, sender: int, cmid: str, body: str, subject: str, record_id: int | None,
             created_at: str, kind: str | None, meta: dict[str, Any] | None) -> dict[str, Any]:
    """A message as clients get it. ``kind`` and ``meta``: what the app renders in its own
    language (a call note, ``"call"``); ``body`` is the text for clients that do not know it."""
    return {"id": mid, "conversation_id": cid, "sender_id": sender, "client_msg_id": cmid, "body": body,
            "subject": subject, "record_id": record_id, "created_at": created_at, "kind": kind or "text",
            "meta": meta}


# The statements every batch of sends runs, built once: building one cost about as much as
# running it (docs/benchmarks.md, step 16). Each is offered as a Query, which the batch runs
# as one plan (db.prepared.run_plan).
# A message whose (sender, client_msg_id) is stored already is not inserted again: the
# batch learns of resends from what comes back, without asking first.
_INSERT_MESSAGES_PG = pg_insert(Message).on_conflict_do_nothing(index_elements=["sender_id", "client_msg_id"]).returning(
    Message.id, Message.sender_id, Message.client_msg_id
)
# SQLite: row by row, in sending order (db.sqlite_driver.insert_each_here).
_INSERT_MESSAGE_SQLITE = Prepared(
    sqlite_insert(Message).on_conflict_do_nothing(index_elements=["sender_id", "client_msg_id"]),
    columns=["conversation_id", "sender_id", "client_msg_id", "body", "subject", "record_id", "created_at", "kind",
             "meta"],
)
_TOUCH_CONVERSATIONS = Prepared(
    update(Conversation).where(Conversation.id == bindparam("cid")).values(last_message_at=bindparam("at"))
)
_INSERT_CONVERSATION = Prepared(insert(Conversation), columns=["user_low_id", "user_high_id", "created_at"])
_INSERT_MEMBER = Prepared(insert(ConversationMember),
                          columns=["conversation_id", "user_id", "last_read_message_id",
                                   "last_delivered_message_id", "unread_count"])
_MESSAGE_COLUMNS = (Message.id, Message.conversation_id, Message.sender_id, Message.client_msg_id, Message.body,
                    Message.subject, Message.record_id, Message.created_at, Message.kind, Message.meta)
_KEYS, (_KEY_A, _KEY_B) = key_table("keys")
_MESSAGES_BY_KEY_SQLITE = Prepared(select(*_MESSAGE_COLUMNS).select_from(_KEYS).join(
    Message, and_(Message.sender_id == _KEY_A, Message.client_msg_id == _KEY_B)
))
_MESSAGES_BY_KEY = select(*_MESSAGE_COLUMNS).where(
    Message.sender_id.in_(bindparam("senders", expanding=True)),
    Message.client_msg_id.in_(bindparam("cmids", expanding=True)),
)
_CONVERSATIONS_BY_PAIR = select(Conversation.user_low_id, Conversation.user_high_id, Conversation.id).where(
    tuple_(Conversation.user_low_id, Conversation.user_high_id).in_(bindparam("pairs", expanding=True))
)
_CONVERSATIONS_BY_PAIR_SQLITE = Prepared(
    select(Conversation.user_low_id, Conversation.user_high_id, Conversation.id)
    .select_from(_KEYS)
    .join(Conversation, and_(Conversation.user_low_id == _KEY_A, Conversation.user_high_id == _KEY_B))
)
_BUMP_UNREAD = (
    update(ConversationMember)
    .where(ConversationMember.conversation_id == bindparam("c"), ConversationMember.user_id == bindparam("u"))
    .values(unread_count=ConversationMember.unread_count + bindparam("n"))
)
_ADDS, (_ADD_CONV, _ADD_USER, _ADD_N) = key_table("adds", 3)
_BUMP_UNREAD_SQLITE = Prepared(
    update(ConversationMember)
    .where(ConversationMember.conversation_id == _ADD_CONV, ConversationMember.user_id == _ADD_USER)
    .values(unread_count=ConversationMember.unread_count + _ADD_N)
    .returning(ConversationMember.conversation_id, ConversationMember.user_id, ConversationMember.unread_count)
)
_UNREAD_OF = select(
    ConversationMember.conversation_id, ConversationMember.user_id, ConversationMember.unread_count
).where(ConversationMember.conversation_id.in_(bindparam("cids", expanding=True)))


def insert_messages_query(rows: list[dict[str, Any]], now: datetime) -> Query[list[dict[str, Any] | None]]:
    """Store many messages (created ``now``), in order: each as :func:`message_dict` would
    give it, or None for one whose (sender, client_msg_id) was stored already. SQLite: row
    by row; PostgreSQL: one multi-row INSERT."""
    created_at = now.isoformat()

    rows = [{"record_id": None, "kind": "text", "meta": None, **r} for r in rows]

    def read(inserted: Sequence[int | None]) -> list[dict[str, Any] | None]:
        return [None if mid is None else _as_dict(
            mid, row["conversation_id"], row["sender_id"], row["client_msg_id"], row["body"], row["subject"],
            row["record_id"], created_at, row["kind"], row["meta"])
            for row, mid in zip(rows, inserted, strict=True)]

    async def elsewhere(s: AsyncSession) -> list[dict[str, Any] | None]:
        # Ids are matched by the natural key (sender, client_msg_id), not by the order
        # RETURNING gives them in (asking SQLAlchemy for that order makes it insert one row
        # per statement).
        returned = (await (await s.connection()).execute(
            _INSERT_MESSAGES_PG, [{**r, "created_at": now} for r in rows])).all()
        ids = {(sender, cmid): int(mid) for mid, sender, cmid in returned}
        return read([ids.get((r["sender_id"], r["client_msg_id"])) for r in rows])

    return Query(_INSERT_MESSAGE_SQLITE, [{**r, "created_at": now} for r in rows], read, elsewhere, how="each")


def touch_conversations_query(conversation_ids: set[int], now: datetime) -> Query[None]:
    """Set the conversations' last message time (one executemany, ids in order)."""
    params = [{"cid": cid, "at": now} for cid in sorted(conversation_ids)]
    return Query(_TOUCH_CONVERSATIONS, params, lambda _: None, how="many")


def new_conversations_plan(pairs: list[tuple[int, int]], now: datetime) -> Plan[dict[tuple[int, int], int]]:
    """Conversations for (low, high) pairs that have none yet, members included: their ids.

    SQLite's writers are serialised per process (Services.transaction), so nobody can make
    the same pair meanwhile; on PostgreSQL both parties may send their first message at
    once, and :func:`get_or_create_conversation` takes the winner's row.
    """
    async def elsewhere(s: AsyncSession) -> list[int]:
        return [(await get_or_create_conversation(s, low, high, now)).id for low, high in pairs]

    ids: list[int] = yield Query(
        _INSERT_CONVERSATION, [{"user_low_id": low, "user_high_id": high, "created_at": now} for low, high in pairs],
        lambda inserted: [int(i) for i in inserted], elsewhere, how="each")

    async def made_already(s: AsyncSession) -> None:  # get_or_create_conversation did
        return None

    yield Query(_INSERT_MEMBER, [{"conversation_id": cid, "user_id": uid, "last_read_message_id": 0,
                                  "last_delivered_message_id": 0, "unread_count": 0}
                                 for cid, pair in zip(ids, pairs, strict=True) for uid in pair],
                lambda _: None, made_already, how="many")
    return dict(zip(pairs, ids, strict=True))


def stored_messages_query(keys: list[tuple[int, str]]) -> Query[dict[tuple[int, str], dict[str, Any]]]:
    """Stored messages by (sender, client_msg_id), as :func:`message_dict` gives them
    (idempotent sends: a resend is answered with what was stored)."""
    wanted = set(keys)

    def read(rows: Sequence[Sequence[Any]]) -> dict[tuple[int, str], dict[str, Any]]:
        out: dict[tuple[int, str], dict[str, Any]] = {}
        for mid, cid, sender, cmid, body, subject, record_id, created_at, kind, meta in rows:
            if (sender, cmid) in wanted:
                out[(sender, cmid)] = _as_dict(mid, cid, sender, cmid, body, subject, record_id,
                                               created_at.isoformat(), kind, meta)
        return out

    async def elsewhere(s: AsyncSession) -> dict[tuple[int, str], dict[str, Any]]:
        if not keys:
            return {}
        # PostgreSQL plans two IN lists well (a bitmap scan) and row values badly.
        return read((await (await s.connection()).execute(
            _MESSAGES_BY_KEY, {"senders": sorted({k[0] for k in keys}), "cmids": sorted({k[1] for k in keys})})).all())

    # SQLite: one index search per key (storage.keylist); two separate IN lists made it try
    # every sender with every id (docs/benchmarks.md, step 12).
    return Query(_MESSAGES_BY_KEY_SQLITE if keys else None, {"keys": keys_param(wanted)}, read, elsewhere)


def conversation_ids_query(pairs: set[tuple[int, int]]) -> Query[dict[tuple[int, int], int]]:
    """Existing conversations' ids by (low, high) user ids."""

    def read(rows: Sequence[Sequence[Any]]) -> dict[tuple[int, int], int]:
        return {(int(low), int(high)): int(cid) for low, high, cid in rows}

    async def elsewhere(s: AsyncSession) -> dict[tuple[int, int], int]:
        if not pairs:
            return {}
        return read((await (await s.connection()).execute(_CONVERSATIONS_BY_PAIR, {"pairs": sorted(pairs)})).all())

    return Query(_CONVERSATIONS_BY_PAIR_SQLITE if pairs else None, {"keys": keys_param(pairs)}, read, elsewhere)


async def conversation_ids_for_pairs(s: AsyncSession, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    return await conversation_ids_query(pairs).run(s)


def bump_unread_query(counts: dict[tuple[int, int], int]) -> Query[dict[tuple[int, int], int]]:
    """Add ``n`` to each (conversation, user)'s unread count; the new counts.

    Statements of fixed shape whatever the number, compiled once: on SQLite one UPDATE
    ... RETURNING over the list; on PostgreSQL one executemany (rows in key order, so two
    writers lock them in the same order) and one read back.
    """

    def read(rows: Sequence[Sequence[Any]]) -> dict[tuple[int, int], int]:
        return {(int(c), int(u)): int(n) for c, u, n in rows if (c, u) in counts}

    async def elsewhere(s: AsyncSession) -> dict[tuple[int, int], int]:
        if not counts:
            return {}
        conn = await s.connection()  # Core executemany (the ORM would take a list as bulk-by-key)
        await conn.execute(_BUMP_UNREAD, [{"c": c, "u": u, "n": n} for (c, u), n in sorted(counts.items())])
        return read((await conn.execute(_UNREAD_OF, {"cids": sorted({c for c, _ in counts})})).all())

    adds = keys_param((c, u, n) for (c, u), n in counts.items())
    return Query(_BUMP_UNREAD_SQLITE if counts else None, {"adds": adds}, read, elsewhere)
