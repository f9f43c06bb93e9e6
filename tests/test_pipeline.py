"""A connection's requests as a pipeline (docs/protocol.md, "Pipelining"): the gateway reads
on while earlier sends wait for their batch. Sends stay in the order sent, a resend of one
still in flight is stored once, a barrier request sees what came before it, a connection
at its limit is not read (nothing refused, nothing lost), and a flood is still refused."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from chatserver.actions.chat_batch import SendBatcher
from chatserver.client import ChatClient, ClientError
from chatserver.config import Config
from chatserver.protocol import CloseCode, Session
from tests.helpers import running_server, two_contacts, wait_for


def _send(to: int, body: str, cid: str) -> tuple[str, dict[str, Any]]:
    return "chat.send", {"to": to, "body": body, "client_msg_id": cid}


async def _history(client: ChatClient, conversation_id: int) -> list[dict[str, Any]]:
    page = await client.rest("GET", f"/api/conversations/{conversation_id}/messages", limit=200)
    return list(page["messages"])


@contextlib.asynccontextmanager
async def writes_held(database_url: str) -> AsyncIterator[None]:
    """Another connection holds what storing a message needs (SQLite's write lock; on
    PostgreSQL the messages table), so batches of sends wait until the block ends."""
    if database_url.startswith("sqlite"):
        path = database_url.split(":///", 1)[1]
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    import asyncpg

    pg = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    tx = pg.transaction()
    await tx.start()
    await pg.execute("LOCK TABLE messages IN EXCLUSIVE MODE")
    try:
        yield
    finally:
        await tx.rollback()
        await pg.close()


async def test_pipelined_sends_are_stored_in_the_order_sent_and_a_barrier_sees_them(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    await bram.connect()
    to = bram.user["id"]
    # Client ids that sort against the order of sending; a resend of m3 while m3 is in
    # flight; Offline after the sends (a barrier: the sends before it are stored, the one
    # after it is refused as Offline's).
    requests = [_send(to, f"m{i}", f"cid-{99 - i}") for i in range(40)]
    requests.insert(10, _send(to, "m3", "cid-96"))
    requests += [("presence.set", {"status": "offline"}), _send(to, "after", "cid-after")]
    answers = await anna.pipeline(requests)

    stored = [a for a in answers[:41] if isinstance(a, dict) and not a["duplicate"]]
    assert [a["message"]["body"] for a in stored] == [f"m{i}" for i in range(40)], answers
    resend = answers[10]
    assert isinstance(resend, dict) and resend["duplicate"] is True
    assert resend["message"]["id"] == answers[3]["message"]["id"]  # type: ignore[index]
    assert answers[41] == {"status": "offline"}
    assert isinstance(answers[42], ClientError) and answers[42].code == "status_offline"

    history = await _history(bram, stored[0]["message"]["conversation_id"])
    assert [m["body"] for m in history] == [f"m{i}" for i in range(40)]
    # Bram got each once, in the order sent; Anna's own events rode on her acks.
    got = [(await bram.next_event("chat.message"))["data"]["message"]["body"] for _ in range(40)]
    assert got == [f"m{i}" for i in range(40)]
    own = [a["seq"] for a in stored if "seq" in a]
    assert own == sorted(own) and len(own) == len(set(own))


async def test_two_senders_pipelining_at_once_each_stored_in_the_order_sent(server):
    # On PostgreSQL their batches run side by side (CHATSERVER_SEND_BATCHES, step 45); a
    # sender's sends are never in two batches at once, so each sender's order holds.
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    await bram.connect()
    a_to, b_to = bram.user["id"], anna.user["id"]
    a_answers, b_answers = await asyncio.gather(
        anna.pipeline([_send(a_to, f"a{i}", f"a-{i}") for i in range(60)]),
        bram.pipeline([_send(b_to, f"b{i}", f"b-{i}") for i in range(60)]))
    assert all(isinstance(a, dict) and not a["duplicate"] for a in [*a_answers, *b_answers])
    history = await _history(anna, a_answers[0]["message"]["conversation_id"])
    assert len(history) == 120
    assert [m["body"] for m in history if m["body"].startswith("a")] == [f"a{i}" for i in range(60)]
    assert [m["body"] for m in history if m["body"].startswith("b")] == [f"b{i}" for i in range(60)]
    # Bram's stream has Anna's messages and, where they did not ride on his acks, his own.
    got: list[str] = []
    while len(got) < 60:
        body = (await bram.next_event("chat.message"))["data"]["message"]["body"]
        if body.startswith("a"):
            got.append(body)
    assert got == [f"a{i}" for i in range(60)]


async def test_at_its_limit_a_connection_is_not_read_and_nothing_is_lost(config: Config):
    limit = 4
    async with running_server(replace(config, max_in_flight=limit)) as server:
        _, anna, bram = await two_contacts(server)
        await anna.connect()
        await bram.connect()
        hello = await anna.send_message(bram.user["id"], "hallo")
        conv = hello["message"]["conversation_id"]
        batcher = server.services.get(SendBatcher)
        to = bram.user["id"]
        requests = [_send(to, f"m{i}", f"cid-{i}") for i in range(1, 30)]
        requests.insert(2, _send(to, "m0", "cid-0"))  # a resend of the send in flight
        async with writes_held(config.database_url):
            first = asyncio.create_task(anna.pipeline([_send(to, "m0", "cid-0")]))
            # Taken into a batch, which waits for the lock.
            await wait_for(lambda: batcher.working and batcher.pending() == 0)
            rest = asyncio.create_task(anna.pipeline(requests))
            await wait_for(lambda: batcher.pending() == limit - 1)
            await asyncio.sleep(0.5)
            # Behind the waiting batch the server read up to its limit and stopped: the
            # other sends are still on their way, neither queued nor refused.
            assert batcher.pending() == limit - 1
            assert not first.done() and not rest.done()
        answers = (await first) + (await rest)
        assert all(isinstance(a, dict) for a in answers), answers
        resend = answers[3]
        assert isinstance(resend, dict) and resend["duplicate"] is True
        assert resend["message"]["id"] == answers[0]["message"]["id"]  # type: ignore[index]
        history = await _history(bram, conv)
        assert [m["body"] for m in history] == ["hallo"] + [f"m{i}" for i in range(30)]


async def test_a_pipelined_flood_beyond_the_limit_is_still_refused_and_closed(config: Config):
    async with running_server(replace(config, rate_per_second=5, rate_burst=10)) as server:
        _, anna, bram = await two_contacts(server)
        await anna.connect()
        to = bram.user["id"]
        answers = await anna.pipeline([_send(to, f"m{i}", f"cid-{i}") for i in range(300)])
        acked = [a for a in answers if isinstance(a, dict)]
        refused = [a for a in answers if isinstance(a, ClientError) and a.code == "rate_limited"]
        # The burst is stored, the rest refused by the limiter until the flood closes the socket.
        assert 9 <= len(acked) < 20, answers[:30]  # the burst of 10, less the hello
        assert len(refused) >= Session.FLOOD_LIMIT
        assert len(acked) + len(refused) < 300
        await wait_for(lambda: anna.close_code is not None)
        assert anna.close_code == CloseCode.POLICY
        await bram.connect()
        history = await _history(bram, acked[0]["message"]["conversation_id"])
        assert [m["body"] for m in history] == [a["message"]["body"] for a in acked]
