"""Presence and the five statuses with the seed's semantics (IC-5, 001 section 3.2.2).

Online: contacts can chat at once. Away: others may still write. Do not disturb:
messages arrive, without notification. Invisible: shown offline, can still send and
receive. Offline: cannot send; messages wait until the user is back.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from chatserver.client import ChatClient, ClientError
from tests.helpers import PASSWORD, Server, befriend, make_user, two_contacts


async def pair(server: Server) -> tuple[dict[str, Any], ChatClient, ChatClient]:
    """Anna and Bram, contacts, both connected, Anna having seen Bram come online."""
    org, anna, bram = await two_contacts(server)
    await anna.connect()
    await bram.connect()
    ev = await anna.next_event("presence.changed")
    assert (ev["data"]["user_id"], ev["data"]["status"]) == (bram.user["id"], "online")
    return org, anna, bram


async def until(client: ChatClient, type_: str, *, timeout: float = 10) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every frame before the next ``type_`` frame, and that frame.

    The server writes one connection's frames in the order it queued them, so a frame
    queued after an action acts as a barrier: whatever the action pushed comes before it.
    """
    before: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        while True:
            frame = await client.events.get()
            if frame["type"] == type_:
                return before, frame
            before.append(frame)


async def message_from(client: ChatClient, sender: ChatClient, *, timeout: float = 10) -> dict[str, Any]:
    """The next chat.message ``sender`` sent (every tab also gets its own user's messages)."""
    async with asyncio.timeout(timeout):
        while True:
            frame = await client.next_event("chat.message", timeout=timeout)
            if frame["data"]["message"]["sender_id"] == sender.user["id"]:
                return frame


async def status_seen(viewer: ChatClient, user: ChatClient) -> str:
    contacts = (await viewer.rest("GET", "/api/contacts"))["contacts"]
    return next(c["status"] for c in contacts if c["id"] == user.user["id"])


async def test_contacts_see_connect_disconnect_and_status_changes_live(server):
    org, anna, bram = await two_contacts(server)
    await anna.connect()
    assert await status_seen(anna, bram) == "offline"

    await bram.connect()
    ev = await anna.next_event("presence.changed")
    assert ev["data"] == {"user_id": bram.user["id"], "name": "Bram", "status": "online", "notify": 2}
    assert await status_seen(anna, bram) == "online"

    for status in ("away", "dnd", "online"):
        assert (await bram.set_status(status))["status"] == status
        ev = await anna.next_event("presence.changed")
        assert (ev["data"]["user_id"], ev["data"]["status"]) == (bram.user["id"], status)
        # A change between visible statuses is no "came online" notification.
        assert ev["data"]["notify"] == 0
        assert await status_seen(anna, bram) == status

    await bram.close()
    ev = await anna.next_event("presence.changed")
    assert (ev["data"]["user_id"], ev["data"]["status"]) == (bram.user["id"], "offline")
    assert await status_seen(anna, bram) == "offline"
    # The chosen status survives the disconnect: Bram comes back as he left.
    bram_again = await ChatClient.login(server.url, org["slug"], bram.user["username"], PASSWORD)
    server.clients.append(bram_again)
    me = await bram_again.rest("GET", "/api/me")
    assert me["user"]["status"] == "online" and me["visible_status"] == "offline"


async def test_status_can_be_set_over_rest_and_is_validated(server):
    _, anna, bram = await pair(server)
    assert (await bram.rest("PUT", "/api/status", {"status": "away"}))["status"] == "away"
    ev = await anna.next_event("presence.changed")
    assert ev["data"]["status"] == "away"
    with pytest.raises(ClientError) as err:
        await bram.rest("PUT", "/api/status", {"status": "busy"})
    assert err.value.status == 400 and err.value.code == "invalid_value"
    with pytest.raises(ClientError) as err:
        await bram.set_status("busy")
    assert err.value.code == "invalid_value"
    assert (await bram.rest("GET", "/api/me"))["user"]["status"] == "away"


