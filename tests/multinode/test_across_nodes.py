"""Users on different nodes chat, see each other's presence and signal a video call to each
other (two processes over one Redis: tests/multinode/conftest.py)."""

from __future__ import annotations

import asyncio

import pytest

from chatserver.client import ChatClient
from tests.multinode.helpers import Cluster, bodies_from, connected_pair, contact_status, presence_seen

pytestmark = pytest.mark.multinode


async def test_users_on_different_nodes_chat_and_see_presence(cluster: Cluster) -> None:
    anna, bram = await connected_pair(cluster)

    # Both directions, across the bus.
    await anna.send_message(bram.user["id"], "Hallo Bram, from node 1")
    assert await bodies_from(bram, anna, 1, timeout=10) == ["Hallo Bram, from node 1"]
    await bram.send_message(anna.user["id"], "Hoi Anna, from node 2")
    assert await bodies_from(anna, bram, 1, timeout=10) == ["Hoi Anna, from node 2"]

    # A status change on node 1 is seen live on node 2, and by REST there.
    await anna.set_status("away")
    await presence_seen(bram, anna, "away")
    assert await contact_status(bram, anna) == "away"
    await bram.set_status("dnd")
    await presence_seen(anna, bram, "dnd")
    assert await contact_status(anna, bram) == "dnd"

    # A second device of Anna's on node 2: presence is the combination of both.
    tab = cluster.track(ChatClient(cluster.urls[1], anna.token))
    tab.user = anna.user
    await tab.connect()
    await anna.close()
    await anna.connect()  # back on node 1; Anna never went offline in between
    await tab.close()
    await anna.set_status("online")
    seen: list[str] = []
    async with asyncio.timeout(15):
        while not seen or seen[-1] != "online":
            ev = await bram.next_event("presence.changed")
            if ev["data"]["user_id"] == anna.user["id"]:
                seen.append(ev["data"]["status"])
    assert seen == ["online"], "moving between tabs on two nodes must not show Anna offline"
    assert await contact_status(bram, anna) == "online"


async def test_a_video_call_signals_between_members_on_different_nodes(cluster: Cluster) -> None:
    anna, bram = await connected_pair(cluster)
    room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
    assert (await bram.next_event("video.ring", timeout=10))["data"]["room"]["token"] == room["token"]
    a = await anna.request("video.join", {"room": room["token"]})  # on node 1
    b = await bram.request("video.join", {"room": room["token"]})  # on node 2
    assert (await anna.next_event("video.joined", timeout=10))["data"]["participant"]["id"] == b["participant"]["id"]
    sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    await bram.request("video.signal", {"to": a["participant"]["id"], "kind": "offer", "sdp": sdp})
    got = await anna.next_event("video.signal", timeout=10)
    assert got["data"]["from"] == b["participant"]["id"] and got["data"]["sdp"] == sdp
    # Addressed to one connection: Bram's other tab on node 1 hears none of the call.
    tab = cluster.track(ChatClient(cluster.urls[0], bram.token))
    tab.user = bram.user
    await tab.connect()
    await anna.request("video.signal", {"to": b["participant"]["id"], "kind": "answer", "sdp": sdp})
    assert (await bram.next_event("video.signal", timeout=10))["data"]["kind"] == "answer"
    with pytest.raises(TimeoutError):
        await tab.next_event("video.signal", timeout=1)
