"""The rules every input obeys (protocol.schema), over real REST and WebSocket calls:
integers out of a 64-bit column's range, JSON nested thousands deep, lone surrogates and
NUL characters, in any field of any request. Each is a 400 or an error frame naming the
field, nothing is stored, and the server and the connection go on working.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from chatserver.client import ChatClient, ClientError
from chatserver.db.models import Message
from tests.helpers import Server, running_server, two_contacts
from tests.sms.service.helpers import make_org, message_count, without_dispatcher

BIG = 2**63
DEEP = "[" * 5000 + "]" * 5000


async def _raw(server: Server, client: ChatClient | None, method: str, path: str,
               content: str | bytes | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if client is not None:
        headers["Authorization"] = f"Bearer {client.token}"
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        return await http.request(method, path, content=content, headers=headers)


def _refused(r: httpx.Response, field: str | None, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == 400, (r.status_code, r.text)
    err = r.json()["error"]
    if code is not None:
        assert err["code"] == code, err
    if field is not None:
        assert err["details"]["field"] == field, err
    return dict(err)


async def _messages(server: Server, sender: ChatClient) -> int:
    async with server.services.read() as s:
        q = select(func.count(Message.id)).where(Message.sender_id == sender.user["id"])
        return int((await s.execute(q)).scalar_one())


async def test_ids_beyond_64_bits_in_paths_and_bodies_are_400s_naming_the_field(server):
    _, anna, bram = await two_contacts(server)
    paths = [
        ("DELETE", f"/api/contacts/{BIG}", None, "user_id"),
        ("POST", f"/api/contact-requests/{BIG}/accept", None, "request_id"),
        ("GET", f"/api/conversations/{BIG}/messages", None, "conversation_id"),
        ("POST", f"/api/conversations/{BIG}/read", {"message_id": 1}, "conversation_id"),
        ("GET", f"/api/people/{BIG}", None, "obj_id"),
        ("POST", "/api/contact-requests", {"user_id": BIG}, "user_id"),
        ("POST", "/api/conversations", {"user_id": BIG}, "user_id"),
        ("POST", "/api/messages", {"to": BIG, "body": "x", "client_msg_id": "big-1"}, "to"),
        ("POST", "/api/messages", {"to": -BIG - 1, "body": "x", "client_msg_id": "big-2"}, "to"),
        ("POST", f"/api/conversations/{1}/read", {"message_id": BIG}, "message_id"),
        ("POST", "/api/records", {"kind": "candidate", "title": "T", "person_id": BIG}, "person_id"),
        ("GET", "/api/people?offset=" + "1" + "0" * 23, None, "offset"),
        ("GET", "/api/people?limit=" + "9" * 30, None, "limit"),
    ]
    for method, path, data, field in paths:
        r = await _raw(server, anna, method, path, None if data is None else json.dumps(data))
        err = _refused(r, field)
        assert err["code"] in ("out_of_range", "invalid_id"), (path, err)
    assert await _messages(server, anna) == 0
    # The visit is unauthenticated: the same rule, before anything else.
    r = await _raw(server, None, "POST", "/api/livechat/visit", json.dumps({"site_id": BIG}))
    _refused(r, "site_id", "out_of_range")
    assert (await anna.rest("GET", "/api/contacts"))["contacts"][0]["id"] == bram.user["id"]


async def test_ids_beyond_64_bits_over_the_socket_are_error_frames_and_the_socket_stays(server):
    _, anna, bram = await two_contacts(server)
    await anna.connect()
    for type_, data in (
        ("chat.send", {"to": BIG, "body": "x", "client_msg_id": "s1"}),
        ("chat.typing", {"to": BIG, "typing": True}),
        ("chat.read", {"conversation_id": BIG, "message_id": 1}),
        ("hello", {"last_seq": BIG}),
    ):
        await anna.send_raw(json.dumps({"type": type_, "id": "f1", "data": data}))
        err = await anna.next_event("error")
        assert err["id"] == "f1", err
        assert err["error"]["code"] == "out_of_range", err
        assert err["error"]["details"]["field"] in data, err
    assert await anna.request("ping") == {"pong": True}
    assert await _messages(server, anna) == 0
    await anna.send_message(bram.user["id"], "daarna")
    assert await _messages(server, anna) == 1


async def test_json_nested_thousands_deep_is_a_400_even_unauthenticated(server):
    _, anna, _ = await two_contacts(server)
    r = await _raw(server, None, "POST", "/api/auth/login", '{"tenant": ' + DEEP + "}")
    assert r.status_code == 400 and r.json()["error"]["code"] == "too_deep", r.text
    r = await _raw(server, anna, "POST", "/api/messages", DEEP)
    assert r.status_code == 400 and r.json()["error"]["code"] == "too_deep", r.text
    # Within the parser's reach but over the bound: named where it goes too deep.
    r = await _raw(server, anna, "POST", "/api/messages", '{"body": ' + "[" * 40 + "]" * 40 + "}")
    assert r.status_code == 400 and r.json()["error"]["code"] == "too_deep", r.text
    assert r.json()["error"]["details"]["field"].startswith("body[0]")
    await anna.connect()
    await anna.send_raw('{"type": "ping", "id": "d1", "data": {"x": ' + DEEP + "}}")
    err = await anna.next_event("error")
    assert err["error"]["code"] == "too_deep", err
    assert await anna.request("ping") == {"pong": True}


async def test_lone_surrogates_are_refused_naming_the_field(server):
    _, anna, bram = await two_contacts(server)
    # json.dumps escapes the surrogate as \ud800, exactly what a fuzzer sends.
    body = json.dumps({"to": bram.user["id"], "body": "a\ud800b", "client_msg_id": "sur-1"})
    _refused(await _raw(server, anna, "POST", "/api/messages", body), "body", "invalid_value")
    key = json.dumps({"tenant": "x", "username": "u", "password": "p", "\udc00": 1})
    r = await _raw(server, None, "POST", "/api/auth/login", key)
    assert r.status_code == 400 and "unpaired surrogate" in r.json()["error"]["message"], r.text

    await anna.connect()
    await anna.send_raw(json.dumps({"type": "chat.send", "id": "sur-2",
                                    "data": {"to": bram.user["id"], "body": "\ud800", "client_msg_id": "sur-2"}}))
    err = await anna.next_event("error")
    assert (err["id"], err["error"]["code"], err["error"]["details"]["field"]) == (
        "sur-2", "invalid_value", "body"), err
    # In the frame id: an error without an id (it could not be echoed), the socket stays open.
    await anna.send_raw(json.dumps({"type": "ping", "id": "\ud800"}))
    err = await anna.next_event("error")
    assert (err["id"], err["error"]["code"], err["error"]["details"]["field"]) == (
        None, "protocol_error", "id"), err
    assert await anna.request("ping") == {"pong": True}
    assert await _messages(server, anna) == 0
    await anna.send_message(bram.user["id"], "gewoon")
    assert await _messages(server, anna) == 1


async def test_chat_read_of_a_message_that_does_not_exist_is_refused_and_the_marker_stays(server):
    _, anna, bram = await two_contacts(server)
    await bram.connect()
    await anna.connect()
    ack = await anna.send_message(bram.user["id"], "eerste")
    conv_id = ack["message"]["conversation_id"]
    with pytest.raises(ClientError) as err:
        await bram.request("chat.read", {"conversation_id": conv_id, "message_id": ack["message"]["id"] + 1000})
    assert err.value.code == "unknown_message"
    r = await _raw(server, bram, "POST", f"/api/conversations/{conv_id}/read",
                   json.dumps({"message_id": 10**15}))
    assert r.status_code == 404 and r.json()["error"]["details"]["field"] == "message_id", r.text
    # A later message still counts as unread: the marker did not move past it.
    await anna.send_message(bram.user["id"], "tweede")
    convs = await bram.rest("GET", "/api/conversations")
    assert convs["badge"] == 1
    assert [c["unread"] for c in convs["conversations"] if c["id"] == conv_id] == [2]


async def test_sms_bad_ids_surrogates_and_rule_fields_store_nothing(config):
    async with running_server(without_dispatcher(config)) as server:
        org = await make_org(server, credits=10)
        number = [{"type": "number", "number": "06-12345678", "name": "Re\ud800ceptie"}]
        r = await _raw(server, org.anna, "POST", "/api/sms/messages",
                       json.dumps({"body": "Hallo", "recipients": number}))
        _refused(r, "recipients[0].name", "invalid_value")
        for extra, field in (({"subscription_id": BIG}, "subscription_id"),
                             ({"recipients": [{"type": "person", "id": BIG}]}, "recipients[0].id")):
            data = {"body": "Hallo", "recipients": [{"type": "number", "number": "06-12345678"}], **extra}
            r = await _raw(server, org.anna, "POST", "/api/sms/messages", json.dumps(data))
            _refused(r, field, "out_of_range")
        r = await _raw(server, org.anna, "GET", "/api/sms/messages?offset=" + "1" + "0" * 23)
        _refused(r, "offset", "out_of_range")
        assert await message_count(server, org.tenant["id"]) == 0
        r = await _raw(server, org.key, "POST", "/api/sms/dynamic-groups",
                       json.dumps({"name": "Lijst", "rules": [{"field": ["name"], "op": "equals", "value": "a"}]}))
        _refused(r, "rules[0].field", "wrong_type")
        assert (await org.key.rest("GET", "/api/sms/dynamic-groups"))["items"] == []


async def test_a_visit_body_nested_thousands_deep_is_a_400_without_cors(server):
    r = await _raw(server, None, "POST", "/api/livechat/visit", '{"site_id": ' + DEEP + "}")
    assert r.status_code == 400 and r.json()["error"]["code"] == "too_deep", r.text
    assert "access-control-allow-origin" not in r.headers
