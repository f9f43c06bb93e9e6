"""The answers /openapi.json describes field by field are what the server sends: each
route used as a client would, its answer checked against the document's schema (JSON
Schema, by jsonschema_rs). schemathesis (tests/test_openapi_fuzz.py) checks every route
too, but mostly with input it refuses; here every answer is a success with data in it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jsonschema_rs
import pytest

from chatserver.client import ChatClient
from chatserver.config import Config
from tests.files.helpers import png, upload
from tests.helpers import Server, befriend, make_tenant, make_user, running_server
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
        return self.check(method, path, r)

    def check(self, method: str, path: str, r: httpx.Response) -> dict[str, Any]:
        """The answer to a request made otherwise (a file's bytes as the body)."""
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
    # The record's timeline with video's entries, each kind's details an object of its own.
    page = await answers.call(anna, "GET", f"/api/records/{record['id']}/timeline")
    assert page["person"]["email"] == "jan@example.nl"
    by_kind = {e["kind"]: e for e in page["entries"]}
    assert set(by_kind) == {"video", "appointment"}
    assert by_kind["appointment"]["details"]["cancelled"] is True and by_kind["video"]["details"]["title"] == "Gesprek"
    assert len(answers.checked) == 13, answers.checked


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


async def test_sms_message_and_group_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_sms_org(server, credits=100)
    await org.setting("sms.recipient_limit", 1)
    jan = await org.person("Jan de Vries", "0612345671")
    later = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0).isoformat()
    two = [{"type": "number", "number": "0612345672", "name": "Piet"}, {"type": "person", "id": jan["id"]}]
    made = await answers.call(org.anna, "POST", "/api/sms/messages",
                              {"subject": "Rooster", "body": "Zie de app", "send_at": later, "recipients": two})
    msg = made["message"]
    assert made["needs_approval"] is True and msg["status"] == "awaiting_approval" and made["notice"]
    changed = await answers.call(org.anna, "PATCH", f"/api/sms/messages/{msg['id']}", {"subject": "Rooster week 2"})
    assert changed["message"]["name"] == "Rooster week 2"
    detail = await answers.call(org.anna, "GET", f"/api/sms/messages/{msg['id']}")
    assert detail["editable"] is True and detail["approver_name"] is None
    listed = await answers.call(org.anna, "GET", "/api/sms/messages")
    assert [m["id"] for m in listed["items"]] == [msg["id"]] and listed["total"] == 1
    assert (await answers.call(org.sam, "GET", "/api/sms/queue"))["total"] == 1
    assert (await answers.call(org.anna, "GET", f"/api/sms/messages/{msg['id']}/recipients"))["items"] == []
    why = await answers.call(org.anna, "GET", f"/api/sms/messages/{msg['id']}/why?person_id={jan['id']}")
    assert why["released"] is False and why["received"] is True and why["recipient"] is None
    person = await org.key.rest("POST", "/api/people", {"kind": "candidate", "name": "Kim"})
    record = await org.key.rest("POST", "/api/records", {"kind": "candidate", "title": "Kim", "person_id": person["id"]})
    related = await answers.call(org.anna, "POST", f"/api/sms/messages/{msg['id']}/records",
                                 {"record_ids": [record["id"]]})
    assert [r["title"] for r in related["records"]] == ["Kim"]
    assert await answers.call(org.anna, "DELETE", f"/api/sms/messages/{msg['id']}/records/{record['id']}") == {
        "records": []}
    approved = await answers.call(org.sam, "POST", f"/api/sms/messages/{msg['id']}/approve")
    assert approved["message"]["approved"] is True and approved["message"]["status"] == "scheduled"
    cancelled = await answers.call(org.anna, "POST", f"/api/sms/messages/{msg['id']}/cancel")
    assert cancelled["message"]["status"] == "cancelled"
    assert await answers.call(org.anna, "DELETE", f"/api/sms/messages/{msg['id']}") == {"deleted": msg["id"]}

    group = await answers.call(org.anna, "POST", "/api/sms/groups", {"name": "Ploeg"})
    grown = await answers.call(org.anna, "POST", f"/api/sms/groups/{group['id']}/members",
                               {"members": [{"person_id": jan["id"]}, {"name": "Piet", "number": "0612345672"}]})
    assert sorted(m["kind"] for m in grown["members"]) == ["custom", "person"]
    assert (await answers.call(org.anna, "GET", f"/api/sms/groups/{group['id']}"))["member_count"] == 2
    assert [g["name"] for g in (await answers.call(org.anna, "GET", "/api/sms/groups"))["items"]] == ["Ploeg"]
    assert (await answers.call(org.anna, "PATCH", f"/api/sms/groups/{group['id']}", {"name": "Ploeg B"}))["name"]
    member = grown["members"][0]["id"]
    assert (await answers.call(org.anna, "DELETE", f"/api/sms/groups/{group['id']}/members/{member}"))[
        "member_count"] == 1
    assert await answers.call(org.anna, "DELETE", f"/api/sms/groups/{group['id']}") == {"deleted": group["id"]}

    news = await answers.call(org.key, "POST", "/api/sms/subscriptions", {"name": "Nieuws"})
    joined = await answers.call(org.key, "POST", f"/api/sms/subscriptions/{news['id']}/join",
                                {"person_ids": [jan["id"]]})
    assert joined["member_count"] == 1 and joined["members"][0]["opted_out_at"] is None
    left = await answers.call(org.key, "POST", f"/api/sms/subscriptions/{news['id']}/opt-out",
                              {"person_ids": [jan["id"]]})
    assert left["member_count"] == 0 and left["members"][0]["opted_out_at"]
    assert (await answers.call(org.key, "GET", f"/api/sms/subscriptions/{news['id']}"))["name"] == "Nieuws"
    assert (await answers.call(org.key, "GET", "/api/sms/subscriptions"))["items"][0]["member_count"] == 0
    assert (await answers.call(org.key, "PATCH", f"/api/sms/subscriptions/{news['id']}", {"name": "Nieuwsbrief"}))[
        "name"] == "Nieuwsbrief"
    assert await answers.call(org.key, "DELETE", f"/api/sms/subscriptions/{news['id']}") == {"deleted": news["id"]}

    drivers = await answers.call(org.key, "POST", "/api/sms/dynamic-groups", {
        "name": "Rijders", "rules": [{"field": "function", "op": "equals", "value": "Chauffeur"}]})
    await org.people(2, prefix="Driver", function="Chauffeur")
    assert (await answers.call(org.key, "GET", f"/api/sms/dynamic-groups/{drivers['id']}/members"))["total"] == 2
    assert (await answers.call(org.key, "GET", f"/api/sms/dynamic-groups/{drivers['id']}"))["rules"]
    assert len((await answers.call(org.key, "GET", "/api/sms/dynamic-groups"))["items"]) == 1
    assert (await answers.call(org.key, "PATCH", f"/api/sms/dynamic-groups/{drivers['id']}", {"name": "Chauffeurs"}))[
        "name"] == "Chauffeurs"
    assert await answers.call(org.key, "DELETE", f"/api/sms/dynamic-groups/{drivers['id']}") == {
        "deleted": drivers["id"]}
    assert len(answers.checked) == 32, answers.checked


