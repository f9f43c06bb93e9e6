"""Engine and session factory for SQLite (embedded default) or PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
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
        kwargs["pool_pre_ping"] = True
    engine = create_async_engine(url, **kwargs)
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


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
