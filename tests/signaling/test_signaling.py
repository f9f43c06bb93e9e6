"""Signaling for video rooms over /ws (VC-1, VC-3, VC-4, VC-6): real server, real sockets.

Every relayed signal is checked at the receiver: who it came from (stamped by the
server), what it carried; every refusal with the code a client acts on.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from chatserver.client import ChatClient, ClientError
from signaling.config import VideoConfig
from signaling.rules import MAX_SDP_BYTES
from tests.helpers import Server, make_tenant, make_user, two_contacts, with_section

OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


async def guest(server: Server, token: str, name: str, password: str | None = None) -> ChatClient:
    body: dict[str, Any] = {"name": name}
    if password is not None:
        body["password"] = password
    async with httpx.AsyncClient(base_url=server.url) as http:
        r = await http.post(f"/api/video/rooms/{token}/guests", json=body)
    assert r.status_code == 201, r.text
    data = r.json()
    client = ChatClient(server.url, data["token"])
    client.user = data["user"]
    server.clients.append(client)
    return client


async def no_event(client: ChatClient, type_: str, wait: float = 0.5) -> None:
    with pytest.raises(TimeoutError):
        await client.next_event(type_, timeout=wait)


async def test_a_call_from_the_chat_rings_joins_and_relays_signals_stamped_with_the_sender(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    await bram.connect()
    bram_tab2 = ChatClient(server.url, bram.token)
    server.clients.append(bram_tab2)
    await bram_tab2.connect()

    room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
    assert room["kind"] == "chat" and room["url"] == f"/v/{room['token']}" and len(room["token"]) >= 22
    # Every open tab of Bram's rings, with who calls.
    for tab in (bram, bram_tab2):
        ring = await tab.next_event("video.ring")
        assert ring["data"]["room"]["token"] == room["token"] and ring["data"]["from"]["name"] == "Anna"

    a = await anna.request("video.join", {"room": room["token"]})
    assert a["participant"]["role"] == "owner" and a["participants"] == []
    b = await bram.request("video.join", {"room": room["token"]})
    assert b["participant"]["role"] == "member"
    assert [(p["id"], p["name"], p["polite"]) for p in b["participants"]] == [(a["participant"]["id"], "Anna", True)]
    joined = await anna.next_event("video.joined")
    assert joined["data"]["participant"]["id"] == b["participant"]["id"]
    assert joined["data"]["participant"]["polite"] is False  # exactly one side of the pair is polite
    assert (await bram_tab2.next_event("video.ring_ended"))["data"]["room"] == room["token"]

    await bram.request("video.signal", {"to": a["participant"]["id"], "kind": "offer", "sdp": OFFER})
    got = await anna.next_event("video.signal")
    assert got["data"] == {"room": room["token"], "from": b["participant"]["id"], "kind": "offer", "sdp": OFFER}
    cand = {"candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid": "0", "sdpMLineIndex": 0}
    await anna.request("video.signal", {"to": b["participant"]["id"], "kind": "candidate", "candidate": cand})
    assert (await bram.next_event("video.signal"))["data"]["candidate"] == cand
    # Signals go to the joined tab only, not to the user's other tabs.
    await no_event(bram_tab2, "video.signal")

    await bram.request("video.state", {"audio": False, "video": True})
    state = await anna.next_event("video.state")
    assert state["data"] == {"room": room["token"], "participant": b["participant"]["id"], "audio": False, "video": True}

    await bram.request("video.leave", {})
    left = await anna.next_event("video.left")
    assert left["data"]["participant"] == b["participant"]["id"] and left["data"]["reason"] == "left"


async def test_decline_tells_the_caller(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
    await bram.rest("POST", f"/api/video/rooms/{room['token']}/decline")
    declined = await anna.next_event("video.declined")
    assert declined["data"] == {"room": room["token"], "by": "Bram"}
    # Only the callee can decline: the caller is told so; to anyone else the call does not exist.
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", f"/api/video/rooms/{room['token']}/decline")
    assert err.value.status == 403 and err.value.code == "not_callee"
    other = await make_user(server, await make_tenant(server), "Olaf")
    with pytest.raises(ClientError) as err:
        await other.rest("POST", f"/api/video/rooms/{room['token']}/decline")
    assert err.value.status == 404


async def test_only_contacts_can_be_called(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    stranger = await make_user(server, org, "Stranger")
    for to in (stranger.user["id"], anna.user["id"], 2**62):
        with pytest.raises(ClientError) as err:
            await anna.rest("POST", "/api/video/calls", {"to": to})
        assert err.value.status == 404 and err.value.code == "not_a_contact"
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", "/api/video/calls", {"to": 2**64})
    assert err.value.status == 400


async def test_a_guest_joins_by_link_and_password_and_has_video_messages_only(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    room = (await anna.rest("POST", "/api/video/rooms", {"title": "Interview Jan"}))["room"]
    await anna.rest("PUT", f"/api/video/rooms/{room['token']}/password", {"password": "geheim-123"})

    async with httpx.AsyncClient(base_url=server.url) as http:
        info = (await http.get(f"/api/video/rooms/{room['token']}")).json()["room"]
        assert info["title"] == "Interview Jan" and info["has_password"] is True and info["owner_name"] == "Anna"
        assert "password_hash" not in info
        for password, code in ((None, "password_required"), ("wrong", "wrong_password")):
            body = {"name": "Jan"} if password is None else {"name": "Jan", "password": password}
            r = await http.post(f"/api/video/rooms/{room['token']}/guests", json=body)
            assert r.status_code == 403 and r.json()["error"]["code"] == code
        assert (await http.get("/api/video/rooms/not-a-room")).status_code == 404

    jan = await guest(server, room["token"], "Jan", "geheim-123")
    await jan.connect()
    await anna.connect()
    a = await anna.request("video.join", {"room": room["token"]})
    j = await jan.request("video.join", {"room": room["token"]})
    assert j["participant"]["role"] == "guest" and j["participants"][0]["name"] == "Anna"
    assert (await anna.next_event("video.joined"))["data"]["participant"]["name"] == "Jan"

    # A guest's token opens this call and nothing else: no chat, no SMS, no REST.
    for type_, data in (("chat.send", {"to": a["participant"]["id"], "body": "hi", "client_msg_id": "x"}),
                        ("presence.set", {"status": "away"})):
        with pytest.raises(ClientError) as err:
            await jan.request(type_, data)
        assert err.value.code == "not_allowed"
    for path in ("/api/contacts", "/api/me", "/api/sms/messages"):
        with pytest.raises(ClientError) as err:
            await jan.rest("GET", path)
        assert err.value.status == 403 and err.value.code == "guest_token"

    # Another room is not the guest's: it does not exist for them.
    other = (await anna.rest("POST", "/api/video/rooms", {}))["room"]
    with pytest.raises(ClientError) as err:
        await jan.request("video.join", {"room": other["token"]})
    assert err.value.code == "no_such_room"


async def test_signals_are_refused_to_and_from_non_members_oversize_and_after_removal(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    kees = await make_user(server, org, "Kees")
    room = (await anna.rest("POST", "/api/video/rooms", {}))["room"]
    other = (await kees.rest("POST", "/api/video/rooms", {}))["room"]
    for c in (anna, bram, kees):
        await c.connect()
    a = await anna.request("video.join", {"room": room["token"]})
    b = await bram.request("video.join", {"room": room["token"]})
    k = await kees.request("video.join", {"room": other["token"]})

    async def refused(client: ChatClient, data: dict[str, Any]) -> str:
        with pytest.raises(ClientError) as err:
            await client.request("video.signal", data)
        return err.value.code

    # To a member of another room, or to oneself: no such participant here.
    assert await refused(anna, {"to": k["participant"]["id"], "kind": "offer", "sdp": OFFER}) == "no_such_participant"
    assert await refused(anna, {"to": a["participant"]["id"], "kind": "offer", "sdp": OFFER}) == "no_such_participant"
    # From a connection in no room.
    await kees.request("video.leave", {})
    assert await refused(kees, {"to": a["participant"]["id"], "kind": "offer", "sdp": OFFER}) == "not_in_room"
    # Malformed: no sdp, an unknown kind, an oversized SDP (the frame or the rule refuses it).
    assert await refused(anna, {"to": b["participant"]["id"], "kind": "offer"}) == "missing_field"
    assert await refused(anna, {"to": b["participant"]["id"], "kind": "bye", "sdp": OFFER}) == "invalid_value"
    big = "a" * (MAX_SDP_BYTES + 1)
    assert await refused(anna, {"to": b["participant"]["id"], "kind": "offer", "sdp": big}) == "too_large"
    await no_event(bram, "video.signal")

    # Only the organiser removes; the removed member hears it and cannot come back.
    with pytest.raises(ClientError) as err:
        await bram.request("video.remove", {"participant": a["participant"]["id"]})
    assert err.value.code == "owner_only"
    await anna.request("video.remove", {"participant": b["participant"]["id"]})
    assert (await bram.next_event("video.removed"))["data"]["room"] == room["token"]
    assert await refused(bram, {"to": a["participant"]["id"], "kind": "offer", "sdp": OFFER}) == "not_in_room"
    with pytest.raises(ClientError) as err:
        await bram.request("video.join", {"room": room["token"]})
    assert err.value.code == "removed"

    # Ending closes the call for everyone; its link stops working.
    await anna.request("video.end", {})
    with pytest.raises(ClientError) as err:
        await kees.request("video.join", {"room": room["token"]})
    assert err.value.code == "room_ended"


async def test_another_organisation_cannot_see_or_join_a_room(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    outsider = await make_user(server, await make_tenant(server, "other"), "Olaf")
    room = (await anna.rest("POST", "/api/video/rooms", {}))["room"]
    await outsider.connect()
    with pytest.raises(ClientError) as err:
        await outsider.request("video.join", {"room": room["token"]})
    assert err.value.code == "no_such_room"
    with pytest.raises(ClientError) as err:
        await outsider.rest("PUT", f"/api/video/rooms/{room['token']}/password", {"password": "mine-now"})
    assert err.value.status == 404


async def test_a_signal_flood_is_refused(server, config):

    from tests.helpers import running_server

    # A slow refill, so the refusals do not depend on how fast a busy machine serves the burst.
    async with running_server(with_section(server.config, VideoConfig, signal_rate=1.0, signal_burst=20)) as srv:
        _, anna, bram = await two_contacts(srv)
        room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
        await anna.connect()
        await bram.connect()
        await anna.request("video.join", {"room": room["token"]})
        b = await bram.request("video.join", {"room": room["token"]})
        results = await asyncio.gather(
            *(anna.request("video.signal", {"to": b["participant"]["id"], "kind": "offer", "sdp": OFFER})
              for _ in range(60)),
            return_exceptions=True,
        )
    refused = [r for r in results if isinstance(r, ClientError)]
    assert len(refused) >= 30 and all(r.code == "rate_limited" for r in refused)


async def test_a_room_is_capped_and_a_dropped_member_is_shown_away(server):

    from tests.helpers import running_server

    async with running_server(with_section(server.config, VideoConfig, room_cap=2)) as srv:
        org = await make_tenant(srv)
        people = [await make_user(srv, org, n) for n in ("Anna", "Bram", "Kees")]
        room = (await people[0].rest("POST", "/api/video/rooms", {}))["room"]
        for p in people:
            await p.connect()
        await people[0].request("video.join", {"room": room["token"]})
        b = await people[1].request("video.join", {"room": room["token"]})
        with pytest.raises(ClientError) as err:
            await people[2].request("video.join", {"room": room["token"]})
        assert err.value.code == "room_full"
        await people[1].close()
        away = await people[0].next_event("video.left")
        assert away["data"] == {"room": room["token"], "participant": b["participant"]["id"], "reason": "away"}
        # Back: the same place (participant id), the others hear it joined again.
        await people[1].connect()
        again = await people[1].request("video.join", {"room": room["token"]})
        assert again["participant"]["id"] == b["participant"]["id"]
        assert (await people[0].next_event("video.joined"))["data"]["participant"]["id"] == b["participant"]["id"]


async def history_messages(client: ChatClient, other: ChatClient) -> list[dict[str, Any]]:
    convs = (await client.rest("GET", "/api/conversations"))["conversations"]
    conv = next((c for c in convs if c["with"]["id"] == other.user["id"]), None)
    if conv is None:  # nothing said yet
        return []
    messages: list[dict[str, Any]] = (await client.rest("GET", f"/api/conversations/{conv['id']}/messages"))["messages"]
    return messages


async def history_bodies(client: ChatClient, other: ChatClient) -> list[str]:
    return [m["body"] for m in await history_messages(client, other)]


async def test_unanswered_or_dnd_calls_are_noted_as_missed_and_answered_ones_with_their_length(server):

    from tests.helpers import running_server, wait_for

    async with running_server(with_section(server.config, VideoConfig, ring_seconds=1.0)) as srv:
        _, anna, bram = await two_contacts(srv)
        await anna.connect()
        await bram.connect()
        # Nobody answers: Bram's tabs stop ringing, Anna hears "no answer", the chat notes it.
        room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
        assert (await bram.next_event("video.ring"))["data"]["seconds"] == 1.0
        assert (await bram.next_event("video.ring_ended", timeout=5))["data"]["room"] == room["token"]
        assert (await anna.next_event("video.no_answer", timeout=5))["data"]["room"] == room["token"]
        msg = await bram.next_event("chat.message", timeout=5)
        assert msg["data"]["message"]["body"] == "📹 Missed video call"  # for clients without the kind
        # What the app renders in its user's language: the kind and its data.
        assert msg["data"]["message"]["kind"] == "call"
        assert msg["data"]["message"]["meta"] == {"missed": True, "room": room["token"]}
        first_room = room["token"]

        # On Do not disturb nothing rings; the missed call is noted at once.
        await bram.set_status("dnd")
        started = await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]})
        assert started["ringing"] is False
        await wait_for(lambda: history_bodies(bram, anna), timeout=5)
        await wait_for(lambda: _count(bram, anna, "📹 Missed video call", 2), timeout=5)
        await no_event(bram, "video.ring")

        # Answered: when the last one leaves, the call and its length are noted, once.
        await bram.set_status("online")
        room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
        await anna.request("video.join", {"room": room["token"]})
        await bram.request("video.join", {"room": room["token"]})
        await asyncio.sleep(1.2)  # past the ringing time: an answered call is not "missed"
        await bram.request("video.leave", {})
        await anna.request("video.leave", {})
        await wait_for(lambda: _count(bram, anna, "📹 Video call · 0:0", 1, prefix=True), timeout=5)
        assert await _count(bram, anna, "📹 Missed video call", 2)
        # History carries the kind and data too, for either party; a text message stays text.
        await anna.request("chat.send", {"to": bram.user["id"], "body": "hoi", "client_msg_id": "t1"})
        for who, other in ((bram, anna), (anna, bram)):
            notes = [(m["kind"], m["meta"]) for m in await history_messages(who, other)]
            assert notes[0] == ("call", {"missed": True, "room": first_room})
            assert notes[1][0] == "call" and notes[1][1]["missed"] is True
            kind, meta = notes[2]
            assert kind == "call" and meta["missed"] is False and meta["room"] == room["token"]
            assert 1 <= meta["seconds"] <= 5
            assert notes[3] == ("text", None)


async def test_a_missed_call_is_noted_once_even_when_the_node_restarts_while_it_rings(server):
    """The ringing timer lives on the node that started the call; restarted mid-ring, the
    node forgets it, and the sweep (any node) notes the missed call instead, once."""

    from tests.helpers import running_server, wait_for

    config = with_section(server.config, VideoConfig, ring_seconds=1.0)
    async with running_server(config) as first:
        _, anna, bram = await two_contacts(first)
        await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]})
    # The first node is gone before the ringing ended; a new one starts on the same database.
    async with running_server(config) as second:
        anna2, bram2 = ChatClient(second.url, anna.token), ChatClient(second.url, bram.token)
        anna2.user, bram2.user = anna.user, bram.user
        second.clients += [anna2, bram2]
        await wait_for(lambda: _count(bram2, anna2, "📹 Missed video call", 1), timeout=10)
        await asyncio.sleep(2.5)  # more sweeps: still noted once
        assert await _count(bram2, anna2, "📹 Missed video call", 1)


async def _count(client: ChatClient, other: ChatClient, body: str, n: int, *, prefix: bool = False) -> bool:
    bodies = await history_bodies(client, other)
    return sum(1 for b in bodies if (b.startswith(body) if prefix else b == body)) == n


async def test_a_client_cannot_send_a_call_note(server):
    """Only the server writes a message of another kind than text: chat.send has no kind,
    and a kind or meta a client adds is not a field of it (REST and socket alike)."""
    _, anna, bram = await two_contacts(server)
    fake = {"to": bram.user["id"], "body": "📹 Missed video call", "kind": "call", "meta": {"missed": True}}
    sent = await anna.rest("POST", "/api/messages", {**fake, "client_msg_id": "fake-1"})
    assert (sent["message"]["kind"], sent["message"]["meta"]) == ("text", None)
    await anna.connect()
    ack = await anna.request("chat.send", {**fake, "client_msg_id": "fake-2"})
    assert (ack["message"]["kind"], ack["message"]["meta"]) == ("text", None)
    assert [(m["kind"], m["meta"]) for m in await history_messages(bram, anna)] == [("text", None)] * 2
