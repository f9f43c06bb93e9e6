"""PostgreSQL: the hot statements on asyncpg directly, inside the session's transaction.

Through SQLAlchemy a batch of sends paid, per statement, its execution context and its
parameters processed one by one, and an ``IN`` list rendered with one parameter per
element: a new statement text for every length, which asyncpg prepared anew (a round
trip and a plan in the server) whenever its cache did not hold that length
(docs/benchmarks.md, step 31). A statement run here is one fixed text whose lists are
array parameters (``= ANY($1::bigint[])``, ``unnest($1::bigint[], ...)``): asyncpg
prepares it once per connection (its statement cache) and each run is one round trip.

A batch of sends whose only write is its one statement runs here without a session at
all (:class:`Direct`, on a connection the send batcher keeps): making a session, checking
its connection out and back in and closing it through SQLAlchemy's asyncio layer cost a
large share of such a batch's CPU (docs/benchmarks.md, step 51).

The values are the ones SQLAlchemy writes and reads: timestamps are aware datetimes
either way, and a JSON column is given its text (``json.dumps``) and read back decoded,
by the codec SQLAlchemy installs on each of its asyncpg connections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

# Where a connection's asyncpg connection is kept once looked up (as db.prepared does).
_DRIVER = "chatserver.asyncpg_driver"
# Where a session keeps its transaction and that transaction's asyncpg connection.
_HELD = "chatserver.asyncpg_held"
# Set on a session whose statements here begin no database transaction (begin_nothing).
_NO_BEGIN = "chatserver.asyncpg_no_begin"


class Direct:
    """A pooled connection's asyncpg connection, used without a session: each statement run
    on it is a transaction of its own, as :func:`begin_nothing` makes a session's. Only
    for work whose one write is one statement (reads under READ COMMITTED see what they
    would inside a transaction and take no locks; one statement is atomic)."""

    __slots__ = ("driver",)

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    @classmethod
    async def of(cls, conn: AsyncConnection) -> Direct:
        """The asyncpg connection under ``conn``."""
        return cls((await _adapter(conn))._connection)


async def _adapter(conn: AsyncConnection) -> Any:
    """SQLAlchemy's adapter around ``conn``'s asyncpg connection, looked up once per pooled
    connection (kept in its ``info``)."""
    info = conn.info
    adapted = info.get(_DRIVER)
    if adapted is None:
        raw = await conn.get_raw_connection()
        adapted = info[_DRIVER] = raw.dbapi_connection
    return adapted


# Where the statements here run: a session's transaction, or a connection without one.
On = AsyncSession | Direct


def begin_nothing(s: AsyncSession) -> None:
    """Run this session's statements here outside a database transaction (each its own,
    as PostgreSQL runs a statement sent alone), or inside one if the session's other work
    has begun it: no BEGIN and no COMMIT, two round trips fewer (docs/benchmarks.md,
    step 48). Only for work whose writes are one statement: reads under READ COMMITTED
    see what they would inside a transaction (each statement its own snapshot) and take
    no locks, so only what writes needs the transaction, and one statement is atomic."""
    s.info[_NO_BEGIN] = True


def transaction_begun(s: On) -> bool:
    """Whether the session's database transaction has begun (by a statement here or the
    session's own); False before any statement ran here, and always without a session."""
    if isinstance(s, Direct):
        return False
    held = s.info.get(_HELD)
    return held is not None and held[1]._transaction is not None


async def _connection(s: On) -> Any:
    """The session's asyncpg connection, its transaction begun (or the one given)."""
    if isinstance(s, Direct):
        return s.driver
    # Asked once per session transaction: ``AsyncSession.connection`` is a hop through a
    # greenlet each time, for every statement of a batch (docs/benchmarks.md, step 40).
    # The session's transaction holds its connection until it ends, and a new one is a
    # new object.
    tx = s.sync_session.get_transaction()
    held = s.info.get(_HELD)
    if tx is not None and held is not None and held[0] is tx:
        adapted: Any = held[1]
    else:
        adapted = await _adapter(await s.connection())
        s.info[_HELD] = (s.sync_session.get_transaction(), adapted)
    # SQLAlchemy's asyncpg adapter begins the database's transaction with its first
    # statement; one run here may be the first.
    if adapted._transaction is None and not s.info.get(_NO_BEGIN):
        await adapted._start_transaction()
    return adapted._connection


async def fetch(s: On, sql: str, *args: Any) -> Sequence[Sequence[Any]]:
    """Run ``sql`` once in the session's transaction (or alone, on a :class:`Direct`); its
    rows (asyncpg's records)."""
    driver = await _connection(s)
    rows: Sequence[Sequence[Any]] = await driver.fetch(sql, *args)
    return rows


async def execute(s: On, sql: str, *args: Any) -> None:
    """Run ``sql`` once in the session's transaction (or alone, on a :class:`Direct`), for
    its effect."""
    driver = await _connection(s)
    await driver.execute(sql, *args)


# A parameter's place in a statement's text: $1, $2, ...
_PARAM = re.compile(r"\$(\d+)")
# The joint statements made so far, by their parts' texts and numbers of arguments.
_JOINT: dict[tuple[tuple[str, int], ...], str] = {}


def _renumber(sql: str, offset: int) -> str:
    return _PARAM.sub(lambda m: f"${int(m.group(1)) + offset}", sql)


def joint_text(parts: Sequence[tuple[str, int]]) -> str:
    """One SELECT of several (each a text and its number of arguments): a row of arrays,
    each part's rows as an array of records, the parts' parameters numbered on."""
    key = tuple(parts)
    found = _JOINT.get(key)
    if found is None:
        columns, offset = [], 0
        for sql, n in parts:
            body = _renumber(sql.strip(), offset)
            columns.append(f"ARRAY(SELECT t FROM ({body}) t)")
            offset += n
        found = _JOINT[key] = "SELECT " + ", ".join(columns)
    return found


async def fetch_together(s: On, parts: Sequence[tuple[str, Sequence[Any]]]) -> list[list[tuple[Any, ...]]]:
    """Several SELECTs in one statement, one round trip: each one's rows (tuples), in
    order. Each part is the text given to :func:`fetch` and its arguments; their texts
    hold no ``$`` but their parameters'. The joint text depends only on the parts' texts
    (a few per caller), so asyncpg prepares each once per connection as it does theirs."""
    sql = joint_text([(text, len(args)) for text, args in parts])
    (row,) = await fetch(s, sql, *(arg for _, args in parts for arg in args))
    return [list(found) for found in row]
