"""One-use /ws tickets (docs/security.md, "No token in a URL"): a ticket opens one socket,
once, within its seconds, as the token that asked for it and nobody else; a refused one
closes with 4002 and says why. Two nodes: tests/multinode/test_sessions_across_nodes.py."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import httpx
import pytest
import websockets
from prometheus_client import REGISTRY
from websockets.exceptions import ConnectionClosed

from chatserver.actions import tickets as ticket_actions
from chatserver.client import ChatClient, ClientError
from chatserver.clock import FakeClock
from chatserver.log_redact import redact
from chatserver.protocol import CloseCode
from tests.helpers import Server, befriend, make_tenant, make_user, running_server
from tests.helpers import ws_hello as hello
from tests.livechat.service.helpers import FOREIGN, ORIGIN, make_org


async def ticket_of(client: ChatClient) -> str:
    answer = await client.rest("POST", "/api/ws/ticket")
    assert answer["expires_in"] == 30 and len(answer["ticket"]) >= 20
    return str(answer["ticket"])


def ws_url(server: Server, ticket: str) -> str:
    return server.url.replace("http", "ws", 1) + f"/ws?ticket={ticket}"


async def test_a_ticket_opens_one_socket_as_its_user_and_only_once(server: Server) -> None:
    anna, bram = await make_user(server, org := await make_tenant(server), "Anna"), await make_user(server, org, "Bram")
    await befriend(anna, bram)
    ticket = await ticket_of(anna)
    async with websockets.connect(ws_url(server, ticket), subprotocols=["chatserver.v1.json"]) as ws:
        await ws.send(json.dumps({"type": "hello", "id": "h1", "data": {}}))
        assert json.loads(await ws.recv())["type"] == "ack"
        # The socket is Anna's: Bram's message to her arrives on it.
        await bram.rest("POST", "/api/messages", {"to": anna.user["id"], "body": "Hoi Anna", "client_msg_id": "t-1"})
        async with asyncio.timeout(10):
            while (frame := json.loads(await ws.recv()))["type"] != "chat.message":
                pass
        assert frame["data"]["message"]["body"] == "Hoi Anna"
        assert frame["data"]["message"]["sender_id"] == bram.user["id"]
        # Used while that socket is still open, and after: refused, saying why.
        assert await hello(ws_url(server, ticket)) == {
            "code": CloseCode.TICKET_REFUSED, "reason": "this ticket was used already; fetch a new one"}
    assert (await hello(ws_url(server, ticket)))["code"] == 4002
    # A new ticket opens a new socket.
    assert "epoch" in await hello(ws_url(server, await ticket_of(anna)))


async def test_the_same_ticket_twice_at_once_opens_one_socket(server: Server) -> None:
    anna = await make_user(server, await make_tenant(server), "Anna")
    ticket = await ticket_of(anna)
    answers = await asyncio.gather(*(hello(ws_url(server, ticket)) for _ in range(5)))
    assert sum("epoch" in a for a in answers) == 1, answers
    assert sorted(a.get("code", 0) for a in answers) == [0, 4002, 4002, 4002, 4002]


async def test_a_ticket_expires_after_its_seconds(config) -> None:
    clock = FakeClock()
    async with running_server(config, clock=clock) as srv:
        anna = await make_user(srv, await make_tenant(srv), "Anna")
        late, in_time = await ticket_of(anna), await ticket_of(anna)
        clock.advance(29)
        assert "epoch" in await hello(ws_url(srv, in_time))
        clock.advance(2)  # 31 s after both were given
        assert await hello(ws_url(srv, late)) == {
            "code": 4002, "reason": "this ticket has expired; fetch a new one"}
        # Kept an hour, then forgotten: unknown from then on.
        clock.advance(3600)
        assert await ticket_actions.purge(srv.services) == 2
        assert await hello(ws_url(srv, late)) == {
            "code": 4002, "reason": "unknown ticket; fetch one from POST /api/ws/ticket"}


async def test_unknown_tickets_and_asking_without_a_token_are_refused(server: Server) -> None:
    for bad in ("made-up-ticket", "", "%F0%9F%98%80" * 40):
        assert await hello(ws_url(server, bad)) == {
            "code": 4002, "reason": "unknown ticket; fetch one from POST /api/ws/ticket"}
    async with httpx.AsyncClient(base_url=server.url) as http:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            r = await http.post("/api/ws/ticket", headers=headers)
            assert r.status_code == 401 and r.json()["error"]["code"] in ("unauthorized", "invalid_token")


async def test_a_ticket_is_worth_nothing_once_its_token_is_revoked_and_its_socket_closes_with_it(
        server: Server) -> None:
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    spare, ticket = await ticket_of(anna), await ticket_of(anna)
    async with websockets.connect(ws_url(server, ticket), subprotocols=["chatserver.v1.json"]) as ws:
        await ws.send(json.dumps({"type": "hello", "id": "h1", "data": {}}))
        assert json.loads(await ws.recv())["type"] == "ack"
        await anna.rest("POST", "/api/auth/logout")
        with pytest.raises(ConnectionClosed):
            async with asyncio.timeout(10):
                while True:
                    await ws.recv()
        assert ws.close_code == CloseCode.SUPERSEDED == 4009
    # A ticket given before the logout opens nothing after it: the token is gone (4001).
    assert (await hello(ws_url(server, spare)))["code"] == CloseCode.UNAUTHORIZED
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", "/api/ws/ticket")
    assert err.value.status == 401


async def test_visitors_and_guests_get_tickets_and_a_visitor_ticket_opens_only_from_its_sites(
        server: Server) -> None:
    org = await make_org(server)
    vis, _ = await org.visitor(connect=False)
    async with httpx.AsyncClient(base_url=server.url) as http:
        # The widget's preflight and its POST from the site's page, as a browser sends them.
        pre = await http.options("/api/ws/ticket", headers={
            "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization"})
        assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == ORIGIN
        assert "Authorization" in pre.headers["access-control-allow-headers"]
        r = await http.post("/api/ws/ticket", headers={"Origin": ORIGIN, "Authorization": f"Bearer {vis.token}"})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ORIGIN
        assert r.headers["cache-control"] == "no-store"
        first, second = r.json()["ticket"], (await vis.rest("POST", "/api/ws/ticket"))["ticket"]
    # Another organisation's page cannot open the visitor's socket, ticket or not.
    assert (await hello(ws_url(server, first), origin=FOREIGN))["code"] == CloseCode.POLICY
    assert "epoch" in await hello(ws_url(server, second), origin=ORIGIN)

    anna = await make_user(server, org.tenant, "Anna")
    room = (await anna.rest("POST", "/api/video/rooms", {"title": "Interview"}))["room"]
    async with httpx.AsyncClient(base_url=server.url) as http:
        guest = (await http.post(f"/api/video/rooms/{room['token']}/guests", json={"name": "Jan"})).json()
        r = await http.post("/api/ws/ticket", headers={"Authorization": f"Bearer {guest['token']}"})
    assert "epoch" in await hello(ws_url(server, r.json()["ticket"]))


async def test_a_ticket_opens_its_own_users_socket_never_another_organisations(server: Server) -> None:
    # Anna of one organisation, Eve of another: Eve's ticket makes Eve's socket, which
    # cannot reach Anna (not a contact) nor see her messages.
    anna = await make_user(server, await make_tenant(server, "een"), "Anna")
    eve = await make_user(server, await make_tenant(server, "twee"), "Eve")
    async with websockets.connect(ws_url(server, await ticket_of(eve)), subprotocols=["chatserver.v1.json"]) as ws:
        await ws.send(json.dumps({"type": "hello", "id": "h1", "data": {}}))
        assert json.loads(await ws.recv())["type"] == "ack"
        await ws.send(json.dumps({"type": "chat.send", "id": "s1",
                                  "data": {"to": anna.user["id"], "body": "hoi", "client_msg_id": "e-1"}}))
        reply = json.loads(await ws.recv())
        assert reply["type"] == "error" and reply["error"]["code"] == "not_a_contact"


async def test_tickets_waiting_unused_are_bounded(server: Server) -> None:
    anna = await make_user(server, await make_tenant(server), "Anna")
    waiting = [await ticket_of(anna) for _ in range(ticket_actions.MAX_WAITING)]
    with pytest.raises(ClientError) as err:
        await anna.rest("POST", "/api/ws/ticket")
    assert err.value.status == 429 and err.value.code == "too_many_tickets"
    assert "epoch" in await hello(ws_url(server, waiting[0]))  # using one makes room
    assert await ticket_of(anna)


def _opened_by() -> dict[str, float]:
    return {how: REGISTRY.get_sample_value("chatserver_ws_auth_total", {"how": how}) or 0.0
            for how in ("ticket", "header", "query_token")}


async def test_how_sockets_are_opened_is_counted(server: Server) -> None:
    anna = await make_user(server, await make_tenant(server), "Anna")
    base = server.url.replace("http", "ws", 1) + "/ws"
    before = _opened_by()
    assert "epoch" in await hello(f"{base}?token={anna.token}")
    assert "epoch" in await hello(f"{base}?ticket={await ticket_of(anna)}")
    assert "epoch" in await hello(f"{base}?ticket={await ticket_of(anna)}")
    assert "epoch" in await hello(base, additional_headers={"Authorization": f"Bearer {anna.token}"})
    after = _opened_by()
    assert {how: after[how] - before[how] for how in after} == {"ticket": 2, "header": 1, "query_token": 1}


async def test_a_token_in_the_url_can_be_refused(config) -> None:
    async with running_server(replace(config, ws_query_token=False)) as srv:
        anna = await make_user(srv, await make_tenant(srv), "Anna")
        base = srv.url.replace("http", "ws", 1) + "/ws"
        refused = await hello(f"{base}?token={anna.token}")
        assert refused["code"] == 4001 and "ticket" in refused["reason"]
        assert "epoch" in await hello(base, additional_headers={"Authorization": f"Bearer {anna.token}"})
        assert "epoch" in await hello(f"{base}?ticket={await ticket_of(anna)}")


def test_a_ticket_in_a_logged_url_is_redacted() -> None:
    line = '127.0.0.1:5 - "WebSocket /ws?ticket=Zk3_abc-DEF" [accepted]'
    assert redact(line) == '127.0.0.1:5 - "WebSocket /ws?ticket=[redacted]" [accepted]'
