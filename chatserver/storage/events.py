"""Each user's durable event stream: numbered, stored with the change, replayed on reconnect.

A change appends its events in the same transaction that makes it, so an event exists
exactly when the change does. ``users.event_seq`` holds the last number handed out;
incrementing it with ``UPDATE ... RETURNING`` serialises writers to the same stream.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db import pg_direct
from chatserver.db.models import User, UserEvent
from chatserver.db.prepared import Plan, Prepared, Query
from chatserver.storage.keylist import key_table, keys_param


async def append(
    s: AsyncSession, user_ids: list[int], type_: str, data: dict[str, Any] | list[dict[str, Any]], now: datetime
) -> dict[int, int]:
    """Append one event to each user's stream; ``data`` may differ per user (same order).

    Users are locked in id order so two concurrent changes touching the same pair of
    users cannot deadlock on PostgreSQL.
    """
    per_user = data if isinstance(data, list) else [data] * len(user_ids)
    by_user = dict(zip(user_ids, per_user, strict=True))
    seqs: dict[int, int] = {}
    bump = update(User).values(event_seq=User.event_seq + 1)
    if s.get_bind().dialect.name == "sqlite" and len(by_user) > 1:
        # SQLite locks the whole database, not rows: one statement numbers every stream.
        rows = await s.execute(bump.where(User.id.in_(list(by_user))).returning(User.id, User.event_seq))
        seqs = {int(uid): int(seq) for uid, seq in rows.all()}
    else:
        for uid in sorted(by_user):
            seqs[uid] = int((await s.execute(bump.where(User.id == uid).returning(User.event_seq))).scalar_one())
    # Core insert, one statement for all: no ORM objects are needed for the events.
    await s.execute(
        insert(UserEvent),
        [{"user_id": uid, "seq": seqs[uid], "type": type_, "data": by_user[uid], "created_at": now}
         for uid in sorted(by_user)],
    )
    return seqs


async def since(s: AsyncSession, user_id: int, after_seq: int, limit: int = 500) -> list[UserEvent]:
    q = (
        select(UserEvent)
        .where(UserEvent.user_id == user_id, UserEvent.seq > after_seq)
        .order_by(UserEvent.seq)
        .limit(limit)
    )
    return list((await s.execute(q)).scalars())


@dataclass(frozen=True, slots=True)
class StreamPosition:
    """Where a user's durable stream stands, and their chosen status, for ``hello``."""

    epoch: str
    seq: int
    oldest: int  # the oldest seq still stored; seq + 1 when none is
    status: str


async def stream_positions(s: AsyncSession, user_ids: list[int]) -> dict[int, StreamPosition]:
    """The stream positions of many users, in two queries."""
    ids = list(set(user_ids))
    rows = (await s.execute(
        select(User.id, User.event_epoch, User.event_seq, User.status).where(User.id.in_(ids))
    )).all()
    oldest = {int(uid): int(seq) for uid, seq in (await s.execute(
        select(UserEvent.user_id, func.min(UserEvent.seq)).where(UserEvent.user_id.in_(ids)).group_by(UserEvent.user_id)
    )).all()}
    return {
        int(uid): StreamPosition(epoch, int(seq), oldest.get(int(uid), int(seq) + 1), status)
        for uid, epoch, seq, status in rows
    }


async def prune(s: AsyncSession, keep: int) -> int:
    """Drop every stream's events older than its last ``keep``; returns how many went.

    A client whose last seq falls before what is kept is told to resync on hello.
    """
    newest = select(User.event_seq).where(User.id == UserEvent.user_id).scalar_subquery()
    result = await s.execute(delete(UserEvent).where(UserEvent.seq <= newest - keep))
    return int(getattr(result, "rowcount", 0) or 0)


