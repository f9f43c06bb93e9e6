"""Live-chat reports' SQL: figures per local day and per operator, in the database.

The same text runs on SQLite and PostgreSQL: the day buckets arrive as a ``days`` CTE of
UTC boundaries (the caller turns local midnights of a time zone into instants, so the
database needs no zone rules), medians and percentiles come from window functions
(``ROW_NUMBER``/``COUNT`` over each group), and only two small pieces differ per dialect:
how a bound instant is typed and how two instants become seconds.

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

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def _instant(dialect: str, name: str) -> str:
    # PostgreSQL must know a parameter's type inside VALUES; SQLite keeps instants as text.
    return f":{name}" if dialect == "sqlite" else f"CAST(:{name} AS TIMESTAMP WITH TIME ZONE)"


class _Query:
    """The shared CTEs of one report: its day buckets and the tenant's chats in range."""

    def __init__(self, dialect: str, tenant_id: int, bounds: list[datetime]) -> None:
        self.dialect = dialect
        self.params: dict[str, Any] = {"tenant": tenant_id}
        self.instants: list[str] = []
        rows = []
        for i in range(len(bounds) - 1):
            rows.append(f"({i}, {self._at(f'd{i}', bounds[i])}, {self._at(f'd{i + 1}', bounds[i + 1])})")
        self._at("start", bounds[0])
        self._at("end", bounds[-1])
        secs = _seconds(dialect, "o.asked_at", "r.created_at")
        self.ctes = f"""
days(day, d0, d1) AS (VALUES {", ".join(rows)}),
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

    def _at(self, name: str, value: datetime) -> str:
        self.params[name] = value
        self.instants.append(name)
        return _instant(self.dialect, name)

    def _text(self, sql: str) -> Any:
        return text(sql).bindparams(*(bindparam(n, type_=UTCDateTime) for n in self.instants))

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


def _day(column: str) -> str:
    return f"JOIN days d ON {column} >= d.d0 AND {column} < d.d1"


@dataclass(frozen=True)
class Days:
    """Per day index (0 = the first day): chats started with their first responses, chats
    resolved with their resolution times, ratings (mean, number)."""

    started: dict[int, Stats]
    resolved: dict[int, Stats]
    ratings: dict[int, tuple[float, int]]


async def by_day(s: AsyncSession, tenant_id: int, bounds: list[datetime], operator_id: int | None = None) -> Days:
    """``bounds``: the UTC instants of each local midnight, one more than there are days.
    With ``operator_id``: only the chats that operator had (at their resolution, or now
    while open), and the ratings of their chats."""
    q = _Query(s.get_bind().dialect.name, tenant_id, bounds)
    only = ""
    if operator_id is not None:
        q.params["operator"] = operator_id
        only = " WHERE x.operator_id = :operator"
    return Days(
        started=await q.stats(s, f"SELECT d.day AS grp, x.first_s AS v FROM chats x {_day('x.opened_at')}{only}"),
        resolved=await q.stats(
            s, f"SELECT d.day AS grp, x.resolution_s AS v FROM resolved x {_day('x.resolved_at')}{only}"
        ),
        ratings=await q.ratings(s, f"SELECT d.day AS grp, x.score FROM rated x {_day('x.created_at')}{only}"),
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
