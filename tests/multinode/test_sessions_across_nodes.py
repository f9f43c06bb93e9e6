"""A session ended on one node ends on the other at once (logout, a cookie session), and a
socket ticket given on one node opens a socket on the other, once."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from chatserver.client import ChatClient
from tests.helpers import PASSWORD, ws_hello
from tests.multinode.helpers import (
    Cluster,
    bodies_from,
    connected_pair,
)

pytestmark = pytest.mark.multinode


async def test_logout_on_one_node_closes_the_tokens_sockets_on_the_other(cluster: Cluster) -> None:
    anna, bram = await connected_pair(cluster)
    # The same token's second tab, on node 2; another login of Anna's stays open there.
    tab = cluster.track(ChatClient(cluster.urls[1], anna.token))
    tab.user = anna.user
    await tab.connect()
    other_login = cluster.track(await ChatClient.login(cluster.urls[1], cluster.slug, anna.user["username"], PASSWORD))
    await other_login.connect()

    await anna.rest("POST", "/api/auth/logout")  # on node 1
    closed = await tab.next_event("_closed", timeout=10)
    assert closed["data"]["code"] == 4009  # logged out, on the node that did not see the request
    assert (await anna.next_event("_closed", timeout=10))["data"]["code"] == 4009
    # Nothing more is sent with that token, on any node; the other login goes on.
    with pytest.raises(Exception):  # noqa: B017 - closed, or refused on reconnect: never acked
        await asyncio.wait_for(tab.send_message(bram.user["id"], "after logout"), 5)
    await other_login.send_message(bram.user["id"], "still here")
    assert await bodies_from(bram, anna, 1, timeout=10) == ["still here"]


async def test_a_ticket_given_on_one_node_opens_a_socket_on_the_other_once(cluster: Cluster) -> None:
    anna = await cluster.user(0, "Anna")
    ticket = (await anna.rest("POST", "/api/ws/ticket"))["ticket"]  # asked of node 1
    on = [url.replace("http", "ws", 1) + f"/ws?ticket={ticket}" for url in cluster.urls]
    assert "epoch" in await ws_hello(on[1])  # opened on node 2
    # Used on node 2: refused there and on node 1 alike.
    for url in (on[0], on[1]):
        assert await ws_hello(url) == {"code": 4002, "reason": "this ticket was used already; fetch a new one"}


async def test_a_cookie_session_ended_on_one_node_stops_at_once_on_the_other(cluster: Cluster) -> None:
    """The web session's cookie (docs/security.md, "Web session") is its login token: a
    logout on node 1 closes the socket it opened on node 2, and node 2 refuses the cookie."""
    anna = await cluster.user(0, "Anna")
    origin = list(cluster.urls)
    async with httpx.AsyncClient(timeout=30) as http:
        r = await http.post(origin[0] + "/api/auth/login", headers={"Origin": origin[0]}, json={
            "tenant": cluster.slug, "username": anna.user["username"], "password": PASSWORD, "session": "cookie"})
        assert r.status_code == 200 and "token" not in r.json()
        cookie = {"Cookie": r.headers["set-cookie"].split(";")[0]}
        proof = {"X-CSRF-Token": r.json()["csrf_token"]}
        # Node 2 knows the session too: a ticket asked there opens a socket there.
        r = await http.post(origin[1] + "/api/ws/ticket", headers={**cookie, **proof, "Origin": origin[1]})
        assert r.status_code == 200
        url = origin[1].replace("http", "ws", 1) + f"/ws?ticket={r.json()['ticket']}"
        async with websockets.connect(url, subprotocols=["chatserver.v1.json"]) as ws:
            await ws.send('{"type": "hello", "id": "h1", "data": {}}')
            assert '"ack"' in await ws.recv()
            r = await http.post(origin[0] + "/api/auth/logout", headers={**cookie, **proof, "Origin": origin[0]})
            assert r.status_code == 200
            async with asyncio.timeout(10):
                with contextlib.suppress(ConnectionClosed):
                    while True:
                        await ws.recv()
            assert ws.close_code == 4009
        assert (await http.get(origin[1] + "/api/me", headers=cookie)).status_code == 401
        r = await http.post(origin[1] + "/api/ws/ticket", headers={**cookie, **proof, "Origin": origin[1]})
        assert r.status_code == 401
