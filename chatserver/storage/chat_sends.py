"""The statements a batch of sends runs on conversations and messages (actions.chat_batch).

Built once: building one cost about as much as running it (docs/benchmarks.md, step 16).
Each is offered as a :class:`~chatserver.db.prepared.Query`, which the batch runs as one
plan (db.prepared.run_plan). SQLite runs the prepared forms (db.prepared); PostgreSQL runs
the ``_PG`` texts on asyncpg directly (db.pg_direct, step 31): one fixed text per
statement, its lists given as arrays. A PostgreSQL statement that changes several rows
locks them first in key order (a sorted ``FOR NO KEY UPDATE`` subquery), so that two
nodes' batches cannot deadlock, and reads its result back with ``RETURNING`` instead of
a second round trip.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db import pg_direct
from chatserver.db.models import Conversation, ConversationMember, Message
from chatserver.db.prepared import Plan, Prepared, Query
from chatserver.storage.chat import get_or_create_conversation, message_fields
from chatserver.storage.keylist import key_table, keys_param

# A message whose (sender, client_msg_id) is stored already is not inserted again: the
# batch learns of resends from what comes back, without asking first.
# SQLite: row by row, in sending order (db.sqlite_driver.insert_each_here).
_INSERT_MESSAGE_SQLITE = Prepared(
    sqlite_insert(Message).on_conflict_do_nothing(index_elements=["sender_id", "client_msg_id"]),
    columns=["conversation_id", "sender_id", "client_msg_id", "body", "subject", "record_id", "created_at", "kind",
             "meta"],
)
# PostgreSQL: one statement for the batch, in sending order (the ids rise with it), which
# also sets the last message time of the conversations that got one (a data-modifying
# WITH: the touch is no round trip of its own; docs/benchmarks.md, step 32), their rows
# locked in key order.
_INSERT_MESSAGES_PG = """
WITH inserted AS (
    INSERT INTO messages (conversation_id, sender_id, client_msg_id, body, subject, record_id, created_at, kind, meta)
    SELECT r.cid, r.sender, r.cmid, r.body, r.subject, r.record_id, $9, r.kind, r.meta::json
    FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[])
         WITH ORDINALITY AS r(cid, sender, cmid, body, subject, record_id, kind, meta, n)
    ORDER BY r.n
    ON CONFLICT (sender_id, client_msg_id) DO NOTHING
    RETURNING id, conversation_id, sender_id, client_msg_id
), touched AS (
    UPDATE conversations c SET last_message_at = $9
    FROM (SELECT id FROM conversations WHERE id = ANY($1::bigint[]) AND id IN (SELECT conversation_id FROM inserted)
          ORDER BY id FOR NO KEY UPDATE) l
    WHERE c.id = l.id
)
SELECT id, sender_id, client_msg_id FROM inserted
"""
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
_MESSAGES_BY_KEY_PG = """
SELECT m.id, m.conversation_id, m.sender_id, m.client_msg_id, m.body, m.subject, m.record_id, m.created_at, m.kind,
       m.meta
FROM unnest($1::bigint[], $2::text[]) AS k(sender, cmid)
JOIN messages m ON m.sender_id = k.sender AND m.client_msg_id = k.cmid
"""
_CONVERSATIONS_BY_PAIR_SQLITE = Prepared(
    select(Conversation.user_low_id, Conversation.user_high_id, Conversation.id)
    .select_from(_KEYS)
    .join(Conversation, and_(Conversation.user_low_id == _KEY_A, Conversation.user_high_id == _KEY_B))
)
_CONVERSATIONS_BY_PAIR_PG = """
SELECT c.user_low_id, c.user_high_id, c.id
FROM unnest($1::bigint[], $2::bigint[]) AS k(low, high)
JOIN conversations c ON c.user_low_id = k.low AND c.user_high_id = k.high
"""
_ADDS, (_ADD_CONV, _ADD_USER, _ADD_N) = key_table("adds", 3)
_BUMP_UNREAD_SQLITE = Prepared(
    update(ConversationMember)
    .where(ConversationMember.conversation_id == _ADD_CONV, ConversationMember.user_id == _ADD_USER)
    .values(unread_count=ConversationMember.unread_count + _ADD_N)
    .returning(ConversationMember.conversation_id, ConversationMember.user_id, ConversationMember.unread_count)
)
_BUMP_UNREAD_PG = """
UPDATE conversation_members m SET unread_count = m.unread_count + l.n
FROM (SELECT k.cid, k.uid, k.n FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS k(cid, uid, n)
      JOIN conversation_members c ON c.conversation_id = k.cid AND c.user_id = k.uid
      ORDER BY k.cid, k.uid FOR NO KEY UPDATE OF c) l
