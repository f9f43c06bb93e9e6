"""Captured visitor details (LC-8), details set by operators and search (LC-7), the per-IP
limit on new visitor sessions, automatic assignment and notification levels."""

from __future__ import annotations

import dataclasses

import pytest

from chatserver.client import ClientError
from chatserver.clock import FakeClock
from tests.helpers import running_server
from tests.livechat.service.helpers import CHROME_UA, ORIGIN, make_org, visit, write


async def test_captured_details_appear_in_the_conversation(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor(
        headers={"User-Agent": CHROME_UA, "X-Forwarded-For": "203.0.113.9"},
        url=f"{ORIGIN}/vacatures/monteur", referrer="https://www.google.com/", language="nl-NL,nl,en",
    )
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    v = conv["visitor"]
    assert conv["site"]["name"] == "Job Genius"
    assert v["browser"] == "Chrome 47.0"
    # The peer is not a trusted proxy: its X-Forwarded-For is not believed.
    assert v["ip"] == "127.0.0.1"
    assert v["language"] == "nl-NL,nl,en"
    assert v["url"] == f"{ORIGIN}/vacatures/monteur"
    assert v["referrer"] == "https://www.google.com/"
    assert v["user_agent"] == CHROME_UA
    # Language from Accept-Language when the body has none; greeting by language.
    r = await visit(server, org.site["id"], language="", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert r.json()["greeting"] == "Welcome!"


async def test_forwarded_ip_is_believed_only_from_a_trusted_proxy(config):
    trusting = dataclasses.replace(config, trusted_proxies=("127.0.0.0/8",))
    async with running_server(trusting) as server:
        org = await make_org(server)
        olga = await org.operator("Olga Bakker")
        vis, _ = await org.visitor(headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"})
        conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
        conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
        # The right-most address the trusted proxy saw, not what the client claimed.
        assert conv["visitor"]["ip"] == "203.0.113.9"


async def test_operator_sets_details_and_searches(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    piet_vis, _ = await org.visitor()
    other_vis, _ = await org.visitor()
    conv_id = (await write(piet_vis, "Ik zoek werk als monteur"))["conversation"]["id"]
    other_id = (await write(other_vis, "Wat zijn de openingstijden?"))["conversation"]["id"]
    conv = await olga.rest(
        "PUT", f"/api/livechat/conversations/{conv_id}/visitor",
        {"name": "Onderhoudsmonteur", "email": "pietje.puk@hotmail.com", "phone": "0698765432"},
    )
    assert conv["visitor"]["name"] == "Onderhoudsmonteur"
    updated = await piet_vis.next_event("livechat.updated")
    assert updated["data"]["conversation"]["visitor"]["name"] == "Onderhoudsmonteur"
    with pytest.raises(ClientError) as err:
        await olga.rest("PUT", f"/api/livechat/conversations/{conv_id}/visitor", {"email": "geen-adres"})
    assert err.value.status == 400

    async def search(q: str) -> list[int]:
        return [c["id"] for c in (await olga.rest("GET", "/api/livechat/conversations", q=q))["conversations"]]

    assert await search("onderhoud") == [conv_id]
    assert await search("PUCK".replace("C", "")) == [conv_id]  # e-mail, any case
    assert await search("98765") == [conv_id]
    assert await search("openingstijden") == [other_id]  # message text
    assert await search("niets zo") == []
    # The visitor's later messages carry the name.
    await write(piet_vis, "Nog een vraag")
    full = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert full["messages"][-1]["sender_name"] == "Onderhoudsmonteur"


async def test_new_visits_are_rate_limited_per_ip(config):
    clock = FakeClock()
    limited = dataclasses.replace(config, visit_burst=3, visit_rate_per_minute=2)
    async with running_server(limited, clock=clock) as server:
        org = await make_org(server)
        tokens = []
        for _ in range(3):
            r = await visit(server, org.site["id"])
            assert r.status_code == 200
            tokens.append(r.json()["token"])
        refused = await visit(server, org.site["id"])
        assert refused.status_code == 429 and "token" not in refused.json()
        # Busy, not refused: the page may read it and is told when to try again.
        assert refused.headers["access-control-allow-origin"] == ORIGIN
        assert refused.headers["retry-after"] == "30"
        assert "Retry-After" in refused.headers["access-control-expose-headers"]
        assert refused.json()["error"]["details"]["retry_after"] == 30
        # A visitor with a session is not counted: navigation keeps working.
        assert (await visit(server, org.site["id"], token=tokens[0])).status_code == 200
        clock.advance(30)  # 2 a minute: one more after half a minute
        assert (await visit(server, org.site["id"])).status_code == 200
        assert (await visit(server, org.site["id"])).status_code == 429


async def test_a_busy_office_gets_100_new_visitors_a_minute_from_one_address(server):
    org = await make_org(server)
    answers = [await visit(server, org.site["id"]) for _ in range(100)]
    assert [r.status_code for r in answers] == [200] * 100
    assert len({r.json()["visitor_id"] for r in answers}) == 100


async def test_automatic_assignment_round_robin_with_a_maximum(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    piet = await org.operator("Piet Jansen")
    await org.key.rest("PUT", "/api/settings/tenant/livechat.auto_assign", {"value": True})
    await org.key.rest("PUT", "/api/settings/tenant/livechat.max_chats", {"value": 1})
    owners = []
    for i in range(3):
        vis, _ = await org.visitor()
        ack = await write(vis, f"vraag {i}")
        op = ack["conversation"]["operator"]
        owners.append(op["name"] if op else None)
        if op:
            assert (await vis.next_event("livechat.updated"))["data"]["conversation"]["state"] == "active"
    # Round robin, and the third waits: both operators are at their maximum.
    assert sorted(owners[:2]) == ["Olga Bakker", "Piet Jansen"] and owners[2] is None
    incoming = await olga.rest("GET", "/api/livechat/conversations", state="incoming")
    assert len(incoming["conversations"]) == 1
    counts = {o["name"]: o["active_chats"] for o in (await piet.rest("GET", "/api/livechat/operators"))["operators"]}
    assert counts == {"Olga Bakker": 1, "Piet Jansen": 1}


async def test_livechat_message_notification_level_per_operator(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    piet = await org.operator("Piet Jansen")
    await olga.rest("PUT", f"/api/users/{olga.user['id']}/settings/notify.livechat_message", {"value": 2})
    await piet.set_status("dnd")
    vis, _ = await org.visitor()
    await write(vis, "Hallo")
    assert (await olga.next_event("livechat.message"))["data"]["notify"] == 2
    assert (await piet.next_event("livechat.message"))["data"]["notify"] == 0


async def test_a_left_message_does_not_overwrite_what_the_operator_entered(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest(
        "PUT", f"/api/livechat/conversations/{conv_id}/visitor",
        {"name": "Pieter Puk (monteur)", "email": "p.puk@werk.nl"},
    )
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve")
    await olga.rest("PUT", "/api/livechat/availability", {"online": False})

    await vis.request(
        "livechat.leave_message",
        {"name": "Pietje", "email": "pietje@hotmail.com", "phone": "0612345678", "body": "Bel me terug"},
    )
    conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    v = conv["visitor"]
    # The operator's entries win; the visitor's are kept beside them.
    assert (v["name"], v["email"]) == ("Pieter Puk (monteur)", "p.puk@werk.nl")
    assert v["suggested"] == {"name": "Pietje", "email": "pietje@hotmail.com"}
    # A field the operator left empty takes the visitor's value.
    assert v["phone"] == "0612345678"
    # The visitor's own view never shows the operators' suggestions list.
    own = await vis.rest("GET", "/api/livechat/visitor/conversation")
    assert "suggested" not in own["conversation"]["visitor"]

    # The operator takes the visitor's e-mail: the suggestion is gone.
    conv = await olga.rest(
        "PUT", f"/api/livechat/conversations/{conv_id}/visitor", {"email": "pietje@hotmail.com"},
    )
    assert conv["visitor"]["suggested"] == {"name": "Pietje"}
