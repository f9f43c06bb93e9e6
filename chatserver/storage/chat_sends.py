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
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
# PostgreSQL: a batch's checked sends stored in one statement, one round trip (data-modifying
# WITHs; docs/benchmarks.md, step 47): the messages, in sending order (their ids rise with
# it); their conversations' last message time; each recipient's unread count; two events
# per message, numbered in each user's stream. A resend (its (sender, client_msg_id) stored
# already) is not inserted and so changes nothing further. Each WITH reads the one before,
# so rows are locked table by table in one order (conversations, members, users), and
# within a table in key order: two batches, of this node or another, cannot deadlock. An
# event's text is written here around the two numbers only the statement knows (the
# message's id, the unread count), the same text the batch writes on SQLite.
_STORE_SENDS_PG = """
WITH r AS (
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                         $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         WITH ORDINALITY AS r(cid, sender, recipient, cmid, body, subject, record_id, kind, meta, rest, rtail, stail, n)
), inserted AS (
    INSERT INTO messages (conversation_id, sender_id, client_msg_id, body, subject, record_id, created_at, kind, meta)
    SELECT r.cid, r.sender, r.cmid, r.body, r.subject, r.record_id, $13, r.kind, r.meta::json FROM r ORDER BY r.n
    ON CONFLICT (sender_id, client_msg_id) DO NOTHING
    RETURNING id, sender_id, client_msg_id
), stored AS (
    -- The sends whose message was inserted, with its id: the sends and the inserted rows in
    -- one sort by their key, not joined row to row (the planner takes a WITH for a row or
    -- so and would join by nested loops, a batch's square).
    SELECT z.n, z.cid, z.sender, z.recipient, z.rest, z.rtail, z.stail, z.id
    FROM (SELECT y.n, y.cid, y.sender, y.recipient, y.rest, y.rtail, y.stail,
                 max(y.id) OVER (PARTITION BY y.sender, y.cmid) AS id
          FROM (SELECT r.n, r.cid, r.sender, r.cmid, r.recipient, r.rest, r.rtail, r.stail, NULL::bigint AS id FROM r
                UNION ALL
                SELECT NULL, NULL, i.sender_id, i.client_msg_id, NULL, NULL, NULL, NULL, i.id FROM inserted i) y) z
    WHERE z.n IS NOT NULL AND z.id IS NOT NULL
), touched AS (
    UPDATE conversations c SET last_message_at = $13
    FROM (SELECT id FROM conversations WHERE id IN (SELECT cid FROM stored) ORDER BY id FOR NO KEY UPDATE) l
    WHERE c.id = l.id
    RETURNING c.id
), counted AS (
    UPDATE conversation_members m SET unread_count = m.unread_count + l.k
    FROM (SELECT k.cid, k.uid, k.k
          FROM (SELECT cid, recipient AS uid, count(*) AS k FROM stored
                WHERE (SELECT count(*) FROM touched) >= 0  -- after the conversations' locks
                GROUP BY cid, recipient) k
          JOIN conversation_members c ON c.conversation_id = k.cid AND c.user_id = k.uid
          ORDER BY k.cid, k.uid FOR NO KEY UPDATE OF c) l
    WHERE m.conversation_id = l.cid AND m.user_id = l.uid
    RETURNING m.conversation_id, m.user_id, m.unread_count - l.k AS before
), unread AS (
    -- Each message's place among its recipient's new ones, on the count from before the
    -- batch: the members' rows and the messages in one sort, not joined row to row.
    SELECT x.n, x.id, x.sender, x.recipient, x.rest, x.rtail, x.stail, x.before + x.k AS unread
    FROM (SELECT y.*, max(y.pair_before) OVER everyone AS before, count(y.n) OVER so_far AS k
          FROM (SELECT s.n, s.id, s.cid, s.sender, s.recipient, s.rest, s.rtail, s.stail, NULL::bigint AS pair_before
                FROM stored s
                UNION ALL
                SELECT NULL, NULL, c.conversation_id, NULL, c.user_id, NULL, NULL, NULL, c.before FROM counted c) y
          WINDOW everyone AS (PARTITION BY y.cid, y.recipient),
                 so_far AS (PARTITION BY y.cid, y.recipient ORDER BY y.n)) x
    WHERE x.n IS NOT NULL AND x.before IS NOT NULL
), ev AS (
    SELECT u.n, 0 AS side, u.id, u.unread, u.recipient AS uid,
           '{"message": {"id": ' || u.id || u.rest || ', "unread": ' || u.unread || u.rtail AS data
    FROM unread u
    UNION ALL
    SELECT u.n, 1, u.id, u.unread, u.sender, '{"message": {"id": ' || u.id || u.rest || ', "unread": 0' || u.stail
    FROM unread u
), bumped AS (
    UPDATE users x SET event_seq = x.event_seq + l.k
    FROM (SELECT c.uid, c.k FROM (SELECT uid, count(*) AS k FROM ev GROUP BY uid) c JOIN users y ON y.id = c.uid
          ORDER BY c.uid FOR NO KEY UPDATE OF y) l
    WHERE x.id = l.uid
    RETURNING x.id, x.event_seq - l.k AS before
), numbered AS (
    -- Each event's seq: its place among its user's new ones, on the stream's number from
    -- before the batch (the events and the users' rows in one sort, as above).
    SELECT z.n, z.side, z.id, z.unread, z.uid, z.data, z.before + z.k AS seq
    FROM (SELECT y.n, y.side, y.id, y.unread, y.uid, y.data, max(y.stream) OVER (PARTITION BY y.uid) AS before,
                 count(y.n) OVER (PARTITION BY y.uid ORDER BY y.n, y.side) AS k
          FROM (SELECT e.n, e.side, e.id, e.unread, e.uid, e.data, NULL::bigint AS stream FROM ev e
                UNION ALL
                SELECT NULL, NULL, NULL, NULL, b.id, NULL, b.before FROM bumped b) y) z
    WHERE z.n IS NOT NULL AND z.before IS NOT NULL
), added AS (
    INSERT INTO user_events (user_id, seq, type, data, created_at)
    SELECT uid, seq, $14, data::json, $13 FROM numbered ORDER BY n, side
)
-- Each event (two a message), not joined to the messages row to row (as above). A message
-- stored without its two events (its conversation, membership row or a user gone
-- meanwhile) fails the whole statement, which then changes nothing: the text cast to a
-- number is how plain SQL raises an error. (One row at least, so the check always runs.)
SELECT nb.n, nb.side, nb.id, nb.unread, nb.seq,
       CASE WHEN c.stored * 2 <> count(nb.n) OVER ()
            THEN ('no events for ' || c.stored * 2 - count(nb.n) OVER () || ' of a batch''s events: '
                  || 'a conversation or a user is gone')::int END AS refused
FROM (SELECT count(*) AS stored FROM stored) c LEFT JOIN numbered nb ON true
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


def insert_messages_query(rows: list[dict[str, Any]], now: datetime) -> Query[list[dict[str, Any] | None]]:
    """SQLite: store many messages (created ``now``), row by row in order: each as
    :func:`~chatserver.storage.chat.message_dict` would give it, or None for one whose
    (sender, client_msg_id) was stored already. Each row gives every column but the time
    (conversation_id, sender_id, client_msg_id, body, subject, record_id, kind, meta).
    (PostgreSQL stores a batch's messages with everything else they change in one
    statement: :func:`store_sends_query`.)"""
    created_at = now.isoformat()

    def read(inserted: Sequence[int | None]) -> list[dict[str, Any] | None]:
        return [None if mid is None else message_fields(
            mid, row["conversation_id"], row["sender_id"], row["client_msg_id"], row["body"], row["subject"],
            row["record_id"], created_at, row["kind"], row["meta"])
            for row, mid in zip(rows, inserted, strict=True)]

    return Query(_INSERT_MESSAGE_SQLITE, [{**r, "created_at": now} for r in rows], read, how="each")


@dataclass(frozen=True, slots=True)
class NewSend:
    """A checked send for :func:`store_sends_query`: its message's row, its recipient, and
    the text of its two events around what only the statement knows (the message's id,
    the recipient's unread count): ``rest`` is the message's JSON after its id,
    ``recipient_tail`` and ``sender_tail`` each event's JSON after its unread count."""

    conversation_id: int
    sender_id: int
    recipient_id: int
    client_msg_id: str
    body: str
    subject: str
    record_id: int | None
    kind: str
    meta: dict[str, Any] | None
    rest: str
    recipient_tail: str
    sender_tail: str


@dataclass(frozen=True, slots=True)
class Stored:
    """What :func:`store_sends_query` stored for one send: its message's id, the
    recipient's unread count just after it, and the seq of its event in the recipient's
    stream and in the sender's."""

    id: int
    unread: int
    recipient_seq: int
    sender_seq: int


def store_sends_query(sends: list[NewSend], event_type: str, now: datetime,
                      committed: Callable[[float], None] | None = None) -> Query[list[Stored | None]]:
    """PostgreSQL: a batch's messages stored (created ``now``) with all they change, their
    events of type ``event_type``, in one statement (:data:`_STORE_SENDS_PG`): each send's
    :class:`Stored`, or None for a resend (its (sender, client_msg_id) stored already),
    which changes nothing.

    A message whose conversation, recipient's membership row or users are gone by then
    (deleted meanwhile) fails the statement, which then stores nothing, rather than be
    stored without its events; the batch is then retried one send at a time.

    ``committed`` is given the statement's time when it ran outside a transaction
    (:func:`chatserver.db.pg_direct.begin_nothing`): it was its own commit."""

    def read(rows: Sequence[Sequence[Any]]) -> list[Stored | None]:
        # Two rows a stored message (its recipient's event, side 0, and its sender's).
        seqs: dict[int, list[int]] = {}
        found: dict[int, tuple[int, int]] = {}
        for n, side, mid, unread, seq, _ in rows:
            if n is None:  # the one row of a batch that stored nothing
                continue
            seqs.setdefault(n, [0, 0])[side] = int(seq)
            if side == 0:
                found[n] = (int(mid), int(unread))
        out: list[Stored | None] = [None] * len(sends)
        for n, (mid, unread) in found.items():
            out[n - 1] = Stored(mid, unread, *seqs[n])
        return out

    async def elsewhere(s: pg_direct.On) -> list[Stored | None]:
        started = time.perf_counter()
        rows = await pg_direct.fetch(
            s, _STORE_SENDS_PG, [x.conversation_id for x in sends], [x.sender_id for x in sends],
            [x.recipient_id for x in sends], [x.client_msg_id for x in sends], [x.body for x in sends],
            [x.subject for x in sends], [x.record_id for x in sends], [x.kind for x in sends],
            # The JSON's text, as SQLAlchemy writes it (None as JSON null).
            [json.dumps(x.meta) for x in sends], [x.rest for x in sends], [x.recipient_tail for x in sends],
            [x.sender_tail for x in sends], now, event_type)
        if committed is not None and not pg_direct.transaction_begun(s):
            committed(time.perf_counter() - started)
        return read(rows)

    # No SQLite form: SQLite's batch runs the steps one by one, each a statement run in
    # process (insert_messages_query and the ones after it).
    # It runs as well without a session (prepared.run_direct_plan): one statement, atomic.
    return Query(_INSERT_MESSAGE_SQLITE, None, read, elsewhere, direct=elsewhere)


def touch_conversations_query(conversation_ids: set[int], now: datetime) -> Query[None]:
    """SQLite: set the last message time of the conversations that
    :func:`insert_messages_query` just gave messages (one executemany, ids in order)."""
    ids = sorted(conversation_ids)
    return Query(_TOUCH_CONVERSATIONS, [{"cid": cid, "at": now} for cid in ids], lambda _: None, how="many")


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

    ordered = sorted(wanted)
    # SQLite: one index search per key (storage.keylist); two separate IN lists made it try
    # every sender with every id (docs/benchmarks.md, step 12).
    return Query(_MESSAGES_BY_KEY_SQLITE if keys else None, {"keys": keys_param(wanted)}, read,
                 pg=(_MESSAGES_BY_KEY_PG, ([k[0] for k in ordered], [k[1] for k in ordered])))


def conversation_ids_query(pairs: set[tuple[int, int]]) -> Query[dict[tuple[int, int], int]]:
    """Existing conversations' ids by (low, high) user ids."""

    def read(rows: Sequence[Sequence[Any]]) -> dict[tuple[int, int], int]:
        return {(int(low), int(high)): int(cid) for low, high, cid in rows}

    ordered = sorted(pairs)
    return Query(_CONVERSATIONS_BY_PAIR_SQLITE if pairs else None, {"keys": keys_param(pairs)}, read,
                 pg=(_CONVERSATIONS_BY_PAIR_PG, ([p[0] for p in ordered], [p[1] for p in ordered])))


def bump_unread_query(counts: dict[tuple[int, int], int]) -> Query[dict[tuple[int, int], int]]:
    """SQLite: add ``n`` to each (conversation, user)'s unread count; the new counts, in one
    ``UPDATE ... RETURNING`` over the list."""

    def read(rows: Sequence[Sequence[Any]]) -> dict[tuple[int, int], int]:
        return {(int(c), int(u)): int(n) for c, u, n in rows if (c, u) in counts}

    adds = keys_param((c, u, n) for (c, u), n in counts.items())
    return Query(_BUMP_UNREAD_SQLITE if counts else None, {"adds": adds}, read)
