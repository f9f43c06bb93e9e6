"""PostgreSQL: the hot statements on asyncpg directly, inside the session's transaction.

Through SQLAlchemy a batch of sends paid, per statement, its execution context and its
parameters processed one by one, and an ``IN`` list rendered with one parameter per
element: a new statement text for every length, which asyncpg prepared anew (a round
trip and a plan in the server) whenever its cache did not hold that length
(docs/benchmarks.md, step 31). A statement run here is one fixed text whose lists are
array parameters (``= ANY($1::bigint[])``, ``unnest($1::bigint[], ...)``): asyncpg
prepares it once per connection (its statement cache) and each run is one round trip.

The values are the ones SQLAlchemy writes and reads: timestamps are aware datetimes
either way, and a JSON column is given its text (``json.dumps``) and read back decoded,
by the codec SQLAlchemy installs on each of its asyncpg connections.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

# Where a connection's asyncpg connection is kept once looked up (as db.prepared does).
_DRIVER = "chatserver.asyncpg_driver"


async def _connection(s: AsyncSession) -> Any:
    """The session's asyncpg connection, its transaction begun."""
    conn = await s.connection()
    info = conn.info
    adapted: Any = info.get(_DRIVER)
    if adapted is None:
        raw = await conn.get_raw_connection()
        adapted = info[_DRIVER] = raw.dbapi_connection
    # SQLAlchemy's asyncpg adapter begins the database's transaction with its first
    # statement; one run here may be the first.
    if adapted._transaction is None:
        await adapted._start_transaction()
    return adapted._connection


async def fetch(s: AsyncSession, sql: str, *args: Any) -> Sequence[Sequence[Any]]:
    """Run ``sql`` once in the session's transaction; its rows (asyncpg's records)."""
    driver = await _connection(s)
    rows: Sequence[Sequence[Any]] = await driver.fetch(sql, *args)
    return rows


async def execute(s: AsyncSession, sql: str, *args: Any) -> None:
    """Run ``sql`` once in the session's transaction, for its effect."""
    driver = await _connection(s)
    await driver.execute(sql, *args)
