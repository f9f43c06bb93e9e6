"""What users see when a part fails: a Redis restart mid-conversation loses nothing; a node
killed with SIGKILL has its users shown offline within 30 s, and they resume on the
surviving node; a stalled node taken for dead comes back."""

from __future__ import annotations

import signal
import time

import pytest

from chatserver.client import ChatClient
from tests.multinode.helpers import (
    Cluster,
    bodies_from,
    bus_connected,
    connected_pair,
    contact_status,
    presence_seen,
    until_status,
)
from tests.redis_server import RedisServer

pytestmark = pytest.mark.multinode


async def test_redis_restart_mid_conversation_loses_nothing(cluster: Cluster, redis_server: RedisServer) -> None:
    anna, bram = await connected_pair(cluster)
    to_bram: list[str] = []
    to_anna: list[str] = []

    async def exchange(tag: str, n: int) -> None:
        for i in range(n):
            body = f"{tag} {i}"
            await anna.send_message(bram.user["id"], body)
            to_bram.append(body)
            await bram.send_message(anna.user["id"], "re: " + body)
            to_anna.append("re: " + body)

    await exchange("before", 3)
    redis_server.kill()
    # Redis is down: sending still works (stored, delivered on the sender's node).
    await exchange("during", 5)
    redis_server.start()
    await exchange("after", 3)

    # Everything arrives on the other node, once, in order (the client drops repeats by seq).
    assert await bodies_from(bram, anna, len(to_bram), timeout=30) == to_bram
    assert await bodies_from(anna, bram, len(to_anna), timeout=30) == to_anna
    # Nothing stored twice: the next message from each is the one sent next.
    await anna.send_message(bram.user["id"], "last")
    assert await bodies_from(bram, anna, 1, timeout=10) == ["last"]
    await bram.send_message(anna.user["id"], "re: last")
    assert await bodies_from(anna, bram, 1, timeout=10) == ["re: last"]

    # Presence still works: Redis lost every key, the nodes wrote theirs again.
    for url in cluster.urls:
        await bus_connected(url)
    await until_status(anna, bram, "online")
    await until_status(bram, anna, "online")
    await bram.set_status("away")
    await presence_seen(anna, bram, "away")
    assert await contact_status(anna, bram) == "away"
    await anna.set_status("dnd")
    await presence_seen(bram, anna, "dnd")
    assert await contact_status(bram, anna) == "dnd"


async def test_killed_node_users_go_offline_and_resume_on_the_other_node(cluster: Cluster) -> None:
    anna, bram = await connected_pair(cluster)
    await bram.send_message(anna.user["id"], "before the crash")
    assert await bodies_from(anna, bram, 1, timeout=10) == ["before the crash"]
    last_seq, epoch = anna.last_seq, anna.epoch
    assert last_seq is not None

    killed_at = time.monotonic()
    cluster.procs[0].send_signal(signal.SIGKILL)
    cluster.procs[0].wait(timeout=10)
    await anna.next_event("_closed", timeout=10)

    # Bram writes while Anna is away: stored for her.
    await bram.send_message(anna.user["id"], "while you were away")

    # Node 1 stopped heartbeating: node 2's sweeper tells Bram Anna is offline, within 30 s.
    await presence_seen(bram, anna, "offline", timeout=30)
    assert time.monotonic() - killed_at < 30
    assert await contact_status(bram, anna) == "offline"

    # Anna's app reconnects to the surviving node with her last seq: nothing lost.
    again = cluster.track(ChatClient(cluster.urls[1], anna.token))
    again.user = anna.user
    again.last_seq, again.epoch = last_seq, epoch
    hello = await again.connect()
    assert hello["resumed"] is True and hello["missed"] >= 1
    assert await bodies_from(again, bram, 1, timeout=10) == ["while you were away"]
    await presence_seen(bram, anna, "online")
    assert await contact_status(bram, anna) == "online"

    # And she chats on from node 2.
    await again.send_message(bram.user["id"], "back, on node 2")
    assert await bodies_from(bram, again, 1, timeout=10) == ["back, on node 2"]
    await bram.send_message(anna.user["id"], "welcome back")
    assert await bodies_from(again, bram, 1, timeout=10) == ["welcome back"]


async def test_stalled_node_taken_for_dead_comes_back(cluster: Cluster) -> None:
    """A node that only stalled past the ttl (SIGSTOP) is swept, then repairs itself."""
    anna, bram = await connected_pair(cluster)
    node1 = cluster.procs[0]
    node1.send_signal(signal.SIGSTOP)
    try:
        await presence_seen(bram, anna, "offline", timeout=30)
        assert await contact_status(bram, anna) == "offline"
        await bram.send_message(anna.user["id"], "are you there?")
    finally:
        node1.send_signal(signal.SIGCONT)

    # Node 1 wakes, finds its entries swept, writes them again and says Anna is back.
    await presence_seen(bram, anna, "online", timeout=15)
    assert await contact_status(bram, anna) == "online"
    assert await bodies_from(anna, bram, 1, timeout=10) == ["are you there?"]
    await anna.send_message(bram.user["id"], "yes, I was only slow")
    assert await bodies_from(bram, anna, 1, timeout=10) == ["yes, I was only slow"]
    await anna.set_status("away")
    await presence_seen(bram, anna, "away")