@pytest.fixture
async def file_server(config: Config, tmp_path: Any) -> AsyncIterator[Server]:
    async with running_server(dataclasses.replace(config, media_dir=str(tmp_path / "media"))) as srv:
        yield srv


async def test_file_answers_are_as_documented(file_server: Server) -> None:
    async with httpx.AsyncClient(base_url=file_server.url) as http:
        answers = Answers(file_server, (await http.get("/openapi.json")).json())
    org = await make_livechat_org(file_server)
    anna, bram = await make_user(file_server, org.tenant, "Anna Jansen"), await make_user(file_server, org.tenant, "Bram")
    await befriend(anna, bram)
    sent = answers.check("POST", "/api/chat/files", await upload(
        file_server, anna, "/api/chat/files", png(120, 90), "bord.png", to=bram.user["id"]))
    assert sent["message"]["kind"] == "file" and sent["file"]["width"] == 120 and sent["duplicate"] is False
    seen = await answers.call(bram, "GET", f"/api/files/{sent['file']['id']}")
    assert seen["name"] == "bord.png" and seen["thumb_url"] and seen["expires"] > 0

    olga = await org.operator("Olga Operator")
    visitor, _ = await org.visitor()
    conv_id = (await write(visitor, "Hier is mijn cv"))["conversation"]["id"]
    theirs = answers.check("POST", "/api/livechat/visitor/files", await upload(
        file_server, visitor, "/api/livechat/visitor/files", b"%PDF-1.4\n%%EOF\n", "cv.pdf", origin=ORIGIN))
    assert theirs["message"]["sender"] == "visitor" and theirs["file"]["image"] is False
    ours = answers.check("POST", f"/api/livechat/conversations/{conv_id}/files", await upload(
        file_server, olga, f"/api/livechat/conversations/{conv_id}/files", png(10, 10), "route.png"))
    assert ours["message"]["sender"] == "operator" and ours["file"]["name"] == "route.png"
    assert len(answers.checked) == 4, answers.checked


