"""Live chat end to end through the Python client: visits, routing, replies, lifecycle."""

from __future__ import annotations

from sqlalchemy import func, select

from chatserver.client import ChatClient, ClientError
from chatserver.db.models import User
from tests.livechat.service.helpers import FOREIGN, make_org, reply, visit, write


async def _visitor_count(server, tenant_id: int) -> int:
    async with server.services.read() as s:
        q = select(func.count()).select_from(User).where(User.tenant_id == tenant_id, User.role == "visitor")
        return int((await s.execute(q)).scalar_one())


async def test_visit_needs_an_origin_of_the_site(server):
    org = await make_org(server)
    ok = await visit(server, org.site["id"])
    assert ok.status_code == 200
    body = ok.json()
    assert body["token"] and body["conversation"] is None and body["greeting"] == "Welkom!"
    assert ok.headers["access-control-allow-origin"] == "https://www.jobgenius.example"
    assert await _visitor_count(server, org.tenant["id"]) == 1

    for origin in (FOREIGN, None):
        refused = await visit(server, org.site["id"], origin=origin)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "origin_not_allowed"
        assert "token" not in refused.json()
        assert "access-control-allow-origin" not in refused.headers
    assert (await visit(server, 999999)).status_code == 404
    assert await _visitor_count(server, org.tenant["id"]) == 1


