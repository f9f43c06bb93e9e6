"""The answers /openapi.json describes field by field are what the server sends: each
route used as a client would, its answer checked against the document's schema (JSON
Schema, by jsonschema_rs). schemathesis (tests/test_openapi_fuzz.py) checks every route
too, but mostly with input it refuses; here every answer is a success with data in it.
The chat's, video's, files' and the directory's routes here; live chat's in
test_answers_livechat.py, SMS's in test_answers_sms.py (the checker: answers.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jsonschema_rs
import pytest

from chatserver.config import Config
from tests.files.helpers import png, upload
from tests.helpers import Server, befriend, make_tenant, make_user, running_server
from tests.livechat.service.helpers import ORIGIN, write
from tests.livechat.service.helpers import make_org as make_livechat_org
from tests.openapi.answers import Answers


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
