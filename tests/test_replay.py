"""Nothing lost, nothing twice: drops, resumes, resyncs and several devices of one user (IC-4, IC-6).

The client deduplicates by ``seq``, so these tests also record every durable frame as
it came off the wire (:class:`RecordingClient`) and check the server itself sent each
seq once per stream, with no gap.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from chatserver.client import ChatClient
from tests.helpers import PASSWORD, Server, befriend, make_tenant, make_user, two_contacts, wait_for


class RecordingClient(ChatClient):
    """A client that remembers every durable seq the server sent, before deduplication,
    and every hello answer; ``gate`` (set by default) holds a reconnect back while clear."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wire_seqs: list[int] = []
        self.hellos: list[dict[str, Any]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    def _handle(self, frame: dict[str, Any]) -> None:
        if frame.get("seq") is not None:
            self.wire_seqs.append(frame["seq"])
        super()._handle(frame)

    async def _open(self) -> None:
        await self.gate.wait()
        await super()._open()

    async def _say_hello(self) -> dict[str, Any]:
        hello = await super()._say_hello()
        self.hellos.append(hello)
        return hello


def device(server: Server, of: ChatClient, **kw: Any) -> RecordingClient:
    """Another connection for the same user and token (a page reload, a second tab)."""
    client = RecordingClient(server.url, of.token, **kw)
    client.user = of.user
    server.clients.append(client)
    return client


async def login_again(server: Server, tenant: dict[str, Any], of: ChatClient) -> ChatClient:
    """A second device: its own login, its own token."""
    client = await ChatClient.login(server.url, tenant["slug"], of.user["username"], PASSWORD)
    server.clients.append(client)
    return client


async def collect(client: ChatClient, type_: str, count: int, *, timeout: float) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        while len(out) < count:
            frame = await client.events.get()
            if frame["type"] == type_:
                out.append(frame)
    return out


async def _burst_with_drops(server: Server, fmt: str, total: int, drop_every: int) -> None:
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna", fmt=fmt)
    bram_login = await make_user(server, org, "Bram")
    await befriend(anna, bram_login)
    bram = device(server, bram_login, fmt=fmt, reconnect=True)
    await anna.connect()
    await bram.connect()
    first_seq = bram.last_seq
    assert first_seq is not None

    bodies = [f"{fmt} message {i:04d}" for i in range(total)]
    drops = 0

    async def send_all() -> None:
        nonlocal drops
        held_until = 0
        for i, body in enumerate(bodies, 1):
            await anna.send_message(bram.user["id"], body)
            if i == held_until:
                bram.gate.set()
            if i % drop_every == 0 and i < total - 5:
                # Break Bram's connection mid-burst; Anna keeps sending. Every other drop
                # keeps Bram away for the next five messages, so those can only come by
                # replay; the other drops race the reconnect against live delivery.
                drops += 1
                if drops % 2 == 1:
                    bram.gate.clear()
                    held_until = i + 5
                await bram.drop()

    sender = asyncio.create_task(send_all())
    received: list[dict[str, Any]] = []
    try:
        async with asyncio.timeout(180):
            while len(received) < total:
                frame = await bram.events.get()
                if frame["type"] == "chat.message":
                    received.append(frame)
            await sender
    finally:
        if not sender.done():
            sender.cancel()

    got = [f["data"]["message"]["body"] for f in received]
    assert len(got) == total
    assert len(set(got)) == total, "a message arrived twice"
    assert got == bodies, "messages arrived out of order or some are missing"
    # The drops really happened during the burst, and the held-back messages came by replay.
    assert drops >= 3 and bram.reconnects == drops
    assert sum(1 for f in received if f.get("replay")) >= 5 * ((drops + 1) // 2)
    # Every reconnect resumed (none was told to resync) ...
    assert len(bram.hellos) == drops + 1
    assert all(h["resumed"] and not h["resync"] for h in bram.hellos[1:])
    # ... and the server sent every seq of Bram's stream once, in order, without a gap.
    assert bram.wire_seqs == list(range(first_seq + 1, first_seq + 1 + total))


async def test_1000_messages_across_drops_arrive_once_in_order_json(server):
    await _burst_with_drops(server, "json", 1000, 150)


async def test_messages_across_drops_arrive_once_in_order_msgpack(server):
    await _burst_with_drops(server, "msgpack", 300, 70)


async def test_resume_after_clean_close_replays_exactly_what_was_missed(server):
    _, anna, bram_login = await two_contacts(server)
    await anna.connect()
    first = device(server, bram_login)
    await first.connect()
    await anna.send_message(bram_login.user["id"], "seen live")
    live = await first.next_event("chat.message")
    assert live["data"]["message"]["body"] == "seen live" and "replay" not in live
    last_seq, epoch = first.last_seq, first.epoch
    await first.close()

    for i in range(5):
        await anna.send_message(bram_login.user["id"], f"missed {i}")

    # The page comes back with the seq and epoch it stored.
    again = device(server, bram_login)
    again.last_seq, again.epoch = last_seq, epoch
    hello = await again.connect()
    assert hello["resumed"] is True and hello["resync"] is False
    assert hello["missed"] == 5 and hello["seq"] == last_seq + 5
    missed = await collect(again, "chat.message", 5, timeout=10)
    assert [m["data"]["message"]["body"] for m in missed] == [f"missed {i}" for i in range(5)]
    assert all(m.get("replay") is True for m in missed)
    assert [m["seq"] for m in missed] == list(range(last_seq + 1, last_seq + 6))

    # Then live again, with nothing replayed twice.
    await anna.send_message(bram_login.user["id"], "after the resume")
    nxt = await again.next_event("chat.message")
    # Live or read by the tail of the catch-up (if it committed while that read ran):
    # either way once, in order, with the next seq; which path it took is timing.
    assert nxt["data"]["message"]["body"] == "after the resume" and nxt["seq"] == last_seq + 6
    assert again.wire_seqs == list(range(last_seq + 1, last_seq + 7))


@pytest.mark.parametrize("case", ["foreign_epoch", "ahead_of_server"])
async def test_unreplayable_position_is_told_to_resync(server, case):
    _, anna, bram_login = await two_contacts(server)
    await anna.connect()
    first = device(server, bram_login)
    await first.connect()
    await anna.send_message(bram_login.user["id"], "one")
    await first.next_event("chat.message")
    last_seq, epoch = first.last_seq, first.epoch
    assert last_seq is not None
    await first.close()

    again = device(server, bram_login)
    if case == "foreign_epoch":
        again.last_seq, again.epoch = last_seq, "not-this-servers-epoch"
    else:
        again.last_seq, again.epoch = last_seq + 100, epoch
    hello = await again.connect()
    assert hello["resync"] is True and hello["resumed"] is False
    assert hello["epoch"] == epoch and hello["seq"] == last_seq
    # Live from the server's position on: the next message arrives, nothing replayed.
    assert again.last_seq == last_seq
    await anna.send_message(bram_login.user["id"], "two")
    nxt = await again.next_event("chat.message")
    assert nxt["data"]["message"]["body"] == "two" and "replay" not in nxt
    assert again.wire_seqs == [last_seq + 1]


async def test_every_tab_gets_every_message_and_read_markers_sync(server):
    org, anna, bram = await two_contacts(server)
    anna_tab2 = await login_again(server, org, anna)
    bram_phone = await login_again(server, org, bram)
    for c in (anna, anna_tab2, bram, bram_phone):
        await c.connect()

    sent = [await anna.send_message(bram.user["id"], f"m{i}") for i in range(10)]
    wanted = [f"m{i}" for i in range(10)]
    for c in (bram, bram_phone, anna_tab2):
        got = await collect(c, "chat.message", 10, timeout=10)
        assert [g["data"]["message"]["body"] for g in got] == wanted
    # Anna's own tab gets her messages too, never counted as unread for her.
    own = await collect(anna, "chat.message", 10, timeout=10)
    assert [o["data"]["unread"] for o in own] == [0] * 10

    conv_id = sent[0]["message"]["conversation_id"]
    last_id = sent[-1]["message"]["id"]
    await bram.request("chat.read", {"conversation_id": conv_id, "message_id": last_id})
    for c in (bram_phone, bram, anna, anna_tab2):
        marker = await c.next_event("chat.read")
        assert marker["data"]["message_id"] == last_id
        assert marker["data"]["user_id"] == bram.user["id"]
    assert (await bram_phone.rest("GET", "/api/conversations"))["badge"] == 0


async def test_presence_is_the_combination_of_every_connection(server):
    org, carla, bram = await two_contacts(server, "Carla", "Bram")
    bram_phone = await login_again(server, org, bram)
    await carla.connect()
    bid = bram.user["id"]

    async def seen_by_carla() -> str:
        contacts = (await carla.rest("GET", "/api/contacts"))["contacts"]
        return next(c["status"] for c in contacts if c["id"] == bid)

    await bram.connect()
    ev = await carla.next_event("presence.changed")
    assert ev["data"]["user_id"] == bid and ev["data"]["status"] == "online"
    await bram_phone.connect()
    await bram.close()
    # The first tab's disconnect is fully handled once the presence store lost it.
    presence = server.services.presence
    await wait_for(lambda: len(server.app.state.hub.connections(bid)) == 1)
    await wait_for(lambda: getattr(presence, "_conns", {}).get(bid) == {bram_phone.hello["conn_id"]})
    assert await seen_by_carla() == "online"
    # A durable barrier through the phone: anything Carla was told before it is visible now.
    await bram_phone.send_message(carla.user["id"], "still here")
    before: list[dict[str, Any]] = []
    async with asyncio.timeout(10):
        while True:
            frame = await carla.events.get()
            if frame["type"] == "chat.message":
                break
            before.append(frame)
    assert not [f for f in before if f["type"] == "presence.changed"], before

    await bram_phone.close()
    ev = await carla.next_event("presence.changed")
    assert ev["data"]["user_id"] == bid and ev["data"]["status"] == "offline"
    assert await seen_by_carla() == "offline"