async def test_visitor_writes_operator_assigns_replies_takes_over_resolves_reopens(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    piet = await org.operator("Piet Jansen")
    vis, answer = await org.visitor()
    assert answer["operators_online"] == 2

    ack = await write(vis, "Ik heb een vraag over de vacature")
    conv_id = ack["conversation"]["id"]
    assert ack["conversation"]["state"] == "incoming"
    for op in (olga, piet):
        incoming = await op.next_event("livechat.incoming")
        assert incoming["data"]["conversation"]["id"] == conv_id
        assert incoming["data"]["notify"] == 1
        msg = await op.next_event("livechat.message")
        assert msg["data"]["message"]["body"] == "Ik heb een vraag over de vacature"
    listed = await olga.rest("GET", "/api/livechat/conversations", state="incoming")
    assert [c["id"] for c in listed["conversations"]] == [conv_id]

    # Assign to me: the visitor sees the operator's name.
    conv = await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {})
    assert conv["state"] == "active" and conv["operator"]["name"] == "Olga Bakker"
    updated = await vis.next_event("livechat.updated")
    assert updated["data"]["conversation"]["operator"]["name"] == "Olga Bakker"
    assert "ip" not in updated["data"]["conversation"]["visitor"]
    assert (await piet.next_event("livechat.updated"))["data"]["conversation"]["state"] == "active"

    # Replies both ways; now only the assigned operator hears the visitor.
    await reply(olga, conv_id, "Goedemorgen! Waarmee kan ik helpen?")
    got = await vis.next_event("livechat.message")
    assert got["data"]["message"]["sender"] == "operator"
    assert got["data"]["message"]["sender_name"] == "Olga Bakker"
    await write(vis, "Moet ik een VCA hebben?")
    heard = await olga.next_event("livechat.message")  # her own reply, to her other tabs
    assert heard["data"]["message"]["sender"] == "operator" and heard["data"]["notify"] == 0
    heard = await olga.next_event("livechat.message")
    assert heard["data"]["message"]["body"] == "Moet ik een VCA hebben?" and heard["data"]["notify"] == 1

    # Piet takes over; then assigns it to his colleague Olga again.
    await piet.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {})
    assert (await vis.next_event("livechat.updated"))["data"]["conversation"]["operator"]["name"] == "Piet Jansen"
    conv = await piet.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {"user_id": olga.user["id"]})
    assert conv["operator"]["id"] == olga.user["id"]
    assert (await vis.next_event("livechat.updated"))["data"]["conversation"]["operator"]["name"] == "Olga Bakker"
    # Only live-chat operators of the organisation can be given a chat.
    try:
        await piet.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {"user_id": org.key.user["id"]})
        raise AssertionError("assigned to a non-operator")
    except ClientError as exc:
        assert exc.status == 404

    # Many chats per operator: a second visitor, also Olga's.
    vis2, _ = await org.visitor()
    second = (await write(vis2, "Nog een vraag"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{second}/assign", {})
    active = await olga.rest("GET", "/api/livechat/conversations", state="active")
    assert sorted(c["id"] for c in active["conversations"]) == sorted([conv_id, second])

    # Resolve: read-only for operators; in the history of today.
    resolved = await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve")
    assert resolved["state"] == "resolved" and resolved["resolved_at"]
    assert (await vis.next_event("livechat.updated"))["data"]["conversation"]["state"] == "resolved"
    try:
        await reply(olga, conv_id, "nog iets?")
        raise AssertionError("wrote into a resolved chat")
    except ClientError as exc:
        assert exc.status == 409 and exc.code == "conversation_resolved"
    day = resolved["resolved_at"][:10]
    history = await piet.rest("GET", "/api/livechat/conversations", state="resolved", date=day)
    assert [c["id"] for c in history["conversations"]] == [conv_id]
    assert (await piet.rest("GET", "/api/livechat/conversations", state="resolved", date="2001-01-01"))[
        "conversations"] == []

    # The visitor writes again: reopened, back with Olga, operators told.
    ack = await write(vis, "Toch nog een vraag")
    assert ack["conversation"]["state"] == "active"
    reopened = await piet.next_event("livechat.updated")
    while (reopened["data"]["conversation"]["last_message"] or {}).get("body") != "Toch nog een vraag":
        reopened = await piet.next_event("livechat.updated")
    assert reopened["data"]["conversation"]["state"] == "active"
    assert reopened["data"]["conversation"]["operator"]["name"] == "Olga Bakker"
    full = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert [m["body"] for m in full["messages"]] == [
        "Ik heb een vraag over de vacature", "Goedemorgen! Waarmee kan ik helpen?", "Moet ik een VCA hebben?",
        "Toch nog een vraag",
    ]


async def test_same_token_on_another_page_keeps_the_conversation(server):
    org = await make_org(server)
    await org.operator("Olga Bakker")
    vis, first = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    again = await visit(server, org.site["id"], token=vis.token, url="https://www.jobgenius.example/over-ons")
    body = again.json()
    assert body["token"] == vis.token and body["visitor_id"] == first["visitor_id"]
    assert body["conversation"]["id"] == conv_id
    own = await vis.rest("GET", "/api/livechat/visitor/conversation")
    assert [m["body"] for m in own["messages"]] == ["Hallo"]
    # The same token on another site of the tenant is a new visitor there.
    other = await org.key.rest("POST", "/api/livechat/sites", {"name": "B", "origins": ["https://b.example"]})
    elsewhere = await visit(server, other["id"], origin="https://b.example", token=vis.token)
    assert elsewhere.json()["visitor_id"] != first["visitor_id"]


async def test_reconnect_with_last_seq_replays_exactly_what_was_missed(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {})
    await vis.next_event("livechat.updated")
    last_seq, epoch = vis.last_seq, vis.epoch
    await vis.close()

    for i in range(3):
        await reply(olga, conv_id, f"antwoord {i}")
    again = ChatClient(server.url, vis.token)
    server.clients.append(again)
    again.last_seq, again.epoch = last_seq, epoch
    hello = await again.connect()
    assert hello["resumed"] is True and hello["missed"] == 3
    got = [await again.next_event("livechat.message") for _ in range(3)]
    assert [f["data"]["message"]["body"] for f in got] == ["antwoord 0", "antwoord 1", "antwoord 2"]
    assert all(f["replay"] for f in got)
    assert [f["seq"] for f in got] == [last_seq + 1, last_seq + 2, last_seq + 3]
    assert again.events.empty()


async def test_no_operator_online_leave_a_message(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker", online=False)
    vis, answer = await org.visitor()
    assert answer["operators_online"] == 0
    ack = await vis.request(
        "livechat.leave_message",
        {"name": "Pietje Puk", "email": "pietje.puk@example.nl", "phone": "0698765432", "body": "Bel mij"},
    )
    assert ack["message"]["body"] == "Bel mij" and ack["conversation"]["state"] == "incoming"
    incoming = await olga.next_event("livechat.incoming")
    assert incoming["data"]["conversation"]["visitor"]["name"] == "Pietje Puk"
    assert incoming["data"]["notify"] == 1
    listed = await olga.rest("GET", "/api/livechat/conversations", state="incoming")
    [conv] = listed["conversations"]
    assert conv["visitor"]["email"] == "pietje.puk@example.nl" and conv["visitor"]["phone"] == "0698765432"
    assert conv["last_message"]["body"] == "Bel mij"
    try:
        await vis.request("livechat.leave_message", {"name": "", "email": "x", "body": "b"})
        raise AssertionError("accepted without contact details")
    except ClientError as exc:
        assert exc.code in ("missing_field", "invalid_value")


async def test_a_left_message_resent_after_a_lost_ack_is_stored_once(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker", online=False)
    vis, _ = await org.visitor()
    form = {"name": "Pietje Puk", "email": "pietje.puk@example.nl", "body": "Bel mij", "client_msg_id": "leave-1"}
    first = await vis.request("livechat.leave_message", form)
    again = await vis.request("livechat.leave_message", form)
    assert not first["duplicate"] and again["duplicate"]
    assert again["message"]["id"] == first["message"]["id"]
    [conv] = (await olga.rest("GET", "/api/livechat/conversations", state="incoming"))["conversations"]
    detail = await olga.rest("GET", f"/api/livechat/conversations/{conv['id']}")
    assert [m["body"] for m in detail["messages"]] == ["Bel mij"]
    try:
        await vis.request("livechat.leave_message", {**form, "client_msg_id": "x" * 65})
        raise AssertionError("accepted an id of 65 characters")
    except ClientError as exc:
        assert exc.code == "too_long"


async def test_operators_online_count_follows_availability(server):
    org = await make_org(server)
    vis, answer = await org.visitor()
    assert answer["operators_online"] == 0
    olga = await org.operator("Olga Bakker")
    event = await vis.next_event("livechat.operators")
    while event["data"]["operators_online"] != 1:
        event = await vis.next_event("livechat.operators")
    ops = await olga.rest("GET", "/api/livechat/operators")
    assert [(o["name"], o["online"]) for o in ops["operators"]] == [("Olga Bakker", True)]
    await olga.rest("PUT", "/api/livechat/availability", {"online": False})
    event = await vis.next_event("livechat.operators")
    while event["data"]["operators_online"] != 0:
        event = await vis.next_event("livechat.operators")
    ops = await olga.rest("GET", "/api/livechat/operators")
    assert [(o["name"], o["online"]) for o in ops["operators"]] == [("Olga Bakker", False)]


async def test_typing_both_ways(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {})
    await vis.request("livechat.typing", {"typing": True})
    seen = await olga.next_event("livechat.typing")
    alias = (await olga.rest("GET", f"/api/livechat/conversations/{conv_id}"))["visitor"]["alias"]
    assert seen["data"] == {"conversation_id": conv_id, "typing": True, "name": alias["en"]}
    await olga.request("livechat.typing", {"conversation_id": conv_id, "typing": True})
    seen = await vis.next_event("livechat.typing")
    assert seen["data"] == {"conversation_id": conv_id, "typing": True, "name": "Olga Bakker"}
    assert "seq" not in seen  # ephemeral


async def _logged_out(op: ChatClient) -> None:
    """The operator logs out: the token is revoked and the socket is closed."""
    await op.rest("POST", "/api/auth/logout")
    await op.close()


async def test_a_reopened_chat_does_not_go_to_its_operator_who_logged_out(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    bram = await org.operator("Bram de Vries")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {})
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve")
    await _logged_out(olga)

    ack = await write(vis, "Toch nog een vraag")
    # Back in the queue, with nobody's name for the visitor to see.
    assert ack["conversation"]["state"] == "incoming"
    assert ack["conversation"]["operator"] is None
    incoming = await bram.next_event("livechat.incoming")
    assert incoming["data"]["conversation"]["id"] == conv_id
    heard = await bram.next_event("livechat.message")
    while heard["data"]["message"]["body"] != "Toch nog een vraag":
        heard = await bram.next_event("livechat.message")
    listed = await bram.rest("GET", "/api/livechat/conversations", state="incoming")
    assert [c["id"] for c in listed["conversations"]] == [conv_id]


async def test_a_reopened_chat_of_an_offline_operator_is_auto_assigned_to_one_online(server):
    org = await make_org(server)
    await org.key.rest("PUT", "/api/settings/tenant/livechat.auto_assign", {"value": True})
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    assert (await olga.rest("GET", f"/api/livechat/conversations/{conv_id}"))["operator"]["name"] == "Olga Bakker"
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve")
    bram = await org.operator("Bram de Vries")
    # Olga only switches to offline, console still open: not online either.
    await olga.rest("PUT", "/api/livechat/availability", {"online": False})

    ack = await write(vis, "Nog een vraag")
    assert ack["conversation"]["state"] == "active"
    assert ack["conversation"]["operator"]["name"] == "Bram de Vries"
    heard = await bram.next_event("livechat.message")
    assert heard["data"]["message"]["body"] == "Nog een vraag"


async def test_operators_see_the_visitors_page_change_as_it_happens(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {})
    await visit(server, org.site["id"], token=vis.token, url="https://www.jobgenius.example/over-ons")
    moved = await olga.next_event("livechat.page")
    assert moved["data"] == {"conversation_id": conv_id, "url": "https://www.jobgenius.example/over-ons"}
    assert "seq" not in moved  # ephemeral: the lists are reloaded on reconnect anyway
    # The same page again is no news.
    await visit(server, org.site["id"], token=vis.token, url="https://www.jobgenius.example/over-ons")
    await write(vis, "Nog iets")
    assert (await olga.next_event())["type"] == "livechat.message"


async def test_every_nameless_visitor_has_an_own_friendly_name_in_both_languages(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    aliases = []
    for i in range(3):
        vis, _ = await org.visitor()
        conv_id = (await write(vis, f"Vraag {i}"))["conversation"]["id"]
        conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
        aliases.append(conv["visitor"]["alias"])
        assert conv["visitor"]["name"] == ""
        # The visitor's lines carry it too, for clients that show sender_name.
        assert conv["messages"][-1]["sender_name"] == conv["visitor"]["alias"]["en"]
    assert len({a["en"] for a in aliases}) == 3 and len({a["nl"] for a in aliases}) == 3
    for a in aliases:
        colour, animal = a["en"].split(" ")[:2]
        assert colour != "Visitor" and animal and a["nl"] != a["en"]
