"""Bad input over real WebSockets and REST: malformed frames, unknown types, missing fields,
wrong types, oversized messages and frames, floods, bad tokens and origins.

Each gets an error reply with a clear code (or the documented close code), nothing is
stored, and the connection (when it stays open), the server and other users go on working.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import httpx
import msgpack
import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from chatserver.client import ChatClient, ClientError
from chatserver.clock import FakeClock
from chatserver.protocol import CloseCode, Session
from tests.helpers import befriend, close_code, make_tenant, make_user, running_server, two_contacts


async def _pair(server, fmt="json"):
    _, anna, bram = await two_contacts(server, fmt=fmt)
    await anna.connect()
    await bram.connect()
    return anna, bram


async def _history(client: ChatClient, other: ChatClient) -> list[str]:
    conv = await client.rest("POST", "/api/conversations", {"user_id": other.user["id"]})
    hist = await client.rest("GET", f"/api/conversations/{conv['id']}/messages")
    return [m["body"] for m in hist["messages"]]


async def _still_works(sender: ChatClient, receiver: ChatClient, body: str) -> None:
    """A valid request succeeds on the connection and the message reaches the other user."""
    assert await sender.request("ping") == {"pong": True}
    ack = await sender.send_message(receiver.user["id"], body)
    while True:  # skip the receiver's copies of what it sent itself
        got = await receiver.next_event("chat.message")
        if got["data"]["message"]["sender_id"] != receiver.user["id"]:
            break
    assert got["data"]["message"]["id"] == ack["message"]["id"]
    assert got["data"]["message"]["body"] == body


async def _error(client: ChatClient) -> dict:
    frame = await client.next_event("error")
    return frame


# --- malformed frames ------------------------------------------------------------------

JSON_GARBAGE = [
    ("{", None, "protocol_error", "not valid JSON"),
    ("hello there", None, "protocol_error", "not valid JSON"),
    ("[1, 2, 3]", None, "protocol_error", "must be an object"),
    ('"ping"', None, "protocol_error", "must be an object"),
    ('{"id": "g1", "data": {}}', "g1", "protocol_error", "'type' is required"),
    ('{"type": "", "id": "g2"}', "g2", "protocol_error", "'type' is required"),
    ('{"type": 42, "id": "g3"}', "g3", "protocol_error", "'type' is required"),
    ('{"type": "ping", "id": ["x"]}', None, "protocol_error", "'id' must be"),
    ('{"type": "ping", "id": true}', None, "protocol_error", "'id' must be"),
    ('{"type": "chat.send", "id": "g4", "data": [1]}', "g4", "protocol_error", "'data' must be an object"),
    ('{"type": "chat.send", "id": "g5", "data": "hoi"}', "g5", "protocol_error", "'data' must be an object"),
]


async def test_malformed_json_frames_get_an_error_and_the_connection_stays_usable(server):
    anna, bram = await _pair(server)
    for raw, msg_id, code, text in JSON_GARBAGE:
        await anna.send_raw(raw)
        err = await _error(anna)
        assert err["id"] == msg_id, raw
        assert err["error"]["code"] == code, raw
        assert text in err["error"]["message"], raw
    await anna.send_raw(b'{"type": "ping", "id": "b1"}')
    err = await _error(anna)
    assert err["id"] is None and err["error"]["code"] == "protocol_error"
    assert "binary frame on a JSON connection" in err["error"]["message"]
    await _still_works(anna, bram, "na de rommel")
    assert await _history(bram, anna) == ["na de rommel"]


MSGPACK_GARBAGE = [
    (b"\xc1", None, "not valid msgpack"),
    (b"\x82\xa4type", None, "not valid msgpack"),
    (msgpack.packb({1: "x"}), None, "not valid msgpack"),
    (msgpack.packb([1, 2]), None, "must be an object"),
    (msgpack.packb({"id": "m1"}), "m1", "'type' is required"),
    (msgpack.packb({"type": b"ping", "id": "m2"}, use_bin_type=True), "m2", "'type' is required"),
    (msgpack.packb({"type": "ping", "id": 1.5}), None, "'id' must be"),
    (msgpack.packb({"type": "chat.send", "id": "m3", "data": [1]}), "m3", "'data' must be an object"),
]


async def test_malformed_msgpack_frames_get_an_error_and_the_connection_stays_usable(server):
    anna, bram = await _pair(server, fmt="msgpack")
    for raw, msg_id, text in MSGPACK_GARBAGE:
        await anna.send_raw(raw)
        err = await _error(anna)
        assert err["id"] == msg_id, raw
        assert err["error"]["code"] == "protocol_error", raw
        assert text in err["error"]["message"], raw
    await anna.send_raw('{"type": "ping", "id": "t1"}')
    err = await _error(anna)
    assert err["error"]["code"] == "protocol_error"
    assert "text frame on a msgpack connection" in err["error"]["message"]
    await _still_works(anna, bram, "msgpack overleeft")
    assert await _history(bram, anna) == ["msgpack overleeft"]


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
async def test_a_request_before_hello_is_refused_until_hello(server, fmt):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna", fmt=fmt)
    await anna._open()  # the socket without the client's automatic hello
    anna._reader = asyncio.create_task(anna._read_loop())
    with pytest.raises(ClientError) as err:
        await anna.request("presence.set", {"status": "away"})
    assert err.value.code == "hello_required"
    hello = await anna.request("hello")
    assert hello["resumed"] is False
    with pytest.raises(ClientError) as err:
        await anna.request("hello")
    assert err.value.code == "duplicate_hello"
    assert await anna.request("ping") == {"pong": True}


# --- unknown types, missing fields, wrong types ---------------------------------------


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
async def test_schema_errors_name_the_problem_and_nothing_is_stored(server, fmt):
    anna, bram = await _pair(server, fmt)
    to = bram.user["id"]
    cases = [
        ("chat.delete_everything", {}, "unknown_type", "known types: chat.delivered, chat.read"),
        ("chat.send", {"body": "x", "client_msg_id": "a1"}, "missing_field", "'to' is required"),
        ("chat.send", {"to": to, "client_msg_id": "a2"}, "missing_field", "'body' is required"),
        ("chat.send", {"to": to, "body": "x"}, "missing_field", "'client_msg_id' is required"),
        ("chat.send", {"to": str(to), "body": "x", "client_msg_id": "a3"}, "wrong_type", "'to' must be an integer"),
        ("chat.send", {"to": True, "body": "x", "client_msg_id": "a4"}, "wrong_type", "'to' must be an integer"),
        ("chat.send", {"to": to, "body": ["x"], "client_msg_id": "a5"}, "wrong_type", "'body' must be a string"),
        ("chat.send", {"to": to, "body": "x", "client_msg_id": "a" * 65}, "too_long", "longer than 64"),
        ("chat.send", {"to": to, "body": "   ", "client_msg_id": "a6"}, "empty_message", "empty"),
        ("chat.send", {"to": to, "body": "a\x00b", "client_msg_id": "a8"}, "invalid_value", "'body' contains a NUL"),
        ("chat.read", {"conversation_id": "1", "message_id": 1}, "wrong_type", "'conversation_id'"),
        ("chat.typing", {"to": to, "typing": 1}, "wrong_type", "'typing' must be true or false"),
        ("presence.set", {"status": "busy"}, "invalid_value", "must be one of online"),
        ("livechat.send", {"body": "x", "client_msg_id": "a7"}, "not_allowed", "not available"),
    ]
    for type_, data, code, text in cases:
        with pytest.raises(ClientError) as err:
            await anna.request(type_, data)
        assert err.value.code == code, (type_, data)
        assert text in err.value.message, (type_, data, err.value.message)
    assert await _history(anna, bram) == []
    assert (await anna.rest("GET", "/api/me"))["user"]["status"] == "online"
    await _still_works(anna, bram, "alles goed")


# --- oversized messages and frames -----------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
async def test_a_message_over_max_message_chars_is_too_large_and_not_stored(server, fmt):
    anna, bram = await _pair(server, fmt)
    limit = server.config.max_message_chars
    with pytest.raises(ClientError) as err:
        await anna.send_message(bram.user["id"], "x" * (limit + 1), client_msg_id="big-1")
    assert err.value.code == "too_large"
    assert str(limit) in err.value.message
    assert await _history(bram, anna) == []
    assert (await bram.rest("GET", "/api/conversations"))["badge"] == 0
    # Exactly the limit is fine, and the refused client id was not used up.
    await anna.send_message(bram.user["id"], "y" * limit, client_msg_id="big-1")
    assert await _history(bram, anna) == ["y" * limit]


async def test_a_nul_character_over_rest_is_refused_and_nothing_stored(server):
    anna, bram = await _pair(server)
    for data in ({"body": "voor\x00na"}, {"body": "x", "subject": "a\x00"}, {"body": "x", "client_msg_id": "n\x00ul"}):
        with pytest.raises(ClientError) as err:
            await anna.rest("POST", "/api/messages", {"to": bram.user["id"], "client_msg_id": "nul-1", **data})
        assert (err.value.status, err.value.code) == (400, "invalid_value")
        assert "contains a NUL character" in err.value.message
    with pytest.raises(ClientError) as err:  # any field of any request
        await anna.rest("POST", "/api/auth/login", {"tenant": "x", "username": "anna\x00", "password": "p"})
    assert (err.value.status, err.value.code) == (400, "invalid_value")
    assert await _history(bram, anna) == []
    await _still_works(anna, bram, "zonder nul")


async def test_a_message_over_max_message_chars_over_rest_is_413(server):
    anna, bram = await _pair(server)
    limit = server.config.max_message_chars
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", "/api/messages", {"to": bram.user["id"], "body": "x" * (limit + 1), "client_msg_id": "r1"})
    assert (err.value.status, err.value.code) == (413, "too_large")
    assert await _history(bram, anna) == []


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
async def test_a_frame_over_max_frame_bytes_gets_too_large_and_the_connection_goes_on(server, fmt):
    anna, bram = await _pair(server, fmt)
    max_bytes = server.config.max_frame_bytes
    frame = {"type": "chat.send", "id": "huge", "data": {"to": bram.user["id"], "body": "z" * max_bytes,
                                                         "client_msg_id": "huge-1"}}
    raw = json.dumps(frame) if fmt == "json" else msgpack.packb(frame, use_bin_type=True)
    assert max_bytes < len(raw) < 2 * max_bytes
    await anna.send_raw(raw)
    err = await _error(anna)
    assert err["id"] == "huge"
    assert err["error"]["code"] == "too_large"
    assert f"over the maximum of {max_bytes}" in err["error"]["message"]
    assert await _history(bram, anna) == []
    await _still_works(anna, bram, "klein genoeg")


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
async def test_a_frame_over_twice_max_frame_bytes_closes_with_1009(server, fmt):
    anna, bram = await _pair(server, fmt)
    frame = {"type": "chat.send", "id": "giant", "data": {"to": bram.user["id"], "body": "z" * (3 * server.config.max_frame_bytes),
                                                          "client_msg_id": "giant-1"}}
    raw = json.dumps(frame) if fmt == "json" else msgpack.packb(frame, use_bin_type=True)
    await anna.send_raw(raw)
    closed = await anna.next_event("_closed")
    assert closed["data"]["code"] == CloseCode.TOO_BIG == 1009
    assert await _history(bram, anna) == []
    # The server and the other user are unaffected; the same user can connect again.
    assert await bram.request("ping") == {"pong": True}
    await anna.connect()
    await _still_works(anna, bram, "weer verbonden")


# --- floods ----------------------------------------------------------------------------


async def test_a_flood_gets_rate_limited_then_closed_1008_while_others_go_on(config):
    slow = replace(config, rate_per_second=5, rate_burst=10)
    async with running_server(slow) as server:
        org = await make_tenant(server)
        flooder = await make_user(server, org, "Flo")
        anna = await make_user(server, org, "Anna")
        bram = await make_user(server, org, "Bram")
        await befriend(anna, bram)
        for c in (flooder, anna, bram):
            await c.connect()
        sent = 0
        try:
            while sent < 5000:
                for _ in range(50):
                    await flooder.send_raw(json.dumps({"type": "ping", "id": f"f{sent}"}))
                    sent += 1
        except ConnectionClosed:
            pass
        limited: list[str] = []
        while True:
            frame = await flooder.next_event()
            if frame["type"] == "_closed":
                break
            assert frame["type"] == "error"
            assert frame["error"]["code"] == "rate_limited"
            assert "slow down" in frame["error"]["message"]
            limited.append(frame["id"])  # each names the refused frame, to retry
        assert frame["data"]["code"] == CloseCode.POLICY == 1008
        assert len(limited) >= Session.FLOOD_LIMIT
        assert all(i.startswith("f") for i in limited) and len(set(limited)) == len(limited)
        # Other connections on the same server have their own budget and keep working.
        await _still_works(anna, bram, "nog steeds hier")
        await _still_works(bram, anna, "ik ook")


async def test_a_rate_limited_message_is_not_stored_and_the_budget_refills(config):
    clock = FakeClock()
    slow = replace(config, rate_per_second=5, rate_burst=10)
    async with running_server(slow, clock=clock) as server:
        anna, bram = await _pair(server)  # hello took one token of anna's ten
        for _ in range(9):
            await anna.request("ping")
        with pytest.raises(ClientError) as err:
            await anna.send_message(bram.user["id"], "te snel", client_msg_id="fast-1")
        assert err.value.code == "rate_limited"
        assert await _history(bram, anna) == []
        # Bram's connection has its own bucket.
        assert await bram.request("ping") == {"pong": True}
        clock.advance(1)  # five tokens back
        await anna.send_message(bram.user["id"], "op tijd", client_msg_id="fast-1")
        assert await _history(bram, anna) == ["op tijd"]


# --- handshake: tokens and origins -----------------------------------------------------


@pytest.mark.parametrize("subprotocol", ["chatserver.v1.json", "chatserver.v1.msgpack"])
async def test_no_token_or_a_bad_token_closes_4001(server, subprotocol):
    ws_url = server.url.replace("http", "ws", 1) + "/ws"
    kw = {"subprotocols": [subprotocol]}
    assert await close_code(ws_url, **kw) == CloseCode.UNAUTHORIZED == 4001
    assert await close_code(ws_url + "?token=not-a-token", **kw) == 4001
    assert await close_code(ws_url, additional_headers={"Authorization": "Bearer nope"}, **kw) == 4001
    assert await close_code(ws_url, additional_headers={"Authorization": "Basic Zm9vOmJhcg=="}, **kw) == 4001


async def test_a_revoked_token_closes_4001(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    token = anna.token
    await anna.rest("POST", "/api/auth/logout")
    ws_url = server.url.replace("http", "ws", 1) + f"/ws?token={token}"
    assert await close_code(ws_url) == 4001


async def test_a_disallowed_origin_is_refused(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    ws_url = server.url.replace("http", "ws", 1) + f"/ws?token={anna.token}"
    try:
        code = await close_code(ws_url, origin="https://evil.example")
    except InvalidStatus as exc:  # refused at the handshake is fine too
        assert exc.response.status_code in (403, 400)
    else:
        assert code == CloseCode.POLICY == 1008
    # The server's own origin is allowed.
    host = server.url.split("//", 1)[1]
    async with websockets.connect(ws_url, origin=f"http://{host}", open_timeout=10) as ws:
        await ws.send(json.dumps({"type": "hello", "id": "h"}))
        reply = json.loads(await ws.recv())
        assert reply["type"] == "ack" and reply["id"] == "h"


async def test_an_unknown_subprotocol_is_refused(server):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    ws_url = server.url.replace("http", "ws", 1) + f"/ws?token={anna.token}"
    # As docs/protocol.md says: the handshake itself is refused, no socket is opened.
    with pytest.raises(InvalidStatus) as refused:
        await close_code(ws_url, subprotocols=["chatserver.v9.xml"])
    assert refused.value.response.status_code == 403


# --- REST bodies -----------------------------------------------------------------------


async def test_malformed_rest_bodies_get_a_400_json_error(server):
    anna, bram = await _pair(server)
    headers = {"Authorization": f"Bearer {anna.token}", "Content-Type": "application/json"}
    cases = [
        ("POST", "/api/messages", b"{not json", "invalid_json"),
        ("POST", "/api/messages", b"\xff\xfe\x00", "invalid_json"),
        ("POST", "/api/messages", b"[1, 2]", "invalid_json"),
        ("POST", "/api/messages", b'"hoi"', "invalid_json"),
        ("POST", "/api/messages", json.dumps({"to": bram.user["id"], "body": "x"}).encode(), "missing_field"),
        ("POST", "/api/messages", json.dumps({"to": "1", "body": "x", "client_msg_id": "q"}).encode(), "wrong_type"),
        ("POST", "/api/contact-requests", b"{", "invalid_json"),
        ("POST", "/api/contact-requests", b'{"user_id": "12"}', "wrong_type"),
        ("POST", "/api/contact-requests", b'{"user_id": true}', "wrong_type"),
        ("POST", "/api/conversations", b'{"user_id": null}', "missing_field"),  # null is absent
        ("POST", f"/api/conversations/{1}/read", b'{"message_id": "7"}', "wrong_type"),
        ("PUT", "/api/status", b'{"status": "busy"}', "invalid_value"),
        ("PUT", "/api/status", b"status=away", "invalid_json"),
        ("PUT", f"/api/users/{anna.user['id']}/settings/notify.chat_message", b"{}", "missing_field"),
        ("PUT", f"/api/users/{anna.user['id']}/settings/notify.chat_message", b"2", "invalid_json"),
        ("POST", "/api/people", b'{"name": 5}', "wrong_type"),
        ("POST", "/api/people", b'{"name": "Piet", "salary": 1}', "unknown_field"),
        ("POST", "/api/people/import", b'{"people": "all"}', "wrong_type"),
        ("GET", "/api/conversations/abc/messages", None, "invalid_id"),
        ("GET", "/api/people/search?q=an&limit=x", None, "invalid_value"),
    ]
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        for method, path, content, code in cases:
            r = await http.request(method, path, content=content, headers=headers)
            assert r.status_code == 400, (method, path, content, r.text)
            assert r.headers["content-type"].startswith("application/json")
            body = r.json()
            assert body["error"]["code"] == code, (method, path, content, body)
            assert body["error"]["message"]
    assert await _history(anna, bram) == []
    assert (await anna.rest("GET", "/api/people"))["total"] == 0
    # The server still answers the same user normally.
    await _still_works(anna, bram, "REST overleefd")
