"""chatserver.batching.Batcher: what queues while a batch is handled forms the next; with
``concurrent`` batches at once, a key's requests are never in two batches at the same time
and keep their order (a sender's sends on PostgreSQL, docs/benchmarks.md, step 45), and its setting."""

from __future__ import annotations

import asyncio

import pytest

from chatserver.batching import Batcher
from chatserver.config import Config

pytestmark = pytest.mark.dbindependent
Item = tuple[str, int]


def _recording(gate: asyncio.Event) -> tuple[list[list[Item]], Batcher[Item, str]]:
    batches: list[list[Item]] = []

    async def handle(items: list[Item]) -> list[str | BaseException]:
        batches.append(list(items))
        if len(batches) == 1:
            await gate.wait()  # the first batch is held until the test lets it go
        return [f"{who} {n}" for who, n in items]

    return batches, Batcher(handle, name="test", concurrent=2, key=lambda item: item[0])


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_second_batch_runs_beside_the_first_without_the_keys_it_holds() -> None:
    gate = asyncio.Event()
    batches, batcher = _recording(gate)
    first = [batcher.enqueue(("anna", 1)), batcher.enqueue(("bram", 1))]
    await _settle()
    assert batches == [[("anna", 1), ("bram", 1)]]  # held

    later = [batcher.enqueue(("anna", 2)), batcher.enqueue(("carla", 1)), batcher.enqueue(("anna", 3))]
    await _settle()
    # Carla's send did not wait for the first batch; Anna's wait for hers in it.
    assert batches[1] == [("carla", 1)]
    assert later[1].result() == "carla 1"
    assert not later[0].done() and not later[2].done()
    assert batcher.pending() == 2 and batcher.working

    gate.set()
    assert await asyncio.gather(*first, *later) == ["anna 1", "bram 1", "anna 2", "carla 1", "anna 3"]
    assert batches[2] == [("anna", 2), ("anna", 3)]  # in the order queued
    await _settle()
    assert batcher.pending() == 0 and not batcher.working


async def test_one_batch_at_a_time_by_default_whatever_the_keys() -> None:
    gate = asyncio.Event()
    batches: list[list[Item]] = []

    async def handle(items: list[Item]) -> list[str | BaseException]:
        batches.append(list(items))
        if len(batches) == 1:
            await gate.wait()
        return [f"{who} {n}" for who, n in items]

    batcher: Batcher[Item, str] = Batcher(handle, name="test")
    first = batcher.enqueue(("anna", 1))
    await _settle()
    later = [batcher.enqueue(("bram", 1)), batcher.enqueue(("carla", 1))]
    await _settle()
    assert batches == [[("anna", 1)]] and not any(f.done() for f in later)
    gate.set()
    assert await asyncio.gather(first, *later) == ["anna 1", "bram 1", "carla 1"]
    assert batches[1] == [("bram", 1), ("carla", 1)]


def test_the_setting_is_read_from_the_environment_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHATSERVER_SEND_BATCHES", raising=False)
    assert Config.from_env().send_batches == 2
    monkeypatch.setenv("CHATSERVER_SEND_BATCHES", "3")
    assert Config.from_env().send_batches == 3
    for bad in ("0", "17", "two", "-1"):
        monkeypatch.setenv("CHATSERVER_SEND_BATCHES", bad)
        with pytest.raises(ValueError, match="CHATSERVER_SEND_BATCHES"):
            Config.from_env()
