"""Sent, delivered and read ticks (IC-4): what the sender learns about each message."""

from __future__ import annotations

import pytest

from chatserver.client import ChatClient, ClientError
from tests.helpers import exact_events, two_contacts


async def _ticks(client: ChatClient) -> tuple[int, int]:
    """(delivered, read) of the other party in the client's only conversation, as the list shows it."""
    conv = (await client.rest("GET", "/api/conversations"))["conversations"][0]
    return conv["their_delivered_message_id"], conv["their_read_message_id"]


async def test_offline_is_sent_connected_is_delivered_then_read(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()

    # Bram is offline: stored and sent, not delivered.
    first = (await anna.send_message(bram.user["id"], "Bent u er?"))["message"]
    conv_id = first["conversation_id"]
    assert await _ticks(anna) == (0, 0)
    hist = await anna.rest("GET", f"/api/conversations/{conv_id}/messages")
    assert hist["delivered_markers"][str(bram.user["id"])] == 0

    # Bram comes online: his client has the message and says so; Anna alone is told.
    await bram.connect()
    async with exact_events({anna: ["chat.delivered"], bram: []}) as got:
        ack = await bram.request("chat.delivered", {"conversation_id": conv_id, "message_id": first["id"]})
    assert ack["moved"] is True
    assert got[anna][0]["data"] == {"conversation_id": conv_id, "user_id": bram.user["id"], "message_id": first["id"]}
    await anna.next_event("chat.delivered")  # the same event, still in Anna's queue
    assert await _ticks(anna) == (first["id"], 0)

    # A second tab saying the same moves nothing and tells nobody.
    tab = ChatClient(server.url, bram.token)
    await tab.connect()
    async with exact_events({anna: [], bram: [], tab: []}):
        again = await tab.request("chat.delivered", {"conversation_id": conv_id, "message_id": first["id"]})
    assert again["moved"] is False
    await tab.close()

    # Bram connected: the next message reaches his connection and is delivered at once.
    second = (await anna.send_message(bram.user["id"], "Fijn, tot straks"))["message"]
    got_msg = await bram.next_event("chat.message")
    assert got_msg["data"]["message"]["id"] == second["id"]
    await bram.request("chat.delivered", {"conversation_id": conv_id, "message_id": second["id"]})
    assert (await anna.next_event("chat.delivered"))["data"]["message_id"] == second["id"]
    assert await _ticks(anna) == (second["id"], 0)

    # Read: Anna's ticks turn to read.
    await bram.request("chat.read", {"conversation_id": conv_id, "message_id": second["id"]})
    assert (await anna.next_event("chat.read"))["data"]["message_id"] == second["id"]
    assert await _ticks(anna) == (second["id"], second["id"])
    await anna.close()
    await bram.close()


async def test_read_implies_delivered_and_bad_markers_are_refused(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    await bram.connect()
    msg = (await anna.send_message(bram.user["id"], "Gelezen?"))["message"]
    conv_id = msg["conversation_id"]
    await bram.request("chat.read", {"conversation_id": conv_id, "message_id": msg["id"]})
    assert await _ticks(anna) == (msg["id"], msg["id"])
    # A late delivered for a message already read moves nothing.
    late = await bram.request("chat.delivered", {"conversation_id": conv_id, "message_id": msg["id"]})
    assert late["moved"] is False

    # Nobody marks their own message delivered, nor one of a conversation they are not in.
    with pytest.raises(ClientError) as own:
        await anna.request("chat.delivered", {"conversation_id": conv_id, "message_id": msg["id"]})
    assert own.value.code == "unknown_message"
    _, carla, dirk = await two_contacts(server, "Carla", "Dirk")
    await carla.connect()
    with pytest.raises(ClientError) as foreign:
        await carla.request("chat.delivered", {"conversation_id": conv_id, "message_id": msg["id"]})
    assert foreign.value.code == "not_found"
    with pytest.raises(ClientError) as missing:
        await carla.request("chat.delivered", {"conversation_id": conv_id})
    assert missing.value.code == "missing_field"
    for c in (anna, bram, carla):
        await c.close()