async def test_directory_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna Jansen")
    company = await answers.call(anna, "POST", "/api/organisations", {"name": "Bouwbedrijf"})
    jan = await answers.call(anna, "POST", "/api/people", {"name": "Jan de Vries", "organisation_id": company["id"]})
    assert jan["kind"] == "candidate" and jan["organisation_id"] == company["id"]
    record = await answers.call(anna, "POST", "/api/records", {"kind": "candidate", "title": "Jan", "person_id": jan["id"]})
    group = await answers.call(anna, "POST", "/api/groups", {"name": "Lassers"})
    assert (await answers.call(anna, "POST", f"/api/groups/{group['id']}/members", {"person_ids": [jan["id"]]})) == {
        "group_id": group["id"], "person_ids": [jan["id"]]}
    assert (await answers.call(anna, "GET", "/api/people"))["items"][0]["name"] == "Jan de Vries"
    assert (await answers.call(anna, "GET", "/api/records"))["total"] == 1
    assert [o["name"] for o in (await answers.call(anna, "GET", "/api/organisations"))["items"]] == ["Bouwbedrijf"]
    assert (await answers.call(anna, "GET", f"/api/groups/{group['id']}"))["person_ids"] == [jan["id"]]
    assert (await answers.call(anna, "GET", f"/api/people/{jan['id']}"))["email"] == ""
    assert (await answers.call(anna, "GET", f"/api/records/{record['id']}"))["title"] == "Jan"
    bram = await make_user(server, org, "Bram")
    await befriend(anna, bram)
    about = await answers.call(anna, "POST", f"/api/records/{record['id']}/chat",
                               {"to": bram.user["id"], "body": "Over Jan", "client_msg_id": "rec-1"})
    assert about["message"]["record_id"] == record["id"] and about["duplicate"] is False
    await answers.call(anna, "POST", "/api/records", {"kind": "vacancy", "title": "Lasser gezocht"})
    found = (await answers.call(anna, "GET", "/api/directory"))["results"]
    assert [p["record_id"] for p in found["candidate"]] == [record["id"]] and found["colleague"]
    assert [r["name"] for r in found["record"]] == ["Lasser gezocht"]
    # The record's page: its person with their organisation's name, the chat about it.
    page = await answers.call(anna, "GET", f"/api/records/{record['id']}/timeline")
    assert page["record"]["title"] == "Jan" and page["person"]["organisation"] == "Bouwbedrijf"
    (chatted,) = page["entries"]
    assert chatted["kind"] == "chat" and chatted["actor_name"] == "Anna Jansen" and chatted["ref_id"]
    assert chatted["details"]["body"] == "Over Jan" and chatted["details"]["open_with"] == bram.user["id"]
    # A record with no person and nothing on it yet.
    vacancy = next(r for r in (await anna.rest("GET", "/api/records"))["items"] if r["kind"] == "vacancy")
    empty = await answers.call(anna, "GET", f"/api/records/{vacancy['id']}/timeline")
    assert empty["person"] is None and empty["entries"] == []
    assert len(answers.checked) == 11, answers.checked