WHERE m.conversation_id = l.cid AND m.user_id = l.uid
RETURNING m.conversation_id, m.user_id, m.unread_count
"""


def insert_messages_query(rows: list[dict[str, Any]], now: datetime) -> Query[list[dict[str, Any] | None]]:
    """Store many messages (created ``now``), in order: each as
    :func:`~chatserver.storage.chat.message_dict` would give it, or None for one whose
    (sender, client_msg_id) was stored already. SQLite: row by row; PostgreSQL: one
    statement, which also does :func:`touch_conversations_query`'s work."""
    created_at = now.isoformat()

    rows = [{"record_id": None, "kind": "text", "meta": None, **r} for r in rows]

    def read(inserted: Sequence[int | None]) -> list[dict[str, Any] | None]:
        return [None if mid is None else message_fields(
            mid, row["conversation_id"], row["sender_id"], row["client_msg_id"], row["body"], row["subject"],
            row["record_id"], created_at, row["kind"], row["meta"])
            for row, mid in zip(rows, inserted, strict=True)]

    async def elsewhere(s: AsyncSession) -> list[dict[str, Any] | None]:
        # Ids are matched by the natural key (sender, client_msg_id): a row not inserted
        # (a resend) returns nothing.
        returned = await pg_direct.fetch(
            s, _INSERT_MESSAGES_PG, *(
                [r[k] for r in rows]
                for k in ("conversation_id", "sender_id", "client_msg_id", "body", "subject", "record_id", "kind")),
            # The JSON's text, as SQLAlchemy writes it (None as JSON null).
            [json.dumps(r["meta"]) for r in rows], now)
        ids = {(sender, cmid): int(mid) for mid, sender, cmid in returned}
        return read([ids.get((r["sender_id"], r["client_msg_id"])) for r in rows])

    return Query(_INSERT_MESSAGE_SQLITE, [{**r, "created_at": now} for r in rows], read, elsewhere, how="each")


def touch_conversations_query(conversation_ids: set[int], now: datetime) -> Query[None]:
    """Set the last message time of the conversations that :func:`insert_messages_query`
    just gave messages (SQLite: one executemany, ids in order; PostgreSQL: that insert's
    statement did)."""
    ids = sorted(conversation_ids)

    async def touched_by_the_insert(s: AsyncSession) -> None:
        return None

    return Query(_TOUCH_CONVERSATIONS, [{"cid": cid, "at": now} for cid in ids], lambda _: None,
                 touched_by_the_insert, how="many")


def new_conversations_plan(pairs: list[tuple[int, int]], now: datetime) -> Plan[dict[tuple[int, int], int]]:
    """Conversations for (low, high) pairs that have none yet, members included: their ids.

    SQLite's writers are serialised per process (Services.transaction), so nobody can make
    the same pair meanwhile; on PostgreSQL both parties may send their first message at
    once, and :func:`~chatserver.storage.chat.get_or_create_conversation` takes the winner's row.
    """
    async def elsewhere(s: AsyncSession) -> list[int]:
        # In key order: another node making some of the same pairs at once waits on the
        # first it shares with this one, never on one this one made after it (a deadlock).
        made = {(low, high): (await get_or_create_conversation(s, low, high, now)).id for low, high in sorted(pairs)}
        return [made[pair] for pair in pairs]

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
    """Stored messages by (sender, client_msg_id), as
    :func:`~chatserver.storage.chat.message_dict` gives them (idempotent sends: a resend is
    answered with what was stored)."""
    wanted = set(keys)

    def read(rows: Sequence[Sequence[Any]]) -> dict[tuple[int, str], dict[str, Any]]:
        out: dict[tuple[int, str], dict[str, Any]] = {}
        for mid, cid, sender, cmid, body, subject, record_id, created_at, kind, meta in rows:
            if (sender, cmid) in wanted:
                out[(sender, cmid)] = message_fields(mid, cid, sender, cmid, body, subject, record_id,
                                                     created_at.isoformat(), kind, meta)
        return out

    async def elsewhere(s: AsyncSession) -> dict[tuple[int, str], dict[str, Any]]:
        ordered = sorted(wanted)
        return read(await pg_direct.fetch(s, _MESSAGES_BY_KEY_PG, [k[0] for k in ordered], [k[1] for k in ordered]))

    # SQLite: one index search per key (storage.keylist); two separate IN lists made it try
    # every sender with every id (docs/benchmarks.md, step 12).
    return Query(_MESSAGES_BY_KEY_SQLITE if keys else None, {"keys": keys_param(wanted)}, read, elsewhere)


def conversation_ids_query(pairs: set[tuple[int, int]]) -> Query[dict[tuple[int, int], int]]:
    """Existing conversations' ids by (low, high) user ids."""

    def read(rows: Sequence[Sequence[Any]]) -> dict[tuple[int, int], int]:
        return {(int(low), int(high)): int(cid) for low, high, cid in rows}

    ordered = sorted(pairs)
    return Query(_CONVERSATIONS_BY_PAIR_SQLITE if pairs else None, {"keys": keys_param(pairs)}, read,
                 pg=(_CONVERSATIONS_BY_PAIR_PG, ([p[0] for p in ordered], [p[1] for p in ordered])))


def bump_unread_query(counts: dict[tuple[int, int], int]) -> Query[dict[tuple[int, int], int]]:
    """Add ``n`` to each (conversation, user)'s unread count; the new counts, in one
    ``UPDATE ... RETURNING`` over the list on either database."""

    def read(rows: Sequence[Sequence[Any]]) -> dict[tuple[int, int], int]:
        return {(int(c), int(u)): int(n) for c, u, n in rows if (c, u) in counts}

    async def elsewhere(s: AsyncSession) -> dict[tuple[int, int], int]:
        ordered = sorted(counts.items())
        return read(await pg_direct.fetch(s, _BUMP_UNREAD_PG, [c for (c, _), _ in ordered],
                                          [u for (_, u), _ in ordered], [n for _, n in ordered]))

    adds = keys_param((c, u, n) for (c, u), n in counts.items())
    return Query(_BUMP_UNREAD_SQLITE if counts else None, {"adds": adds}, read, elsewhere)
