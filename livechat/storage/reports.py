"""Live-chat reports' SQL: figures per local day and per operator, in the database.

The same text runs on SQLite and PostgreSQL: a row's local day is arithmetic on its UTC
seconds and the zone's offsets over the range, which arrive as parameters (so the
database needs no zone rules; see :class:`_Query`), medians and percentiles come from
window functions (``ROW_NUMBER``/``COUNT`` over each group), and only small pieces differ
per dialect: how an instant becomes seconds and how a number is floored.

What is measured (docs/livechat.md, Reports):

- a *chat* is one opening of a conversation (``livechat_openings``: created, or reopened
  by the visitor writing after it was resolved, until its resolution), so a reopened
  conversation counts once for each time it was opened;
- *first response* is from the visitor's first message of that opening to the first
  operator message after it, within the opening: a private note is not a message (its
  own table), and a proactive or automatic message is not an operator's (not stored, or
  sent as ``system``), so neither counts;
- *resolution* is from the opening to its resolution, counted on the day it was resolved;
- a rating (CSAT) counts on the day it was given, for the operator who had the chat.

Every query filters on ``tenant_id`` first and reads through the indexes of migrations
0180 and 0190 (openings by tenant and opening or resolution, ratings by tenant and time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import UTCDateTime

__all__ = ["Stats", "by_day", "by_operator"]


@dataclass(frozen=True)
class Stats:
    """One group's figures: how many rows, how many had a value, and of those values the
    median (mean of the two middle ones for an even count) and the 90th percentile
    (nearest rank: the smallest value at or above 90% of them)."""

    rows: int
    values: int
    median: float | None
    p90: float | None


def _seconds(dialect: str, start: str, end: str) -> str:
    if dialect == "sqlite":
        return f"((julianday({end}) - julianday({start})) * 86400.0)"
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"


def _epoch(dialect: str, instant: str) -> str:
    if dialect == "sqlite":
        return f"((julianday({instant}) - 2440587.5) * 86400.0)"
    return f"CAST(EXTRACT(EPOCH FROM {instant}) AS DOUBLE PRECISION)"


def _floor(dialect: str, value: str) -> str:
    # SQLite's CAST truncates (the values are never negative here); PostgreSQL's rounds.
    return f"CAST({value} AS INTEGER)" if dialect == "sqlite" else f"CAST(FLOOR({value}) AS INTEGER)"


def _number(name: str) -> str:
    # Typed: PostgreSQL takes an untyped parameter in a CASE branch for text.
    return f"CAST(:{name} AS DOUBLE PRECISION)"


def _offset(zone: ZoneInfo, at: datetime) -> float:
    offset = at.astimezone(zone).utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def _changes(zone: ZoneInfo, bounds: list[datetime]) -> list[tuple[datetime, float]]:
    """The zone's UTC offset over the range: ``[(from, offset seconds), ...]``, the first
    from the range's start; a change (summer time) is found to the microsecond inside its day."""
    out = [(bounds[0], _offset(zone, bounds[0]))]
    for a, b in zip(bounds, bounds[1:], strict=False):
        before, after = _offset(zone, a), _offset(zone, b)
        if before == after:
            continue
        low, high = a, b
        while high - low > timedelta(microseconds=1):
            middle = low + (high - low) / 2
            low, high = (middle, high) if _offset(zone, middle) == before else (low, middle)
        out.append((high, after))
    return out