async def test_livechat_list_label_and_note_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_livechat_org(server)
    op = await org.operator("Olga Operator")
    visitor, _ = await org.visitor()
    conv_id = (await write(visitor, "Goedemiddag"))["conversation"]["id"]

    canned = await answers.call(op, "POST", "/api/livechat/canned",
                                {"scope": "personal", "shortcut": "hoi", "text": "Hallo, waarmee kan ik helpen?"})
    assert canned["scope"] == "personal"
    assert (await answers.call(op, "PUT", f"/api/livechat/canned/{canned['id']}", {"text": "Hallo!"}))["text"] == "Hallo!"
    assert [c["shortcut"] for c in (await answers.call(op, "GET", "/api/livechat/canned"))["canned"]] == ["hoi"]
    assert await answers.call(op, "DELETE", f"/api/livechat/canned/{canned['id']}") == {
        "id": canned["id"], "deleted": True}

    label = await answers.call(org.key, "POST", "/api/livechat/labels", {"name": "Sollicitatie", "colour": "#0a7d3b"})
    assert (await answers.call(org.key, "PUT", f"/api/livechat/labels/{label['id']}", {"name": "Vacature"}))[
        "name"] == "Vacature"
    assert [x["colour"] for x in (await answers.call(op, "GET", "/api/livechat/labels"))["labels"]] == ["#0a7d3b"]
    labelled = await answers.call(op, "POST", f"/api/livechat/conversations/{conv_id}/labels", {"label_id": label["id"]})
    assert labelled["label_ids"] == [label["id"]]
    assert (await answers.call(op, "DELETE", f"/api/livechat/conversations/{conv_id}/labels/{label['id']}"))[
        "label_ids"] == []
    assert (await answers.call(org.key, "DELETE", f"/api/livechat/labels/{label['id']}"))["deleted"] is True
    noted = await answers.call(op, "POST", f"/api/livechat/conversations/{conv_id}/notes",
                               {"body": "Belt morgen terug", "client_msg_id": "note-1"})
    assert noted["duplicate"] is False and noted["note"]["author_name"] == "Olga Operator"
    assert len(answers.checked) == 11, answers.checked


async def test_livechat_earlier_privacy_and_site_deletion_answers_are_as_documented(
        server: Server, answers: Answers) -> None:
    org = await make_livechat_org(server)
    op = await org.operator("Olga Operator")
    convs = []
    for text in ("Eerste vraag", "Tweede vraag"):
        visitor, _ = await org.visitor()
        conv_id = (await write(visitor, text))["conversation"]["id"]
        await op.rest("PUT", f"/api/livechat/conversations/{conv_id}/visitor", {"email": "jan@example.nl"})
        convs.append(conv_id)
    earlier = await answers.call(op, "GET", f"/api/livechat/conversations/{convs[1]}/earlier")
    assert earlier["email"] == "jan@example.nl" and [c["first_message"] for c in earlier["conversations"]] == [
        "Eerste vraag"]
    exported = await answers.call(org.key, "POST", "/api/livechat/privacy/export", {"email": "jan@example.nl"})
    assert sorted(c["conversation"]["id"] for c in exported["conversations"]) == convs
    assert (await answers.call(org.key, "POST", "/api/livechat/privacy/erase", {"conversation_id": convs[0]}))[
        "erased"] == 1
    other = await org.key.rest("POST", "/api/livechat/sites", {"name": "Tweede", "origins": [ORIGIN]})
    assert await answers.call(org.key, "DELETE", f"/api/livechat/sites/{other['id']}") == {
        "deleted": other["id"], "conversations": 0}
    assert len(answers.checked) == 4, answers.checked


async def test_sms_composer_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_sms_org(server, credits=10)
    jan = await org.person("Jan de Vries", "0612345671")
    record = await org.key.rest("POST", "/api/records", {"kind": "candidate", "title": "Jan", "person_id": jan["id"]})
    config = await answers.call(org.anna, "GET", "/api/sms/config")
    assert config["balance"] == 10 and config["default_sender"] == "JobGenius"
    preview = await answers.call(org.anna, "POST", "/api/sms/preview", {
        "body": "Hoi Jan", "recipients": [{"type": "person", "id": jan["id"]}]})
    assert preview["recipients"] == 1 and preview["parts"] == 1
    (found,) = (await answers.call(org.anna, "GET", "/api/sms/search?q=jan&types=person"))["items"]
    assert found["number"] == "+31612345671"
    start = await answers.call(org.anna, "GET", f"/api/sms/records/{record['id']}/compose")
    assert [r["id"] for r in start["recipients"]] == [jan["id"]] and start["record_ids"] == [record["id"]]
    assert len(answers.checked) == 4, answers.checked