async def test_away_shows_away_and_others_can_still_write(server):
    _, anna, bram = await pair(server)
    await bram.set_status("away")
    ev = await anna.next_event("presence.changed")
    assert ev["data"]["status"] == "away"
    await anna.send_message(bram.user["id"], "Ben je er?")
    got = await bram.next_event("chat.message")
    assert got["data"]["message"]["body"] == "Ben je er?"
    assert got["data"]["notify"] == 1  # away still notifies
    # And Bram may answer while away.
    await bram.send_message(anna.user["id"], "Zo terug")
    assert (await message_from(anna, bram))["data"]["message"]["body"] == "Zo terug"


async def test_do_not_disturb_receives_without_notifications(server):
    org, anna, bram = await pair(server)
    await bram.set_status("dnd")
    assert (await anna.next_event("presence.changed"))["data"]["status"] == "dnd"

    await anna.send_message(bram.user["id"], "stil bericht")
    got = await bram.next_event("chat.message")
    assert got["data"]["message"]["body"] == "stil bericht"
    assert got["data"]["notify"] == 0
    assert (await bram.rest("GET", "/api/conversations"))["badge"] == 1

    # A contact coming online is no notification either while in Do not disturb.
    carla = await make_user(server, org, "Carla")
    await befriend(carla, bram)
    await bram.next_event("contact.accepted")
    await carla.connect()
    ev = await bram.next_event("presence.changed")
    assert (ev["data"]["user_id"], ev["data"]["status"], ev["data"]["notify"]) == (carla.user["id"], "online", 0)
    # Nor is an incoming contact request.
    dirk = await make_user(server, org, "Dirk")
    await dirk.rest("POST", "/api/contact-requests", {"user_id": bram.user["id"]})
    req = await bram.next_event("contact.request")
    assert req["data"]["notify"] == 0

    # Back online: notifications again, by the settings.
    await bram.set_status("online")
    await anna.send_message(bram.user["id"], "luid bericht")
    got = await bram.next_event("chat.message")
    assert got["data"]["message"]["body"] == "luid bericht" and got["data"]["notify"] == 1


async def test_invisible_is_offline_to_contacts_but_sends_and_receives(server):
    org, anna, bram = await pair(server)
    await bram.set_status("invisible")
    ev = await anna.next_event("presence.changed")
    assert (ev["data"]["user_id"], ev["data"]["status"]) == (bram.user["id"], "offline")
    assert await status_seen(anna, bram) == "offline"
    # Nothing else Anna can read gives the chosen status away.
    found = [r for r in (await anna.rest("GET", "/api/people/search", q="bram"))["results"] if not r["external"]]
    assert [r["id"] for r in found] == [bram.user["id"]] and "status" not in found[0]

    await anna.send_message(bram.user["id"], "ben je er stiekem?")
    got = await bram.next_event("chat.message")
    assert got["data"]["message"]["body"] == "ben je er stiekem?" and "replay" not in got
    await bram.send_message(anna.user["id"], "ja")
    assert (await message_from(anna, bram))["data"]["message"]["body"] == "ja"
    recent = (await anna.rest("GET", "/api/contacts/recent"))["recent"]
    assert [(r["id"], r["status"]) for r in recent] == [(bram.user["id"], "offline")]

    # Another tab of the invisible user opening does not give them away.
    bram_tab2 = await ChatClient.login(server.url, org["slug"], bram.user["username"], PASSWORD)
    server.clients.append(bram_tab2)
    await bram_tab2.connect()
    await bram_tab2.send_message(anna.user["id"], "barrier")
    before, _ = await until(anna, "chat.message")
    assert not [f for f in before if f["type"] == "presence.changed"], before
    assert await status_seen(anna, bram) == "offline"

    # Leaving Invisible announces Bram as having come online.
    await bram.set_status("online")
    ev = await anna.next_event("presence.changed")
    assert (ev["data"]["status"], ev["data"]["notify"]) == ("online", 2)


