"""Each user's durable event stream: numbered, stored with the change, replayed on reconnect.

A change appends its events in the same transaction that makes it, so an event exists
exactly when the change does. ``users.event_seq`` holds the last number handed out;
incrementing it with ``UPDATE ... RETURNING`` serialises writers to the same stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

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
_BUMP_SEQ = update(User).where(User.id == bindparam("uid")).values(event_seq=User.event_seq + bindparam("n"))
_SEQ_OF = select(User.id, User.event_seq).where(User.id.in_(bindparam("ids", expanding=True)))
_INSERT_EVENTS = Prepared(insert(UserEvent), columns=["user_id", "seq", "type", "data", "created_at"])
# SQLite: every user's stream moved on and read back in one statement (storage.keylist).
_COUNTS, (_COUNT_UID, _COUNT_N) = key_table("counts")
_BUMP_SEQ_SQLITE = Prepared(
    update(User).where(User.id == _COUNT_UID).values(event_seq=User.event_seq + _COUNT_N)
    .returning(User.id, User.event_seq)
)


def append_many_plan(items: list[tuple[int, str, dict[str, Any]]], now: datetime) -> Plan[list[int]]:
    """Append many events (user, type, data) in one go; each one's seq, in order.

    A user may appear several times: their events get consecutive numbers in list order.
    """
    counts: dict[int, int] = {}
    for uid, _, _ in items:
        counts[uid] = counts.get(uid, 0) + 1

    def read(rows: Sequence[Sequence[Any]]) -> dict[int, int]:
        return {int(uid): int(seq) for uid, seq in rows}

    async def elsewhere(s: AsyncSession) -> dict[int, int]:
        # One executemany in id order (row locks taken in one order: no deadlock between
        # nodes), then one read back; both of fixed shape, compiled once.
        conn = await s.connection()  # Core executemany (the ORM would take a list as bulk-by-key)
        await conn.execute(_BUMP_SEQ, [{"uid": uid, "n": counts[uid]} for uid in sorted(counts)])
        return read((await conn.execute(_SEQ_OF, {"ids": sorted(counts)})).all())

    # SQLite: one statement; it has one writer at a time, so no lock order to keep.
    last: dict[int, int] = yield Query(_BUMP_SEQ_SQLITE if counts else None,
                                       {"counts": keys_param(counts.items())}, read, elsewhere)
    nxt = {uid: last[uid] - n + 1 for uid, n in counts.items()}
    seqs: list[int] = []
    for uid, _, _ in items:
        seqs.append(nxt[uid])
        nxt[uid] += 1
    rows = [{"user_id": uid, "seq": seq, "type": type_, "data": data, "created_at": now}
            for (uid, type_, data), seq in zip(items, seqs, strict=True)]
    yield Query(_INSERT_EVENTS, rows, lambda _: None, how="many")  # an executemany, not the ORM's bulk insert
    return seqs
