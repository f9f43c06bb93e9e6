"""On SQLite the batches of sends share one connection, kept while sends keep coming and
given back once none has come for a while (actions/chat_batch.SendBatcher, docs/benchmarks.md
step 50): a connection checked out and back in for every batch cost a quarter of a small
batch's CPU. Kept or given back, every message is stored and delivered."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from chatserver.actions.chat_batch import SendBatcher
from chatserver.config import Config
from tests.helpers import running_server, two_contacts, wait_for

# SQLite by construction (a file of its own): the PostgreSQL run has nothing to add.
pytestmark = pytest.mark.dbindependent


async def test_the_connection_is_kept_between_batches_and_given_back_when_idle(tmp_path: Path) -> None:
    config = Config(database_url=f"sqlite:///{tmp_path / 'chat.db'}", rate_per_second=1000, rate_burst=2000,
                    password_hashing="cheapest")
    async with running_server(config) as server:
        batcher = server.services.get(SendBatcher)
        batcher.HOLD_SECONDS = 0.5
        pool = server.services.engine.pool
        _, anna, bram = await two_contacts(server)
        await anna.connect()
        await bram.connect()

        async def send_and_deliver(bodies: list[str]) -> None:
            acks = await asyncio.gather(*(anna.send_message(bram.user["id"], b) for b in bodies))
            assert [a["message"]["body"] for a in acks] == bodies
            got = [(await bram.next_event("chat.message"))["data"]["message"]["body"] for _ in bodies]
            assert got == bodies

        await send_and_deliver([f"bericht {i}" for i in range(20)])
        # The batches' connection stays out of the pool after the last one...
        assert pool.checkedout() == 1  # type: ignore[attr-defined]
        # ...until no send has come for HOLD_SECONDS.
        await wait_for(lambda: pool.checkedout() == 0)  # type: ignore[attr-defined]
        # The next send checks one out again, and is stored and delivered as before.
        await send_and_deliver(["na de pauze"])
        assert pool.checkedout() == 1  # type: ignore[attr-defined]
        # The server's shutdown gives it back at once (before its engine goes).
        await batcher.aclose()
        assert pool.checkedout() == 0  # type: ignore[attr-defined]
        await send_and_deliver(["en nog een"])
