"""The web pages' cookie session and its CSRF rule (chatserver/api/web_session.py,
docs/security.md "Web session"): the cookie signs a browser in, a change it signs needs
the session's CSRF token from our own origin, a bearer token needs none, logout ends the
session at once for REST and sockets. The browser's side: tests/browser/test_app_session_cookie.py."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import httpx
import websockets
from websockets.exceptions import ConnectionClosed

from chatserver.client import ChatClient
from tests.helpers import PASSWORD, Server, befriend, make_tenant, make_user, running_server

NAME = "chat_session"
EVIL = "https://evil.example"


async def cookie_login(server: Server, client: ChatClient, http: httpx.AsyncClient) -> dict[str, Any]:
    """Log the (already made) user in again as our web pages do: the cookie lands in ``http``."""
    r = await http.post("/api/auth/login", headers={"Origin": server.url}, json=await login_body(server, client))
    assert r.status_code == 200, r.text
    return dict(r.json())


async def login_body(server: Server, client: ChatClient) -> dict[str, Any]:
    from chatserver.db.models import Tenant

    async with server.services.read() as s:
        tenant = await s.get(Tenant, client.user["tenant_id"])
    return {"tenant": tenant.slug, "username": client.user["username"], "password": PASSWORD, "session": "cookie"}


def browser(server: Server) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.url, timeout=30)


async def test_a_cookie_login_sets_an_httponly_strict_cookie_and_answers_no_token(server: Server) -> None:
    anna = await make_user(server, await make_tenant(server), "Anna")
    async with browser(server) as http:
        answer = await cookie_login(server, anna, http)
        assert "token" not in answer and answer["user"]["id"] == anna.user["id"]
        assert len(answer["csrf_token"]) >= 40
        # The cookie: the token, out of scripts' reach, sent by no other site, as long as the token lives.
        token = http.cookies[NAME]
        assert len(token) >= 40 and token not in json.dumps(answer)
        # Signed in by the cookie alone: the same session and CSRF token for a new tab.
        session = (await http.get("/api/auth/session")).json()
        assert session == {"user": answer["user"], "csrf_token": answer["csrf_token"]}
        assert (await http.get("/api/me")).json()["user"]["id"] == anna.user["id"]
    async with browser(server) as http:
        r = await http.post("/api/auth/login", headers={"Origin": server.url}, json=await login_body(server, anna))
        set_cookie = r.headers["set-cookie"]
    parts = [p.strip().lower() for p in set_cookie.split(";")]
    assert "httponly" in parts and "samesite=strict" in parts and "path=/" in parts
    assert f"max-age={14 * 24 * 3600}" in parts
    assert "secure" not in parts  # plain http here: see the TLS test below
    assert r.headers["cache-control"] == "no-store"


async def test_a_cookie_signed_change_needs_the_csrf_token_from_our_origin(server: Server) -> None:
    org = await make_tenant(server)
    anna, bram = await make_user(server, org, "Anna"), await make_user(server, org, "Bram")
    async with browser(server) as http:
        csrf = (await cookie_login(server, anna, http))["csrf_token"]
        ask = {"user_id": bram.user["id"]}
        refusals = {
            "csrf_missing": {"Origin": server.url},
            "csrf_invalid": {"Origin": server.url, "X-CSRF-Token": csrf[:-2] + "xx"},
            # Another site's page: even with the right token (which it cannot know), refused.
            "csrf_origin": {"Origin": EVIL, "X-CSRF-Token": csrf},
        }
        for code, headers in refusals.items():
            r = await http.post("/api/contact-requests", json=ask, headers=headers)
            assert r.status_code == 403 and r.json()["error"]["code"] == code, r.text
            assert "CSRF" in r.json()["error"]["message"] or "own pages" in r.json()["error"]["message"]
        # A cross-site form post (text/plain, no header): refused, nothing stored.
        r = await http.post("/api/contact-requests", content=json.dumps(ask),
                            headers={"Origin": EVIL, "Content-Type": "text/plain"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_origin"
        assert (await bram.rest("GET", "/api/contact-requests"))["incoming"] == []
        # The same put and delete rules: PUT a setting.
        r = await http.put(f"/api/users/{anna.user['id']}/settings/user.mobile", json={"value": "0612345678"},
                           headers={"Origin": server.url})
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_missing"
        # Reading needs no proof; a change with it goes through (a client without Origin too).
        assert (await http.get("/api/contacts")).status_code == 200
        r = await http.post("/api/contact-requests", json=ask, headers={"Origin": server.url, "X-CSRF-Token": csrf})
        assert r.status_code == 201, r.text
        r = await http.put(f"/api/users/{anna.user['id']}/settings/user.mobile", json={"value": "0612345678"},
                           headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200, r.text
    assert len((await bram.rest("GET", "/api/contact-requests"))["incoming"]) == 1


async def test_a_bearer_token_needs_no_csrf_token_and_wins_over_a_cookie(server: Server) -> None:
    org = await make_tenant(server)
    anna, bram = await make_user(server, org, "Anna"), await make_user(server, org, "Bram")
    # An API client: the header, no cookie, no CSRF token, from anywhere.
    await befriend(anna, bram)
    async with browser(server) as http:
        await cookie_login(server, anna, http)
        # The header names the caller; the cookie (Anna's) is not read, so no proof is asked.
        r = await http.post("/api/ws/ticket", headers={"Authorization": f"Bearer {bram.token}", "Origin": EVIL})
        assert r.status_code == 200
        session = (await http.get("/api/auth/session", headers={"Authorization": f"Bearer {bram.token}"})).json()
        assert session == {"user": session["user"], "csrf_token": None} and session["user"]["id"] == bram.user["id"]


async def test_the_ticket_needs_the_proof_and_logout_ends_the_cookie_at_once(server: Server) -> None:
    anna = await make_user(server, await make_tenant(server), "Anna")
    async with browser(server) as http:
        csrf = (await cookie_login(server, anna, http))["csrf_token"]
        token = http.cookies[NAME]
        r = await http.post("/api/ws/ticket", headers={"Origin": server.url})
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_missing"
        r = await http.post("/api/ws/ticket", headers={"Origin": server.url, "X-CSRF-Token": csrf})
        assert r.status_code == 200
        url = server.url.replace("http", "ws", 1) + f"/ws?ticket={r.json()['ticket']}"
        async with websockets.connect(url, subprotocols=["chatserver.v1.json"]) as ws:
            await ws.send(json.dumps({"type": "hello", "id": "h1", "data": {}}))
            assert json.loads(await ws.recv())["type"] == "ack"
            # Logout without the proof is refused like any change; with it, the session ends.
            r = await http.post("/api/auth/logout", headers={"Origin": server.url})
            assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_missing"
            r = await http.post("/api/auth/logout", headers={"Origin": server.url, "X-CSRF-Token": csrf})
            assert r.status_code == 200
            assert NAME not in http.cookies  # cleared
            # The socket it opened closes (revoked, on every node: tests/multinode/test_sessions_across_nodes.py).
            async with asyncio.timeout(10):
                try:
                    while True:
                        await ws.recv()
                except ConnectionClosed:
                    pass
            assert ws.close_code == 4009
    # The old cookie, kept by someone: refused at once, everywhere.
    async with browser(server) as http:
        http.cookies.set(NAME, token)
        assert (await http.get("/api/me")).status_code == 401
        r = await http.post("/api/ws/ticket", headers={"Origin": server.url, "X-CSRF-Token": csrf})
        assert r.status_code == 401
        r = await http.get("/api/auth/session")
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"
        # An ended session's cookie is cleared.
        assert r.headers["set-cookie"].startswith(f'{NAME}=""') and "max-age=0" in r.headers["set-cookie"].lower()


async def test_a_cookie_session_is_opened_only_from_our_origin(server: Server) -> None:
    """Login CSRF: another site's form must not sign the browser in to an account of its choosing."""
    anna = await make_user(server, await make_tenant(server), "Anna")
    body = await login_body(server, anna)
    async with browser(server) as http:
        for headers in ({"Origin": EVIL}, {}):
            r = await http.post("/api/auth/login", json=body, headers=headers)
            assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_origin"
            assert NAME not in http.cookies
        # An API client's login is unchanged: a token, no cookie.
        r = await http.post("/api/auth/login", json={k: v for k, v in body.items() if k != "session"})
        assert r.status_code == 200 and r.json()["token"] and NAME not in http.cookies


