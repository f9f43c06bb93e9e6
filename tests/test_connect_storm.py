"""Many connections opening and closing at once (a reconnect storm), and the batching
that serves them (``chatserver.batching``, ``actions.connections``).

What a user sees must not depend on how many others connect at the same moment: each
connection gets its own stream position, a bad token is refused alone, contacts hear of
each user once, and what was sent meanwhile arrives exactly once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from chatserver.actions import presence
from chatserver.batching import Batcher
from chatserver.client import ChatClient
from tests.helpers import Server, befriend, close_code, make_tenant, make_user, two_contacts, wait_for

# --- the batcher -------------------------------------------------------------------------


async def test_requests_arriving_together_are_handled_as_one_batch_and_a_failure_stays_alone() -> None:
    batches: list[list[str]] = []

    async def handle(items: list[str]) -> list[str | BaseException]:
        batches.append(items)
        if "boom" in items:
            raise RuntimeError("the database went away")  # the whole batch fails
        return [item.upper() if item != "bad" else ValueError("bad item") for item in items]

    batcher: Batcher[str, str] = Batcher(handle, name="test")
    items = ["a", "b", "bad", "c"]
    results = await asyncio.gather(*(batcher.submit(i) for i in items), return_exceptions=True)
    assert batches == [items]  # one call for all four
    assert results[:2] == ["A", "B"] and results[3] == "C"
    assert isinstance(results[2], ValueError)

    # A batch that fails as a whole is handled again one by one: only "boom" fails.
    batches.clear()
    results = await asyncio.gather(*(batcher.submit(i) for i in ["x", "boom", "y"]), return_exceptions=True)
    assert batches[0] == ["x", "boom", "y"] and batches[1:] == [["x"], ["boom"], ["y"]]
    assert results[0] == "X" and results[2] == "Y" and isinstance(results[1], RuntimeError)

    # Later requests form a new batch; an idle batcher holds no task.
    assert await batcher.submit("z") == "Z"
    await asyncio.sleep(0)
    assert batcher.pending() == 0


# --- connections ---------------------------------------------------------------------------


async def test_a_storm_of_connections_each_gets_its_own_answer_and_bad_tokens_are_refused_alone(server: Server):
    org = await make_tenant(server)
    watcher = await make_user(server, org, "Wim Wachter")
    others = [await make_user(server, org, f"Collega {i}") for i in range(12)]
    for other in others[:8]:
        await befriend(watcher, other)
    await watcher.connect()
    ws_url = server.url.replace("http", "ws", 1) + "/ws?token="

    hellos: list[Any] = await asyncio.gather(
        *(o.connect() for o in others), *(close_code(ws_url + f"forged-{i}") for i in range(4))
    )
    for other, hello in zip(others, hellos[:12], strict=True):
        assert hello["conn_id"] and hello["status"] == "online" and not hello["held"]
        # Each answer is the user's own stream position, as a REST read tells it.
        assert hello["seq"] == other.last_seq
    assert hellos[12:] == [4001] * 4

    # The watcher hears each contact come online once, and nobody else.
    seen: dict[int, int] = {}
    while len(seen) < 8:
        ev = await watcher.next_event("presence.changed")
        assert ev["data"]["status"] == "online" and ev["data"]["notify"] == 2
        seen[ev["data"]["user_id"]] = seen.get(ev["data"]["user_id"], 0) + 1
    assert set(seen) == {o.user["id"] for o in others[:8]} and set(seen.values()) == {1}
    # A message sent after it all is a barrier: no second announcement came before it.
    await others[0].send_message(watcher.user["id"], "alles goed?")
    assert (await others[0].next_event("chat.message"))["data"]["message"]["body"] == "alles goed?"  # own copy
    while (frame := await watcher.next_event())["type"] != "chat.message":
        assert frame["type"] != "presence.changed", frame
    contacts = {c["id"]: c["status"] for c in (await watcher.rest("GET", "/api/contacts"))["contacts"]}
    assert all(contacts[o.user["id"]] == "online" for o in others[:8])

    # All drop at once; the watcher writes to each meanwhile; all come back together.
    for o in others[:8]:
        await o.drop()
    await wait_for(lambda: all(o.close_code is not None or not o._connected.is_set() for o in others[:8]))
    sent = {o.user["id"]: f"terwijl je weg was, {o.user['name']}" for o in others[:8]}
    for uid, body in sent.items():
        await watcher.send_message(uid, body)
    resumed = await asyncio.gather(*(o.connect() for o in others[:8]))
    assert all(h["resumed"] for h in resumed)
    for o in others[:8]:
        got = await o.next_event("chat.message")
        assert got["data"]["message"]["body"] == sent[o.user["id"]]
        assert got.get("replay") is True
    # Exactly once: the next frame of each is a live one sent now, not a second copy.
    for o in others[:8]:
        await watcher.send_message(o.user["id"], "en nu live")
        got = await o.next_event("chat.message")
        assert got["data"]["message"]["body"] == "en nu live" and not got.get("replay")


async def test_a_user_who_left_and_came_back_within_one_batch_is_not_announced(server: Server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    bid = bram.user["id"]

    # Bram came and went, or went and came back, before the batch was handled: his
    # contacts saw nothing change, so they are told nothing.
    await presence.announce_connections(server.services, [(bid, True), (bid, False)])
    await presence.announce_connections(server.services, [(bid, False), (bid, True)])
    # A real change after it acts as a barrier: it is the first presence frame Anna gets.
    await presence.announce_connections(server.services, [(bid, True)])
    ev = await anna.next_event("presence.changed")
    assert ev["data"] == {"user_id": bid, "name": "Bram", "status": "online", "notify": 2}
    # Went, came back and went again: he is gone, and that is said once.
    await presence.announce_connections(server.services, [(bid, False), (bid, True), (bid, False)])
    ev = await anna.next_event("presence.changed")
    assert (ev["data"]["status"], ev["data"]["notify"]) == ("offline", 0)


async def test_a_resumed_connection_with_nothing_missed_reads_no_history_yet_gets_live_events(server: Server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    bram: ChatClient = await make_user(server, org, "Bram")
    await befriend(anna, bram)
    await anna.connect()
    await bram.connect()
    await anna.send_message(bram.user["id"], "eerste")
    assert (await bram.next_event("chat.message"))["data"]["message"]["body"] == "eerste"
    await bram.drop()
    await wait_for(lambda: not bram._connected.is_set())
    hello = await bram.connect()
    assert hello["resumed"] and hello["missed"] == 0
    await anna.send_message(bram.user["id"], "tweede")
    got = await bram.next_event("chat.message")
    assert got["data"]["message"]["body"] == "tweede" and not got.get("replay")
