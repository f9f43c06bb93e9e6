"""aiosqlite with one thread round trip per statement instead of four.

aiosqlite runs each sqlite3 call on the connection's own thread and hands the result back
through the event loop. SQLAlchemy's adapter makes four such calls per statement (make a
cursor, execute, fetch all, close), and each waits for a turn of the event loop: under
load, a turn runs every socket's callbacks first. A batch of sends (13 statements) took
some 100 turns, which set both the hub's latency and its throughput (docs/benchmarks.md,
step 13). Here the cursor is made, run, read and closed in one call on the thread.

Only what SQLAlchemy's aiosqlite adapter uses of a cursor is offered; rows are fetched
with the statement (the hub does not stream results).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.engine import make_url

Outcome = tuple[list[Any] | None, Any, int, int | None]
T = TypeVar("T")


class OneHopCursor:
    """A cursor whose statement, rows and close are one call on the connection's thread."""

    arraysize = 1

    def __init__(self, conn: OneHopConnection) -> None:
        self._conn = conn
        self._rows: list[Any] = []
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> OneHopCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> OneHopCursor:
        self._take(await self._conn.run(sql, parameters, False))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> OneHopCursor:
        self._take(await self._conn.run(sql, parameters, True))
        return self

    def _take(self, outcome: Outcome) -> None:
        rows, self.description, self.rowcount, self.lastrowid = outcome
        self._rows = rows if rows is not None else []

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        n = size or self.arraysize
        out, self._rows = self._rows[:n], self._rows[n:]
        return out

    async def fetchall(self) -> list[Any]:
        out, self._rows = self._rows, []
        return out

    async def close(self) -> None:
        self._rows = []


class OneHopConnection(aiosqlite.Connection):
    def cursor(self) -> OneHopCursor:  # type: ignore[override]
        # No round trip: the sqlite3 cursor is made on the thread with its statement.
        return OneHopCursor(self)

    # sqlite3 opens a transaction only for a write, and its commit and rollback do nothing
    # without one. Asked then (a read-only session ending; the pool's rollback when a
    # committed connection comes back), they answer at once instead of taking a turn on
    # the connection's thread: one round trip less per batch of sends, two per read.
    async def commit(self) -> None:
        if self._conn.in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await super().rollback()

    async def run(self, sql: str, parameters: Any, many: bool) -> Outcome:
        outcome: Outcome = await self._execute(self.run_here, sql, parameters, many)  # type: ignore[no-untyped-call]
        return outcome

    async def insert_each(self, sql: str, rows: list[Any]) -> list[int | None]:
        """:meth:`insert_each_here` in one hop."""
        ids: list[int | None] = await self._execute(self.insert_each_here, sql, rows)  # type: ignore[no-untyped-call]
        return ids

    async def begin_write(self) -> None:
        """Hold SQLite's write lock from now until the transaction ends (``BEGIN
        IMMEDIATE``), waiting for it on the connection's thread as long as the busy timeout
        says; nothing if a transaction is open already. While it is held nothing this
        connection runs waits for a lock: in WAL mode readers never block a writer and
        the commit needs no other lock, so the rest of the transaction may run on the
        event loop's thread (db.prepared.run_plan)."""
        if not self._conn.in_transaction:
            await self._execute(self._begin_immediate)  # type: ignore[no-untyped-call]

    def _begin_immediate(self) -> None:
        if not self._conn.in_transaction:
            self._conn.execute("BEGIN IMMEDIATE")

    async def in_thread(self, work: Callable[[OneHopConnection], T]) -> T:
        """``work(self)`` on the connection's thread, in one hop: it may call the ``*_here``
        methods as often as it needs (db.prepared runs a whole plan of statements so)."""
        result: T = await self._execute(work, self)  # type: ignore[no-untyped-call]
        return result

    # What follows runs on the connection's thread (through run, insert_each, in_thread), or
    # on the event loop's while the connection holds the write lock (begin_write) and its
    # thread has nothing to do.

    def run_here(self, sql: str, parameters: Any, many: bool) -> Outcome:
        """Execute, read every row, close."""
        cur = self._conn.cursor()
        try:
            if many:
                cur.executemany(sql, parameters)
            else:
                cur.execute(sql, parameters if parameters is not None else ())
            description = cur.description
            rows = cur.fetchall() if description else None
            return rows, description, cur.rowcount, cur.lastrowid
        finally:
            cur.close()

    def insert_each_here(self, sql: str, rows: list[Any]) -> list[int | None]:
        """Run an INSERT once per row, in order: each row's id, or None where the row was
        not inserted (an ``ON CONFLICT DO NOTHING`` that applied).

        What a multi-row ``INSERT ... RETURNING`` answers, at a quarter of its cost: SQLite
        took ~290 us for 20 rows as one ``VALUES`` list or ``INSERT ... SELECT``, ~80 us
        row by row on its prepared statement (docs/benchmarks.md, step 24).
        """
        cur = self._conn.cursor()
        try:
            ids: list[int | None] = []
            for row in rows:
                cur.execute(sql, row)
                ids.append(cur.lastrowid if cur.rowcount == 1 else None)
            return ids
        finally:
            cur.close()

    def commit_here(self) -> None:
        """Commit the open transaction, if one is: the session's own commit that follows
        then finds none open and answers at once (see :meth:`commit`)."""
        if self._conn.in_transaction:
            self._conn.commit()

    def rollback_here(self) -> None:
        """Roll the open transaction back, if one is (a write plan that failed)."""
        if self._conn.in_transaction:
            self._conn.rollback()


def creator(url: str, **connect_kwargs: Any) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine``: the arguments SQLAlchemy's
    aiosqlite dialect would pass, plus ``connect_kwargs``."""
    sa_url = make_url(url)
    args, kwargs = sa_url.get_dialect()().create_connect_args(sa_url)
    kwargs.update(connect_kwargs)

    async def connect() -> OneHopConnection:
        conn = OneHopConnection(partial(sqlite3.connect, *args, **kwargs), iter_chunk_size=64)
        conn._thread.daemon = True  # as SQLAlchemy does: a forgotten connection must not hold up exit
        await conn
        return conn

    return connect
