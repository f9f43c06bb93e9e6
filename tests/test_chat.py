"""Internal chat end to end over real WebSockets: contacts, messages, offline delivery, read markers."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from chatserver.client import ChatClient, ClientError
from tests.helpers import make_tenant, make_user, two_contacts, wait_for


async def test_request_accept_and_chat(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna de Vries")
    bram = await make_user(server, org, "Bram Jansen")
    await anna.connect()
    await bram.connect()

    found = await anna.rest("GET", "/api/people/search", q="bram")
    # Other tests' tenants hold Brams too, found as external people (IC-1): look at ours.
    assert [r["name"] for r in found["results"] if not r["external"]] == ["Bram Jansen"]

    req = await anna.rest("POST", "/api/contact-requests", {"user_id": bram.user["id"]})
    incoming = await bram.next_event("contact.request")
    assert incoming["data"]["from"]["name"] == "Anna de Vries"
    assert incoming["data"]["notify"] == 1

    await bram.rest("POST", f"/api/contact-requests/{req['id']}/accept")
    accepted = await anna.next_event("contact.accepted")
    assert accepted["data"]["to"]["name"] == "Bram Jansen"

    contacts = await anna.rest("GET", "/api/contacts")
    assert [(c["name"], c["status"]) for c in contacts["contacts"]] == [("Bram Jansen", "online")]

    ack = await anna.send_message(bram.user["id"], "Hoi Bram!")
    got = await bram.next_event("chat.message")
    assert got["data"]["message"]["body"] == "Hoi Bram!"
    assert got["data"]["message"]["id"] == ack["message"]["id"]
    assert got["data"]["unread"] == 1

    convs = await bram.rest("GET", "/api/conversations")
    assert convs["badge"] == 1
    conv_id = convs["conversations"][0]["id"]
    await bram.request("chat.read", {"conversation_id": conv_id, "message_id": ack["message"]["id"]})
    marker = await anna.next_event("chat.read")
    assert marker["data"]["message_id"] == ack["message"]["id"]
    assert (await bram.rest("GET", "/api/conversations"))["badge"] == 0

    recent = await anna.rest("GET", "/api/contacts/recent")
    assert recent["recent"][0]["name"] == "Bram Jansen"
    for c in (anna, bram):
        await c.close()


async def test_offline_user_gets_messages_at_next_login(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    for i in range(5):
        await anna.send_message(bram.user["id"], f"bericht {i}")
    # Bram logs in later: history and the unread badge show what was sent.
    convs = await bram.rest("GET", "/api/conversations")
    assert convs["badge"] == 1 and convs["conversations"][0]["unread"] == 5
    hist = await bram.rest("GET", f"/api/conversations/{convs['conversations'][0]['id']}/messages")
    assert [m["body"] for m in hist["messages"]] == [f"bericht {i}" for i in range(5)]
    await anna.close()
    await bram.close()


async def test_resend_with_same_client_id_is_stored_once(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    first = await anna.send_message(bram.user["id"], "once", client_msg_id="fixed-1")
    again = await anna.send_message(bram.user["id"], "once", client_msg_id="fixed-1")
    assert again["duplicate"] is True and again["message"]["id"] == first["message"]["id"]
    convs = await bram.rest("GET", "/api/conversations")
    assert convs["conversations"][0]["unread"] == 1
    await anna.close()


async def test_history_pages_with_cursor(server):
    _, anna, bram = await two_contacts(server)
    for i in range(25):
        await anna.rest("POST", "/api/messages", {"to": bram.user["id"], "body": f"m{i}", "client_msg_id": f"k{i}"})
    conv = (await bram.rest("GET", "/api/conversations"))["conversations"][0]["id"]
    page1 = await bram.rest("GET", f"/api/conversations/{conv}/messages", limit=10)
    page2 = await bram.rest("GET", f"/api/conversations/{conv}/messages", limit=10, before=page1["next_before"])
    page3 = await bram.rest("GET", f"/api/conversations/{conv}/messages", limit=10, before=page2["next_before"])
    bodies = [m["body"] for p in (page3, page2, page1) for m in p["messages"]]
    assert bodies == [f"m{i}" for i in range(25)]
    assert page3["next_before"] is None


async def test_cannot_message_a_non_contact(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    await anna.connect()
    with pytest.raises(ClientError) as err:
        await anna.send_message(bram.user["id"], "hi")
    assert err.value.code == "not_a_contact"
    await anna.close()


async def test_decline_and_block(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    req = await anna.rest("POST", "/api/contact-requests", {"user_id": bram.user["id"]})
    await bram.rest("POST", f"/api/contact-requests/{req['id']}/decline")
    # Declined: Anna may ask again.
    req = await anna.rest("POST", "/api/contact-requests", {"user_id": bram.user["id"]})
    await bram.rest("POST", f"/api/contact-requests/{req['id']}/block")
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", "/api/contact-requests", {"user_id": bram.user["id"]})
    assert err.value.code == "request_blocked" and err.value.status == 409
    assert (await anna.rest("GET", "/api/contacts"))["contacts"] == []


async def test_typing_reaches_the_contact(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    await bram.connect()
    await anna.request("chat.typing", {"to": bram.user["id"], "typing": True})
    ev = await bram.next_event("chat.typing")
    assert ev["data"] == {"user_id": anna.user["id"], "typing": True}
    assert "seq" not in ev
    await anna.close()
    await bram.close()


async def test_chat_from_record_sets_subject_and_timeline(server):
    _, anna, bram = await two_contacts(server)
    await bram.connect()
    record = await anna.rest("POST", "/api/records", {"kind": "vacancy", "title": "Onderhoudsmonteur"})
    await anna.rest(
        "POST", f"/api/records/{record['id']}/chat",
        {"to": bram.user["id"], "body": "Heb jij iemand?", "client_msg_id": "r1"},
    )
    ev = await bram.next_event("chat.message")
    assert ev["data"]["message"]["subject"] == "Vacancy: Onderhoudsmonteur"
    timeline = await anna.rest("GET", f"/api/records/{record['id']}/timeline")
    assert timeline["entries"][0]["kind"] == "chat"
    await wait_for(lambda: True)
    await bram.close()


async def test_the_senders_tab_gets_its_own_event_in_the_ack_and_other_tabs_as_an_event(server):
    """One frame less per message for the tab that sent it (docs/protocol.md): the ack
    carries the sender's own chat.message event; the sender's other tab gets the event;
    a reconnect from the ack's seq replays nothing."""
    _, anna, bram = await two_contacts(server, "Anna de Vries", "Bram Jansen")
    await bram.connect()
    other_tab = ChatClient(server.url, anna.token)
    server.clients.append(other_tab)
    await other_tab.connect()
    async with websockets.connect(anna.ws_url, subprotocols=["chatserver.v1.json"],  # type: ignore[list-item]
                                  additional_headers={"Authorization": f"Bearer {anna.token}"}) as ws:
        await ws.send(json.dumps({"type": "hello", "id": "h", "data": {}}))
        hello = json.loads(await ws.recv())
        assert hello["type"] == "ack"
        await ws.send(json.dumps({"type": "chat.send", "id": "s1",
                                  "data": {"to": bram.user["id"], "body": "Hoi", "client_msg_id": "m1"}}))
        # Everything this tab is sent up to the ping's answer: frames leave in order.
        await ws.send(json.dumps({"type": "ping", "id": "p"}))
        frames = []
        while not frames or frames[-1].get("id") != "p":
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        acks = [f for f in frames if f.get("id") == "s1"]
        assert [f["type"] for f in frames] == ["ack", "ack"]  # no chat.message of its own
        ack = acks[0]["data"]
        assert ack["seq"] == hello["data"]["seq"] + 1
        assert (ack["unread"], ack["notify"], ack["from"]) == (0, 0, "Anna de Vries")
        assert ack["message"]["body"] == "Hoi" and ack["duplicate"] is False

        # The resend of a lost ack: the stored message, no event, so no seq.
        await ws.send(json.dumps({"type": "chat.send", "id": "s2",
                                  "data": {"to": bram.user["id"], "body": "Hoi", "client_msg_id": "m1"}}))
        again = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert again["data"]["duplicate"] is True and "seq" not in again["data"]
        epoch = hello["data"]["epoch"]

    elsewhere = await other_tab.next_event("chat.message")
    assert elsewhere["seq"] == ack["seq"] and "from_ack" not in elsewhere
    assert elsewhere["data"]["message"]["id"] == ack["message"]["id"]
    assert (await bram.next_event("chat.message"))["data"]["unread"] == 1

    # Resuming from the ack's seq: nothing missed, nothing replayed.
    async with websockets.connect(anna.ws_url, subprotocols=["chatserver.v1.json"],  # type: ignore[list-item]
                                  additional_headers={"Authorization": f"Bearer {anna.token}"}) as ws:
        await ws.send(json.dumps({"type": "hello", "id": "h", "data": {"last_seq": ack["seq"], "epoch": epoch}}))
        resumed = json.loads(await ws.recv())["data"]
        assert (resumed["resumed"], resumed["missed"]) == (True, 0)
        await ws.send(json.dumps({"type": "ping", "id": "p"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["id"] == "p"


async def test_the_python_client_hands_out_its_own_event_once(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    ack = await anna.send_message(bram.user["id"], "Hoi")
    own = await anna.next_event("chat.message")
    assert own["seq"] == ack["seq"] == anna.last_seq
    assert own["data"]["message"]["id"] == ack["message"]["id"]
    await anna.request("ping")
    assert anna.events.empty()  # not a second time as an event of its own
