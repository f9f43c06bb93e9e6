"""A connection's outbound queue: order, its bound, and no writer task while idle.

The sender here stands in for a socket that stops draining (a stalled client): frames
are sent only when the test lets them through.
"""

from __future__ import annotations

import asyncio
from typing import Any

from chatserver.hub import Connection
from chatserver.protocol.session import CloseCode


async def test_frames_leave_in_order_the_bound_closes_a_stalled_client_and_idle_holds_no_task() -> None:
    sent: list[str | bytes] = []
    closed: list[tuple[int, str]] = []
    gate = asyncio.Event()

    async def send(payload: str | bytes) -> None:
        await gate.wait()
        sent.append(payload)

    async def close(code: int, reason: str) -> None:
        closed.append((code, reason))

    services: Any = None  # no catch-up in this test: storage is never read
    conn = Connection("c1", 1, "json", send, close, services, queue_limit=3)
    assert conn._writer is None  # idle: no task

    conn.send_frame("a")
    await asyncio.sleep(0.05)  # the writer took "a" and is stuck in the stalled send
    for text in ("b", "c", "d"):
        conn.send_frame(text)  # three waiting: the bound
    assert not closed
    conn.send_frame("e")  # a fourth waiting frame is over the bound
    for _ in range(100):
        if closed:
            break
        await asyncio.sleep(0.01)
    assert closed and closed[0][0] == CloseCode.SLOW_CONSUMER
    conn.send_frame("f")  # refused: the connection is closing

    gate.set()
    for _ in range(100):
        if conn._writer is None:
            break
        await asyncio.sleep(0.01)
    assert sent == ["a", "b", "c", "d"]
    assert conn._writer is None  # drained: the writer task ended


async def test_writer_restarts_for_each_burst_and_keeps_order() -> None:
    sent: list[str | bytes] = []

    async def send(payload: str | bytes) -> None:
        await asyncio.sleep(0)
        sent.append(payload)

    async def close(code: int, reason: str) -> None:
        raise AssertionError("not too slow")

    services: Any = None
    conn = Connection("c2", 1, "json", send, close, services, queue_limit=10)
    for burst in range(3):
        for i in range(5):
            conn.send_frame(f"{burst}-{i}")
        for _ in range(100):
            if conn._writer is None:
                break
            await asyncio.sleep(0.01)
    assert sent == [f"{b}-{i}" for b in range(3) for i in range(5)]
    await conn.stop()


async def test_own_event_rides_on_the_ack_only_when_it_is_next_in_line() -> None:
    """Connection.absorb: the sender's own event is not written when nothing is ahead of
    it (its ack carries it); behind queued frames it is written as an event, in order,
    and the ack then carries nothing."""
    sent: list[str | bytes] = []
    gate = asyncio.Event()

    async def send(payload: str | bytes) -> None:
        await gate.wait()
        sent.append(payload)

    async def close(code: int, reason: str) -> None:
        raise AssertionError("not too slow")

    services: Any = None
    written: list[str | bytes] = []
    conn = Connection("c3", 1, "json", send, close, services, queue_limit=10,
                      send_now=lambda p: written.append(p) is None)
    conn.delivered_seq = 4
    conn.absorb(5, "chat.message", {"message": {"id": 1}})
    assert written == [] and conn.delivered_seq == 5 and conn.take_absorbed(5)
    assert not conn.take_absorbed(5)  # taken once
    # Pipelined sends sharing a batch: each one's event rides on its own ack.
    conn.absorb(6, "chat.message", {"message": {"id": 2}})
    conn.absorb(7, "chat.message", {"message": {"id": 3}})
    assert written == [] and conn.delivered_seq == 7
    assert conn.take_absorbed(6) and conn.take_absorbed(7) and not conn.take_absorbed(6)
    conn.delivered_seq = 5

    # A frame the socket did not take yet is ahead: the event queues behind it.
    conn._send_now = lambda p: False
    conn.send_frame("ahead")
    conn.absorb(6, "chat.message", {"message": {"id": 2}})
    assert not conn.take_absorbed(6)
    gate.set()
    for _ in range(100):
        if conn._writer is None:
            break
        await asyncio.sleep(0.01)
    assert sent[0] == "ahead" and '"seq":6' in str(sent[1]) and conn.delivered_seq == 6
