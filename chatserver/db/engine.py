"""Engine and session factory for SQLite (embedded default) or PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from chatserver.db import sqlite_driver


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, sqlite:///) and pick the async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("sqlite://"):
        url = "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


# SQLite's `synchronous` in WAL mode (CHATSERVER_SQLITE_SYNCHRONOUS, docs/configuration.md):
# "normal" writes each commit to the log without an fsync (it survives the process, not
# a power loss: the last commits before one may be gone, the database stays whole);
# "full" fsyncs the log on every commit.
SYNCHRONOUS = ("normal", "full")

# PostgreSQL: a pooled connection that sat unused for longer than this is pinged before it
# is handed out (a server restart, or a firewall that drops idle connections, leaves it
# dead); one in use moments ago is not. SQLAlchemy's pre-ping checked every checkout, and
# on asyncpg a ping is three round trips (BEGIN, a statement, ROLLBACK) before each batch
# of sends (docs/benchmarks.md, step 31). A connection that dies between two busy uses
# fails that one use, and SQLAlchemy then renews the whole pool.
IDLE_PING_SECONDS = 5.0
_CHECKED_IN = "chatserver.checked_in"


def make_engine(url: str, *, autocheckpoint: int | None = None, synchronous: str = "normal") -> AsyncEngine:
    """``autocheckpoint``: SQLite's ``wal_autocheckpoint`` for every connection, in pages
    (the server raises it and checkpoints in the background: db.checkpoint).
    ``synchronous``: one of :data:`SYNCHRONOUS`, for SQLite."""
    if synchronous not in SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {', '.join(SYNCHRONOUS)}")
    url = normalise_url(url)
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        # One writer at a time is SQLite's nature; wait for the lock instead of failing.
        # One thread round trip per statement (sqlite_driver), not four. Usable from the
        # event loop's thread too: a write plan runs there once it holds the write lock
        # (db.prepared.run_plan), never while the connection's own thread works on it.
        kwargs["async_creator"] = sqlite_driver.creator(url, timeout=30, check_same_thread=False)
    else:
        kwargs["pool_size"] = 10
        kwargs["max_overflow"] = 20
    engine = create_async_engine(url, **kwargs)
    if not url.startswith("sqlite"):
        _ping_when_idle(engine)
    if url.startswith("sqlite"):

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
            cursor.execute("PRAGMA foreign_keys=ON")
            if autocheckpoint is not None:
                cursor.execute(f"PRAGMA wal_autocheckpoint={int(autocheckpoint)}")
            cursor.close()

    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    pool_events = engine.sync_engine

    @event.listens_for(pool_events, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(pool_events, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get(_CHECKED_IN)
        if last is None or time.monotonic() - last < IDLE_PING_SECONDS:
            return
        try:
            dbapi_conn.ping()
        except Exception as exc:  # noqa: BLE001 - any failure: the pool connects anew
            raise DisconnectionError("a pooled connection did not answer its ping") from exc


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