async def test_offline_cannot_send_and_messages_wait_until_back(server):
    org, anna, bram = await pair(server)
    bram_tab2 = await ChatClient.login(server.url, org["slug"], bram.user["username"], PASSWORD)
    server.clients.append(bram_tab2)
    await bram_tab2.connect()

    ack = await bram.set_status("offline")
    assert ack["status"] == "offline"
    ev = await anna.next_event("presence.changed")
    assert (ev["data"]["user_id"], ev["data"]["status"]) == (bram.user["id"], "offline")
    assert await status_seen(anna, bram) == "offline"
    # Bram's other tab follows his own status (the tab that set it has the ack).
    own = await bram_tab2.next_event("presence.self")
    assert own["data"]["status"] == "offline"

    # Offline: sending is refused with a clear error, over the WebSocket and REST; nothing stored.
    with pytest.raises(ClientError) as err:
        await bram.send_message(anna.user["id"], "mag niet")
    assert err.value.code == "status_offline"
    with pytest.raises(ClientError) as err:
        await bram.rest("POST", "/api/messages", {"to": anna.user["id"], "body": "mag niet", "client_msg_id": "x1"})
    assert err.value.code == "status_offline" and err.value.status == 403
    assert (await anna.rest("GET", "/api/conversations"))["conversations"] == []

    # Contacts can still write; the messages are stored but not pushed while Offline.
    for i in range(3):
        await anna.send_message(bram.user["id"], f"wacht {i}")
    # Typing is ephemeral and queued after the three messages: a barrier for each tab.
    await anna.request("chat.typing", {"to": bram.user["id"], "typing": True})
    for tab in (bram, bram_tab2):
        before, _ = await until(tab, "chat.typing")
        assert not [f for f in before if f["type"] == "chat.message"], before
    assert (await bram.rest("GET", "/api/conversations"))["conversations"][0]["unread"] == 3

    # Back Online: the waiting messages arrive at once, in order, on every tab.
    await bram_tab2.set_status("online")
    ev = await anna.next_event("presence.changed")
    assert (ev["data"]["status"], ev["data"]["notify"]) == ("online", 2)
    for tab in (bram, bram_tab2):
        got = [await tab.next_event("chat.message") for _ in range(3)]
        assert [g["data"]["message"]["body"] for g in got] == [f"wacht {i}" for i in range(3)]
        assert all(g.get("replay") is True for g in got)
    await bram.send_message(anna.user["id"], "weer terug")
    assert (await message_from(anna, bram))["data"]["message"]["body"] == "weer terug"


async def test_offline_status_holds_across_a_reconnect(server):
    org, anna, bram = await pair(server)
    assert (await bram.set_status("offline"))["status"] == "offline"
    last_seq, epoch = bram.last_seq, bram.epoch
    await bram.close()
    await anna.send_message(bram.user["id"], "tijdens offline")

    # Bram's app comes back while his status is still Offline: it resumes, but holds.
    again = ChatClient(server.url, bram.token)
    again.user = bram.user
    server.clients.append(again)
    again.last_seq, again.epoch = last_seq, epoch
    hello = await again.connect()
    assert hello["resumed"] is True and hello["held"] is True and hello["status"] == "offline"
    await anna.request("chat.typing", {"to": bram.user["id"], "typing": True})
    before, _ = await until(again, "chat.typing")
    assert not [f for f in before if f["type"] == "chat.message"], before

    await again.set_status("online")
    got = await again.next_event("chat.message")
    assert got["data"]["message"]["body"] == "tijdens offline" and got.get("replay") is True


async def test_own_status_change_reaches_the_other_tab(server):
    org, anna, bram = await pair(server)
    bram_tab2 = await ChatClient.login(server.url, org["slug"], bram.user["username"], PASSWORD)
    server.clients.append(bram_tab2)
    await bram_tab2.connect()
    for status in ("away", "dnd", "invisible", "online"):
        await bram.set_status(status)
        ev = await bram_tab2.next_event("presence.self")
        assert ev["data"]["status"] == status
    me = await bram_tab2.rest("GET", "/api/me")
    assert me["user"]["status"] == "online"