class _Query:
    """The shared CTEs of one report (the tenant's chats, resolutions and ratings in range)
    and, for a report per day, the day of an instant in the zone, by arithmetic: the
    instant's local clock time in seconds (its UTC seconds plus the offset in force then)
    less the first local midnight's, over 86,400. Every local day is 86,400 seconds of
    local clock time, so a summer-time day falls out right, and each row is bucketed in
    constant time, where a join with a table of days would test every row against every
    day."""

    def __init__(self, dialect: str, tenant_id: int, bounds: list[datetime], zone: ZoneInfo | None = None) -> None:
        self.dialect = dialect
        self.params: dict[str, Any] = {"tenant": tenant_id, "start": bounds[0], "end": bounds[-1]}
        self.instants = ["start", "end"]
        self.changes = _changes(zone, bounds) if zone is not None else []
        for i, (at, seconds) in enumerate(self.changes):
            self.params[f"o{i}"] = seconds
            if i:
                self.params[f"c{i}"] = at
                self.instants.append(f"c{i}")
        if self.changes:
            self.params["base"] = bounds[0].timestamp() + self.changes[0][1]
        secs = _seconds(dialect, "o.asked_at", "r.created_at")
        self.ctes = f"""
opened AS (
  SELECT o.conversation_id AS id, o.opened_at, o.resolved_at,
         -- who had it: at its resolution, or now while it is open
         COALESCE(o.operator_id, CASE WHEN o.resolved_at IS NULL THEN c.operator_id END) AS operator_id,
         (SELECT MIN(m.created_at) FROM livechat_messages m
           WHERE m.conversation_id = o.conversation_id AND m.sender = 'visitor' AND m.created_at >= o.opened_at
             AND (o.resolved_at IS NULL OR m.created_at <= o.resolved_at)) AS asked_at
  FROM livechat_openings o JOIN livechat_conversations c ON c.id = o.conversation_id
  WHERE o.tenant_id = :tenant AND o.opened_at >= :start AND o.opened_at < :end
),
answered AS (
  SELECT o.id, o.operator_id, o.opened_at, o.asked_at,
         (SELECT MIN(m.id) FROM livechat_messages m
           WHERE m.conversation_id = o.id AND m.sender = 'operator' AND m.created_at >= o.asked_at
             AND (o.resolved_at IS NULL OR m.created_at <= o.resolved_at)) AS reply_id
  FROM opened o
),
chats AS (
  SELECT o.id, o.operator_id, o.opened_at, r.sender_user_id AS responder, {secs} AS first_s
  FROM answered o LEFT JOIN livechat_messages r ON r.id = o.reply_id
),
resolved AS (
  SELECT o.conversation_id AS id, o.operator_id, o.resolved_at,
         {_seconds(dialect, "o.opened_at", "o.resolved_at")} AS resolution_s
  FROM livechat_openings o
  WHERE o.tenant_id = :tenant AND o.resolved_at >= :start AND o.resolved_at < :end
),
rated AS (
  SELECT r.operator_id, r.score, r.created_at FROM livechat_ratings r
  WHERE r.tenant_id = :tenant AND r.created_at >= :start AND r.created_at < :end
)"""

    def day(self, column: str) -> str:
        """The SQL of the day number (0: the first) of the instant in ``column``."""
        assert self.changes, "a report per day needs its zone"
        offset = _number(f"o{len(self.changes) - 1}")
        for i in range(len(self.changes) - 1, 0, -1):
            offset = f"CASE WHEN {column} < :c{i} THEN {_number(f'o{i - 1}')} ELSE {offset} END"
        # A tenth of a millisecond against the float's rounding at midnight itself (SQLite
        # reads instants to the millisecond).
        local = f"({_epoch(self.dialect, column)} + {offset} - {_number('base')} + 0.0001)"
        return _floor(self.dialect, f"{local} / 86400.0")

    def _text(self, sql: str) -> Any:
        used = set(re.findall(r"(?<!:):(\w+)", sql))
        return text(sql).bindparams(*(bindparam(n, type_=UTCDateTime) for n in self.instants if n in used))

    async def stats(self, s: AsyncSession, source: str) -> dict[Any, Stats]:
        """``source`` selects ``grp`` and ``v`` (null: a row without a value)."""
        sql = f"""WITH {self.ctes},
src AS ({source}),
ranked AS (
  SELECT grp, v,
         ROW_NUMBER() OVER (PARTITION BY grp ORDER BY CASE WHEN v IS NULL THEN 1 ELSE 0 END, v) AS rn,
         COUNT(v) OVER (PARTITION BY grp) AS n
  FROM src
)
SELECT grp, COUNT(*), MAX(n),
       AVG(CASE WHEN v IS NOT NULL AND rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END),
       MAX(CASE WHEN v IS NOT NULL AND rn = (9 * n + 9) / 10 THEN v END)
FROM ranked GROUP BY grp"""
        rows = (await s.execute(self._text(sql), self.params)).all()
        return {
            grp: Stats(int(total), int(n or 0), _float(median), _float(p90)) for grp, total, n, median, p90 in rows
        }

    async def ratings(self, s: AsyncSession, source: str) -> dict[Any, tuple[float, int]]:
        """``source`` selects ``grp`` and ``score``: {group: (mean score, number)}."""
        sql = f"WITH {self.ctes}, src AS ({source}) SELECT grp, AVG(score), COUNT(*) FROM src GROUP BY grp"
        rows = (await s.execute(self._text(sql), self.params)).all()
        return {grp: (float(mean), int(n)) for grp, mean, n in rows}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Days:
    """Per day index (0 = the first day): chats started with their first responses, chats
    resolved with their resolution times, ratings (mean, number)."""

    started: dict[int, Stats]
    resolved: dict[int, Stats]
    ratings: dict[int, tuple[float, int]]


async def by_day(
    s: AsyncSession, tenant_id: int, bounds: list[datetime], zone: ZoneInfo, operator_id: int | None = None
) -> Days:
    """``bounds``: the UTC instants of each local midnight in ``zone``, one more than there
    are days. With ``operator_id``: only the chats that operator had (at their resolution,
    or now while open), and the ratings of their chats."""
    q = _Query(s.get_bind().dialect.name, tenant_id, bounds, zone)
    only = ""
    if operator_id is not None:
        q.params["operator"] = operator_id
        only = " WHERE x.operator_id = :operator"
    return Days(
        started=await q.stats(s, f"SELECT {q.day('x.opened_at')} AS grp, x.first_s AS v FROM chats x{only}"),
        resolved=await q.stats(
            s, f"SELECT {q.day('x.resolved_at')} AS grp, x.resolution_s AS v FROM resolved x{only}"
        ),
        ratings=await q.ratings(s, f"SELECT {q.day('x.created_at')} AS grp, x.score FROM rated x{only}"),
    )


@dataclass(frozen=True)
class Operators:
    """Per operator id: chats they have (started in range), first responses they gave,
    chats resolved in their hands, their ratings (mean, number)."""

    handled: dict[int, Stats]
    answered: dict[int, Stats]
    resolved: dict[int, Stats]
    ratings: dict[int, tuple[float, int]]


async def by_operator(s: AsyncSession, tenant_id: int, bounds: list[datetime]) -> Operators:
    q = _Query(s.get_bind().dialect.name, tenant_id, bounds)
    return Operators(
        handled=await q.stats(s, "SELECT x.operator_id AS grp, CAST(NULL AS DOUBLE PRECISION) AS v FROM chats x WHERE x.operator_id IS NOT NULL"),
        answered=await q.stats(s, "SELECT x.responder AS grp, x.first_s AS v FROM chats x WHERE x.responder IS NOT NULL"),
        resolved=await q.stats(
            s, "SELECT x.operator_id AS grp, x.resolution_s AS v FROM resolved x WHERE x.operator_id IS NOT NULL"
        ),
        ratings=await q.ratings(s, "SELECT x.operator_id AS grp, x.score FROM rated x WHERE x.operator_id IS NOT NULL"),
    )
