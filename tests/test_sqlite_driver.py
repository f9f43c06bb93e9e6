"""The SQLite driver's one-round-trip cursor (``db/sqlite_driver.py``) through SQLAlchemy.

Everything the hub asks of SQLite goes through it, so what SQLAlchemy reads from a cursor
must be what sqlite3 would have given: rows, row counts, inserted ids, errors, and a
connection that stays usable after an error or a rollback.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.config import Config
from chatserver.db.engine import make_engine
from chatserver.db.prepared import Plan, Prepared, Query, run_plan


@pytest.fixture
async def engine(tmp_path: Path):
    eng = make_engine(f"sqlite:///{tmp_path / 'driver.db'}")
    async with eng.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)"))
    yield eng
    await eng.dispose()


async def test_rows_counts_ids_and_pragmas_come_back_as_sqlite3_gives_them(engine) -> None:
    async with engine.begin() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"  # set on connect
        first = await conn.execute(text("INSERT INTO t (name, n) VALUES ('a', 1)"))
        assert first.lastrowid == 1 and first.rowcount == 1
        many = await conn.execute(text("INSERT INTO t (name, n) VALUES (:name, :n)"),
                                  [{"name": f"x{i}", "n": i} for i in range(50)])
        assert many.rowcount == 50
        returned = await conn.execute(text("INSERT INTO t (name, n) VALUES ('b', 2), ('c', 3) RETURNING id, name"))
        assert sorted(returned.all()) == [(52, "b"), (53, "c")]
        bumped = await conn.execute(text("UPDATE t SET n = n + 1 WHERE n >= :n"), {"n": 40})
        assert bumped.rowcount == 10
    async with engine.connect() as conn:
        result = await conn.execute(text("SELECT id, name FROM t WHERE id IN :ids ORDER BY id").bindparams(
            bindparam("ids", expanding=True)), {"ids": [1, 2, 53]})
        assert list(result.keys()) == ["id", "name"]
        assert result.all() == [(1, "a"), (2, "x0"), (53, "c")]
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 53
        assert (await conn.execute(text("SELECT name FROM t WHERE id = -1"))).first() is None


async def test_an_error_rolls_back_alone_and_the_connection_goes_on(engine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (name, n) VALUES ('only', 1)"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (name, n) VALUES ('kept?', 1)"))
            await conn.execute(text("INSERT INTO t (name, n) VALUES ('only', 2)"))  # unique name
    async with engine.connect() as conn:
        names = (await conn.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
        assert names == ["only"]  # the failed transaction left nothing
        with pytest.raises(Exception, match="no such table"):
            await conn.execute(text("SELECT * FROM missing"))
        await conn.rollback()
        assert (await conn.execute(text("SELECT n FROM t"))).scalar_one() == 1


async def test_commit_and_rollback_still_end_a_write_and_do_nothing_after_only_reads(engine) -> None:
    # (Without a write sqlite3 has no transaction, and the driver answers them at once.)
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO t (name, n) VALUES ('gone', 1)"))
        await conn.rollback()
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0
        await conn.commit()  # after only a read: nothing to do
        await conn.execute(text("INSERT INTO t (name, n) VALUES ('kept', 1)"))
        await conn.commit()
        await conn.rollback()  # nothing open any more: the commit stands
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT name FROM t"))).scalars().all() == ["kept"]


_T = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("name", String), Column("n", Integer))
_ADD = Prepared(insert(_T), columns=["name", "n"])


def _add_two() -> Plan[None]:
    yield Query(_ADD, [{"name": "one", "n": 1}, {"name": "two", "n": 2}], lambda _: None, how="many")


async def test_a_write_plan_waits_for_the_write_lock_off_the_event_loop(engine, tmp_path: Path) -> None:
    # Another process's writer (here another connection on a thread) holds the lock.
    holder = sqlite3.connect(tmp_path / "driver.db", check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t (name, n) VALUES ('first', 0)")
    sessions = async_sessionmaker(engine)

    async def write() -> None:
        async with sessions() as s, s.begin():
            await run_plan(s, _add_two(), commit=True)

    writing = asyncio.create_task(write())
    ticks = 0
    for _ in range(30):  # the event loop goes on while the plan waits for the lock
        await asyncio.sleep(0.01)
        ticks += 1
    assert not writing.done() and ticks == 30
    await asyncio.to_thread(holder.commit)
    await asyncio.wait_for(writing, 10)
    holder.close()
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all() == ["first", "one", "two"]


@pytest.mark.parametrize(("setting", "pragma"), [("normal", 1), ("full", 2)])
async def test_synchronous_is_the_configured_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 setting: str, pragma: int) -> None:
    """CHATSERVER_SQLITE_SYNCHRONOUS reaches every connection (docs/configuration.md, "SQLite durability")."""
    monkeypatch.setenv("CHATSERVER_SQLITE_SYNCHRONOUS", setting.upper())
    eng = make_engine(f"sqlite:///{tmp_path / 'sync.db'}", synchronous=Config.from_env().sqlite_synchronous)
    try:
        async with eng.connect() as conn:
            assert (await conn.execute(text("PRAGMA synchronous"))).scalar() == pragma
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
    finally:
        await eng.dispose()


def test_an_unknown_synchronous_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATSERVER_SQLITE_SYNCHRONOUS", "off")  # would lose commits to a process crash
    with pytest.raises(ValueError, match="CHATSERVER_SQLITE_SYNCHRONOUS"):
        Config.from_env()
    with pytest.raises(ValueError, match="synchronous"):
        make_engine("sqlite:///x.db", synchronous="off")