# Built once: every batch of sends runs them (docs/benchmarks.md, step 16).
# ``data`` is given as its JSON text (json.dumps's, what the column's type would write): a
# batch of sends encodes each message once for both of its events (step 33).
_INSERT_EVENTS = Prepared(insert(UserEvent).values(
    user_id=bindparam("user_id"), seq=bindparam("seq"), type=bindparam("type"),
    data=bindparam("data", type_=String), created_at=bindparam("created_at"),
))
# SQLite: every user's stream moved on and read back in one statement (storage.keylist).
_COUNTS, (_COUNT_UID, _COUNT_N) = key_table("counts")
_BUMP_SEQ_SQLITE = Prepared(
    update(User).where(User.id == _COUNT_UID).values(event_seq=User.event_seq + _COUNT_N)
    .returning(User.id, User.event_seq)
)
# PostgreSQL: the streams moved on (rows locked in id order: two nodes' batches cannot
# deadlock) and the events stored, numbered from what the update returns, in one
# statement on asyncpg (db.pg_direct; step 31). ``k`` is an event's place among its
# user's events of this call, ``n`` how many that user has.
_APPEND_PG = """
WITH bumped AS (
  UPDATE users u SET event_seq = u.event_seq + l.n
  FROM (SELECT c.id, c.n FROM unnest($1::bigint[], $2::bigint[]) AS c(id, n) JOIN users x ON x.id = c.id
        ORDER BY c.id FOR NO KEY UPDATE OF x) l
  WHERE u.id = l.id
  RETURNING u.id, u.event_seq, l.n
), added AS (
  INSERT INTO user_events (user_id, seq, type, data, created_at)
  SELECT e.uid, b.event_seq - b.n + e.k, e.type, e.data::json, $7
  FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[]) WITH ORDINALITY AS e(uid, k, type, data, o)
  JOIN bumped b ON b.id = e.uid
  ORDER BY e.o
)
SELECT id, event_seq FROM bumped
"""


def append_many_plan(items: list[tuple[int, str, dict[str, Any]]], now: datetime,
                     texts: list[str] | None = None) -> Plan[list[int]]:
    """Append many events (user, type, data) in one go; each one's seq, in order.

    A user may appear several times: their events get consecutive numbers in list order.
    ``texts``, when the caller has them cheaper: each item's data as ``json.dumps`` gives it.
    """
    encoded = texts if texts is not None else [json.dumps(data) for _, _, data in items]
    counts: dict[int, int] = {}
    places: list[int] = []
    for uid, _, _ in items:
        counts[uid] = counts.get(uid, 0) + 1
        places.append(counts[uid])

    def read(rows: Sequence[Sequence[Any]]) -> dict[int, int]:
        return {int(uid): int(seq) for uid, seq in rows}

    async def elsewhere(s: AsyncSession) -> dict[int, int]:
        ids = sorted(counts)
        return read(await pg_direct.fetch(
            s, _APPEND_PG, ids, [counts[uid] for uid in ids], [uid for uid, _, _ in items], places,
            [type_ for _, type_, _ in items], encoded, now))

    # SQLite: one statement; it has one writer at a time, so no lock order to keep.
    last: dict[int, int] = yield Query(_BUMP_SEQ_SQLITE if counts else None,
                                       {"counts": keys_param(counts.items())}, read, elsewhere)
    nxt = {uid: last[uid] - n + 1 for uid, n in counts.items()}
    seqs: list[int] = []
    for uid, _, _ in items:
        seqs.append(nxt[uid])
        nxt[uid] += 1
    rows = [{"user_id": uid, "seq": seq, "type": type_, "data": text, "created_at": now}
            for (uid, type_, _), seq, text in zip(items, seqs, encoded, strict=True)]
    # SQLite: an executemany (not the ORM's bulk insert). PostgreSQL stored them above.
    yield Query(_INSERT_EVENTS, rows, lambda _: None, _stored_already, how="many")
    return seqs


async def _stored_already(s: AsyncSession) -> None:
    return None
