"""SQLite's log is folded back into the database by the server's checkpointer (db.checkpoint),
not by whichever commit of a batch of sends crosses SQLite's threshold."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from chatserver.config import Config
from chatserver.db import checkpoint
from tests.helpers import running_server, two_contacts, wait_for


def test_only_sqlite_on_a_file_has_a_log_to_checkpoint() -> None:
    assert checkpoint.database_file("sqlite+aiosqlite:///data/chat.db") == "data/chat.db"
    assert checkpoint.database_file("sqlite:////var/lib/chat.db") == "/var/lib/chat.db"
    assert checkpoint.database_file("sqlite://") is None
    assert checkpoint.database_file("sqlite:///:memory:") is None
    assert checkpoint.database_file("sqlite:///file:chat?mode=memory&uri=true") is None
    assert checkpoint.database_file("postgresql://chat@db/chat") is None


async def test_the_server_checkpoints_the_log_while_messages_are_stored(tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    config = Config(database_url=f"sqlite:///{db}", rate_per_second=1000, rate_burst=2000, password_hashing="cheapest")
    async with running_server(config) as server:
        ck = server.app.state.checkpointer
        assert isinstance(ck, checkpoint.Checkpointer) and ck.path == str(db)
        _, anna, bram = await two_contacts(server)
        await anna.connect()
        await asyncio.gather(*(anna.send_message(bram.user["id"], f"bericht {i}") for i in range(200)))
        runs = ck.stats.runs
        await wait_for(lambda: ck.stats.runs >= runs + 2)
        # The log holds pages, and every one of them is in the database file now.
        assert ck.stats.log_pages > 0 and ck.stats.copied_pages == ck.stats.log_pages
        # The server's own connections checkpoint only as a backstop, far later than SQLite would.
        async with server.services.engine.connect() as conn:
            pages = (await conn.exec_driver_sql("PRAGMA wal_autocheckpoint")).scalar()
        assert pages == checkpoint.WRITER_AUTOCHECKPOINT
    # Stopped: the checkpointer's connection is closed, and the messages are all in the file.
    assert ck._conn is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 200


async def test_a_failing_checkpoint_is_logged_and_tried_again_less_often(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "later" / "chat.db"
    ck = checkpoint.Checkpointer(str(db), interval=0.01)
    task = asyncio.create_task(ck.run())

    def failures() -> list[str]:
        return [r.getMessage() for r in caplog.records if "WAL checkpoint" in r.getMessage()]

    await wait_for(lambda: len(failures()) >= 3)
    assert not task.done()
    assert [m.rsplit(" ", 1)[1] for m in failures()[:3]] == ["0.02s", "0.04s", "0.08s"]
    # The directory appears: the next try succeeds, and the loop is back at its pace.
    db.parent.mkdir()
    await wait_for(lambda: ck.stats.runs >= 2)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert ck._conn is None