async def test_a_cookie_sees_nothing_of_another_organisation(server: Server) -> None:
    anna = await make_user(server, await make_tenant(server), "Anna")
    org_b = await make_tenant(server)
    bram, olga = await make_user(server, org_b, "Bram"), await make_user(server, org_b, "Olga")
    await befriend(bram, olga)
    sent = await bram.rest("POST", "/api/messages", {"to": olga.user["id"], "body": "geheim", "client_msg_id": "x-1"})
    conversation = sent["message"]["conversation_id"]
    async with browser(server) as http:
        csrf = (await cookie_login(server, anna, http))["csrf_token"]
        proof = {"Origin": server.url, "X-CSRF-Token": csrf}
        users = (await http.get("/api/users")).json()["users"]
        assert {u["id"] for u in users} == {anna.user["id"]}
        r = await http.get(f"/api/users/{bram.user['id']}/settings")
        assert r.status_code == 404
        r = await http.get("/api/conversations")
        assert r.status_code == 200 and "geheim" not in r.text
        r = await http.get(f"/api/conversations/{conversation}/messages")
        assert r.status_code == 404 and "geheim" not in r.text
        r = await http.post(f"/api/conversations/{conversation}/read", json={"message_id": sent["message"]["id"]},
                            headers=proof)
        assert r.status_code == 404 and "geheim" not in r.text


async def test_over_tls_the_cookie_is_secure_host_only_and_an_http_page_is_another_origin(config: Any) -> None:
    # TLS ended at a trusted proxy (loopback here), which says so in X-Forwarded-Proto.
    async with running_server(replace(config, trusted_proxies=("127.0.0.1",))) as srv:
        anna = await make_user(srv, await make_tenant(srv), "Anna")
        host = srv.url.split("://", 1)[1]
        tls = {"X-Forwarded-Proto": "https"}
        async with browser(srv) as http:
            r = await http.post("/api/auth/login", headers={**tls, "Origin": f"https://{host}"},
                                json=await login_body(srv, anna))
            assert r.status_code == 200, r.text
            parts = [p.strip().lower() for p in r.headers["set-cookie"].split(";")]
            assert parts[0].startswith("__host-chat_session=") and "secure" in parts and "httponly" in parts
            token = r.headers["set-cookie"].split(";")[0].split("=", 1)[1]
            csrf = r.json()["csrf_token"]
        cookie = {"Cookie": f"__Host-chat_session={token}"}
        async with browser(srv) as http:
            r = await http.get("/api/me", headers={**tls, **cookie})
            assert r.status_code == 200
            r = await http.post("/api/ws/ticket", headers={**tls, **cookie, "X-CSRF-Token": csrf,
                                                          "Origin": f"http://{host}"})
            assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_origin"
            r = await http.post("/api/ws/ticket", headers={**tls, **cookie, "X-CSRF-Token": csrf,
                                                          "Origin": f"https://{host}"})
            assert r.status_code == 200
            # Over plain http the __Host- cookie is not this session's name: not signed in.
            assert (await http.get("/api/me", headers=cookie)).status_code == 401
