"""The answers /openapi.json describes field by field are what the server sends: each
route used as a client would, its answer checked against the document's schema (JSON
Schema, by jsonschema_rs). schemathesis (tests/test_openapi_fuzz.py) checks every route
too, but mostly with input it refuses; here every answer is a success with data in it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jsonschema_rs
import pytest

from chatserver.client import ChatClient
from tests.helpers import Server, befriend, make_tenant, make_user
from tests.livechat.service.helpers import ORIGIN, write
from tests.livechat.service.helpers import make_org as make_livechat_org
from tests.sms.service.helpers import make_org as make_sms_org


class Answers:
    """Calls routes as a client and checks each answer against the document."""

    def __init__(self, server: Server, doc: dict[str, Any]) -> None:
        self.server = server
        self.doc = doc
        self.checked: set[str] = set()

    def schema(self, method: str, path: str, status: int) -> dict[str, Any]:
        path = path.split("?", 1)[0]
        for template, ops in self.doc["paths"].items():
            if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path) and method.lower() in ops:
                self.checked.add(f"{method} {template}")
                answer = ops[method.lower()]["responses"][str(status)]
                return dict(answer["content"]["application/json"]["schema"])
        raise AssertionError(f"{method} {path} is not in the document")

    async def call(self, who: ChatClient | None, method: str, path: str, body: Any = None,
                   headers: dict[str, str] | None = None) -> dict[str, Any]:
        headers = {**({"Authorization": f"Bearer {who.token}"} if who else {}), **(headers or {})}
        async with httpx.AsyncClient(base_url=self.server.url, headers=headers) as http:
            r = await http.request(method, path, json=body)
        assert r.status_code < 300, (method, path, r.status_code, r.text)
        data = r.json()
        schema = self.schema(method, path, r.status_code)
        assert "properties" in schema, f"{method} {path}: the document does not describe its answer"
        # Every field sent is declared (an answer of {} declares none).
        assert set(data) <= set(schema["properties"]), (method, path, set(data) - set(schema["properties"]))
        errors = [str(e) for e in jsonschema_rs.validator_for(schema).iter_errors(data)]
        assert errors == [], (method, path, errors, data)
        return dict(data)


@pytest.fixture
async def answers(server: Server) -> Answers:
    async with httpx.AsyncClient(base_url=server.url) as http:
        return Answers(server, (await http.get("/openapi.json")).json())


def test_a_wrong_answer_is_found() -> None:
    # The check itself can fail: an answer that breaks a declared field does.
    schema = {"type": "object", "properties": {"ringing": {"type": "boolean"}}, "required": ["ringing"]}
    assert list(jsonschema_rs.validator_for(schema).iter_errors({"ringing": "yes"}))
    assert list(jsonschema_rs.validator_for(schema).iter_errors({}))


async def test_video_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna Jansen")
    bram = await make_user(server, org, "Bram")
    await befriend(anna, bram)

    call = await answers.call(anna, "POST", "/api/video/calls", {"to": bram.user["id"]})
    assert call["ringing"] is True and call["room"]["kind"] == "chat"
    declined = await answers.call(bram, "POST", f"/api/video/rooms/{call['room']['token']}/decline")
    assert declined == {"ok": True}

    person = await anna.rest("POST", "/api/people", {"kind": "candidate", "name": "Jan de Vries",
                                                      "email": "jan@example.nl"})
    record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Jan de Vries",
                                                      "person_id": person["id"]})
    room = (await answers.call(anna, "POST", "/api/video/rooms", {"record_id": record["id"], "title": "Gesprek"}))
    token = room["room"]["token"]
    assert (await answers.call(None, "GET", f"/api/video/rooms/{token}"))["room"]["owner_name"] == "Anna Jansen"
    assert (await answers.call(anna, "PUT", f"/api/video/rooms/{token}/password",
                               {"password": "geheim-123"}))["room"]["has_password"] is True
    guest = await answers.call(None, "POST", f"/api/video/rooms/{token}/guests",
                               {"name": "Jan", "password": "geheim-123"})
    assert guest["user"]["name"] == "Jan"
    sent = await answers.call(anna, "POST", f"/api/video/rooms/{token}/invitations",
                              {"email": "jan@example.nl", "name": "Jan"})
    assert sent == {"sent": "outbox", "to": "jan@example.nl"}
    assert (await answers.call(anna, "GET", f"/api/records/{record['id']}/recordings"))["recordings"] == []

    start = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    planned = await answers.call(anna, "POST", "/api/video/appointments", {
        "record_id": record["id"], "starts_at": start.isoformat(), "minutes": 45, "colleagues": [bram.user["id"]]})
    appointment_id = planned["appointment"]["id"]
    (seen,) = (await answers.call(bram, "GET", "/api/video/appointments"))["appointments"]
    assert seen["colleague_names"] == ["Bram"] and seen["organiser_name"] == "Anna Jansen"
    moved = await answers.call(anna, "PUT", f"/api/video/appointments/{appointment_id}",
                               {"starts_at": (start + timedelta(hours=1)).isoformat(), "minutes": 30})
    assert moved["appointment"]["minutes"] == 30
    assert (await answers.call(anna, "DELETE", f"/api/video/appointments/{appointment_id}"))["appointment"]["cancelled"]
    assert len(answers.checked) == 12, answers.checked


async def test_chat_settings_and_webhook_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_tenant(server)
    kees = await make_user(server, org, "Kees Keyuser", role="key_user")
    anna = await make_user(server, org, "Anna Jansen")
    bram = await make_user(server, org, "Bram Bakker", function="Planner")
    cor = await make_user(server, org, "Cor Corver")
    await befriend(anna, bram)
    await anna.rest("POST", "/api/contact-requests", {"user_id": cor.user["id"]})
    sent = await anna.rest("POST", "/api/messages", {"to": bram.user["id"], "body": "Hoi Bram", "client_msg_id": "oa-1"})

    found = (await answers.call(anna, "GET", "/api/people/search?q=bram"))["results"]
    # Other organisations' Brams too (the shared database): Anna's own is her contact.
    assert [p["is_contact"] for p in found if p["id"] == bram.user["id"]] == [True]
    assert [c["name"] for c in (await answers.call(anna, "GET", "/api/contacts"))["contacts"]] == ["Bram Bakker"]
    (recent,) = (await answers.call(anna, "GET", "/api/contacts/recent"))["recent"]
    assert recent["name"] == "Bram Bakker" and recent["last_message_at"]
    pending = await answers.call(anna, "GET", "/api/contact-requests")
    assert [r["to"]["name"] for r in pending["outgoing"]] == ["Cor Corver"] and pending["incoming"] == []
    assert (await answers.call(cor, "GET", "/api/contact-requests"))["incoming"][0]["from"]["name"] == "Anna Jansen"
    (conv,) = (await answers.call(bram, "GET", "/api/conversations"))["conversations"]
    assert conv["with"]["name"] == "Anna Jansen" and conv["last_message"]["body"] == "Hoi Bram"
    read = await answers.call(bram, "POST", f"/api/conversations/{conv['id']}/read",
                              {"message_id": sent["message"]["id"]})
    assert read["unread"] == 0 and read["message_id"] == sent["message"]["id"]
    history = await answers.call(bram, "GET", f"/api/conversations/{conv['id']}/messages")
    assert history["read_markers"][str(bram.user["id"])] == sent["message"]["id"]

    catalogue = (await answers.call(anna, "GET", "/api/settings"))["settings"]
    assert {"bool", "int", "str"} <= {s["type"] for s in catalogue}
    assert "values" in await answers.call(kees, "GET", "/api/settings/tenant")
    mine = await answers.call(anna, "GET", f"/api/users/{anna.user['id']}/settings")
    assert mine["user_id"] == anna.user["id"] and mine["overridden"] == []

    hook = await answers.call(kees, "POST", "/api/webhooks", {"url": "https://hooks.example.com/in"})
    assert hook["secret"] and hook["active"] is True
    assert "secret" not in await answers.call(kees, "PUT", f"/api/webhooks/{hook['id']}", {"active": False})
    (listed,) = (await answers.call(kees, "GET", "/api/webhooks"))["webhooks"]
    assert listed["active"] is False and "secret" not in listed
    assert (await answers.call(kees, "GET", f"/api/webhooks/{hook['id']}/deliveries"))["deliveries"] == []
    assert await answers.call(kees, "DELETE", f"/api/webhooks/{hook['id']}") == {}
    assert len(answers.checked) == 15, answers.checked


async def test_sms_credit_and_filter_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_sms_org(server)
    topped = await answers.call(org.key, "POST", "/api/sms/credits", {"amount": 25, "note": "start"})
    assert topped["balance"] == 25 and topped["entry"]["reason"] == "top_up"
    ledger = await answers.call(org.key, "GET", "/api/sms/credits")
    assert ledger["balance"] == 25 and [e["delta"] for e in ledger["entries"]] == [25]

    made = await answers.call(org.sam, "POST", "/api/sms/filters", {"name": "Mijn berichten"})
    changed = await answers.call(org.sam, "PATCH", f"/api/sms/filters/{made['id']}", {"name": "Alles"})
    assert changed["name"] == "Alles"
    listed = await answers.call(org.sam, "GET", "/api/sms/filters")
    assert [f["name"] for f in listed["items"]] == ["Alles"] and listed["columns"]
    assert await answers.call(org.sam, "DELETE", f"/api/sms/filters/{made['id']}") == {"deleted": made["id"]}
    assert len(answers.checked) == 6, answers.checked


async def test_livechat_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_livechat_org(server)
    op = await org.operator("Olga Operator")
    anna = await org.operator("Anna Jansen")
    came = await answers.call(None, "POST", "/api/livechat/visit",
                              {"site_id": org.site["id"], "url": f"{ORIGIN}/vacatures", "language": "nl-NL"},
                              headers={"Origin": ORIGIN})
    assert came["conversation"] is None and came["operators_online"] == 2 and came["hours"]["open"] is True
    visitor = ChatClient(server.url, came["token"])
    server.clients.append(visitor)
    await visitor.connect()
    await write(visitor, "Hallo, is er iemand?")

    (conv,) = (await answers.call(op, "GET", "/api/livechat/conversations"))["conversations"]
    assert conv["last_message"]["body"] == "Hallo, is er iemand?" and conv["visitor"]["alias"]
    opened = await answers.call(op, "GET", f"/api/livechat/conversations/{conv['id']}")
    assert [m["sender"] for m in opened["messages"]] == ["visitor"] and opened["notes"] == []
    taken = await answers.call(op, "POST", f"/api/livechat/conversations/{conv['id']}/assign", {})
    assert taken["operator"]["name"] == "Olga Operator" and taken["state"] == "active"
    sent = await answers.call(op, "POST", f"/api/livechat/conversations/{conv['id']}/messages",
                              {"body": "Jazeker!", "client_msg_id": "lc-oa-1"})
    assert sent["duplicate"] is False and sent["message"]["sender"] == "operator"
    named = await answers.call(op, "PUT", f"/api/livechat/conversations/{conv['id']}/visitor",
                               {"name": "Jan", "email": "jan@example.nl"})
    assert named["visitor"]["name"] == "Jan"
    own = await answers.call(visitor, "GET", "/api/livechat/visitor/conversation")
    assert own["conversation"]["seen"] is True and "ip" not in own["conversation"]["visitor"]
    assert [m["body"] for m in own["messages"]] == ["Hallo, is er iemand?", "Jazeker!"]
    done = await answers.call(op, "POST", f"/api/livechat/conversations/{conv['id']}/resolve")
    assert done["state"] == "resolved" and done["resolved_at"]

    team = (await answers.call(anna, "GET", "/api/livechat/operators"))["operators"]
    assert sorted(o["name"] for o in team) == ["Anna Jansen", "Olga Operator"]
    assert await answers.call(anna, "PUT", "/api/livechat/availability", {"online": False}) == {"online": False}
    figures = await answers.call(op, "GET", "/api/livechat/overview")
    assert figures["resolved"] == 1 and figures["online_agents"] == ["Olga Operator"]
    (site,) = (await answers.call(org.key, "GET", "/api/livechat/sites"))["sites"]
    assert site["snippet"].startswith("<script")
    made = await answers.call(org.key, "POST", "/api/livechat/sites", {"name": "Tweede", "origins": [ORIGIN]})
    changed = await answers.call(org.key, "PUT", f"/api/livechat/sites/{made['id']}",
                                 {"name": "Tweede site", "origins": [ORIGIN]})
    assert changed["name"] == "Tweede site"
    assert len(answers.checked) == 14, answers.checked
