"""A visitor reaches only their own conversation; operators only their tenant's (LC-11 security)."""

from __future__ import annotations

import httpx
import pytest
import websockets

from chatserver.client import ClientError
from tests.helpers import make_user
from tests.livechat.service.helpers import FOREIGN, ORIGIN, make_org, write


async def _status(client, method: str, path: str, body=None) -> int:
    try:
        await client.rest(method, path, body)
    except ClientError as exc:
        return exc.status or 0
    return 200


async def test_visitor_token_reaches_only_its_own_conversation(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    mallory, _ = await org.visitor()
    alice, _ = await org.visitor()
    await write(alice, "geheim")
    await write(mallory, "hallo")
    convs = (await olga.rest("GET", "/api/livechat/conversations"))["conversations"]
    alice_conv = next(c["id"] for c in convs if c["last_message"]["body"] == "geheim")

    own = await mallory.rest("GET", "/api/livechat/visitor/conversation")
    assert [m["body"] for m in own["messages"]] == ["hallo"]
    # Operator and colleague routes refuse a visitor token.
    for method, path in [
        ("GET", f"/api/livechat/conversations/{alice_conv}"),
        ("GET", "/api/livechat/conversations"),
        ("POST", f"/api/livechat/conversations/{alice_conv}/messages"),
        ("POST", f"/api/livechat/conversations/{alice_conv}/assign"),
        ("GET", "/api/livechat/overview"),
        ("GET", "/api/me"),
        ("GET", "/api/users"),
        ("GET", "/api/contacts"),
        ("GET", "/api/conversations"),
        ("GET", "/api/people/search?q=olga"),
        ("POST", "/api/contact-requests"),
        ("GET", f"/api/users/{olga.user['id']}/settings"),
    ]:
        assert await _status(mallory, method, path, {} if method == "POST" else None) == 403, path
    # Nor colleague messages on the socket.
    with pytest.raises(ClientError) as err:
        await mallory.send_message(olga.user["id"], "hoi")
    assert err.value.code == "not_allowed"
    with pytest.raises(ClientError):
        await mallory.request("presence.set", {"status": "online"})
    # A colleague's token is no visitor's.
    assert await _status(olga, "GET", "/api/livechat/visitor/conversation") == 403
    with pytest.raises(ClientError):
        await olga.request("livechat.send", {"body": "x", "client_msg_id": "x1"})
    # No token at all.
    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.get("/api/livechat/visitor/conversation")).status_code == 401


async def test_visitors_are_never_colleagues(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, answer = await org.visitor()
    await write(vis, "hallo")
    users = await olga.rest("GET", "/api/users")
    assert all(u["id"] != answer["visitor_id"] for u in users["users"])
    found = await olga.rest("GET", "/api/people/search", q="visitor")
    assert all(r["id"] != answer["visitor_id"] for r in found["results"])
    assert await _status(olga, "POST", "/api/contact-requests", {"user_id": answer["visitor_id"]}) == 404
    assert await _status(org.key, "GET", f"/api/users/{answer['visitor_id']}/settings") == 404
    # A visitor cannot log in.
    async with httpx.AsyncClient(base_url=server.url) as http:
        r = await http.post("/api/auth/login", json={"tenant": org.tenant["slug"], "username": "visitor", "password": "!"})
        assert r.status_code == 401


async def test_another_tenants_operator_gets_404(server):
    org = await make_org(server)
    await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "hallo"))["conversation"]["id"]
    other = await make_org(server, "concurrent")
    eve = await other.operator("Eve")
    for method, path, body in [
        ("GET", f"/api/livechat/conversations/{conv_id}", None),
        ("POST", f"/api/livechat/conversations/{conv_id}/assign", {}),
        ("POST", f"/api/livechat/conversations/{conv_id}/resolve", None),
        ("POST", f"/api/livechat/conversations/{conv_id}/messages", {"body": "x", "client_msg_id": "e1"}),
        ("PUT", f"/api/livechat/conversations/{conv_id}/visitor", {"name": "x"}),
    ]:
        assert await _status(eve, method, path, body) == 404, path
    site_path = f"/api/livechat/sites/{org.site['id']}"
    assert await _status(other.key, "PUT", site_path, {"name": "x", "origins": [ORIGIN]}) == 404
    assert (await eve.rest("GET", "/api/livechat/conversations"))["conversations"] == []
    assert [s["id"] for s in (await other.key.rest("GET", "/api/livechat/sites"))["sites"]] == [other.site["id"]]
    # A colleague without live chat enabled is no operator; a plain user cannot make sites.
    plain = await make_user(server, org.tenant, "Plain User")
    assert await _status(plain, "GET", "/api/livechat/conversations") == 403
    assert await _status(plain, "POST", "/api/livechat/sites", {"name": "x", "origins": [ORIGIN]}) == 403


async def test_visitor_socket_only_from_the_sites_origins(server):
    org = await make_org(server)
    vis, _ = await org.visitor(connect=False)
    ws_url = vis.ws_url + f"?token={vis.token}"
    async with websockets.connect(ws_url, origin=ORIGIN, subprotocols=["chatserver.v1.json"]) as ws:
        await ws.send('{"type": "hello", "id": "h1", "data": {}}')
        assert '"ack"' in await ws.recv()
    async with websockets.connect(ws_url, origin=FOREIGN, subprotocols=["chatserver.v1.json"]) as ws:
        with pytest.raises(websockets.ConnectionClosed):
            await ws.recv()
        assert ws.close_code == 1008
