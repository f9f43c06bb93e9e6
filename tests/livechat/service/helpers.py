"""Live-chat test helpers: a tenant with a key-user and a site, operators, and visitors
who visit over REST (with an Origin, as a browser would) and talk over the hub."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from chatserver.client import ChatClient
from tests.helpers import Server, make_tenant, make_user

ORIGIN = "https://www.jobgenius.example"
FOREIGN = "https://evil.example"
CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/47.0.2526.111 Safari/537.36"
)


@dataclass
class Org:
    server: Server
    tenant: dict[str, Any]
    key: ChatClient
    site: dict[str, Any]
    operators: list[ChatClient] = field(default_factory=list)

    async def operator(self, name: str, *, online: bool = True, reachable: bool = True) -> ChatClient:
        """A colleague with live chat enabled, connected, availability as given."""
        op = await make_user(self.server, self.tenant, name, function="Operator")
        await self.key.rest("PUT", f"/api/users/{op.user['id']}/settings/livechat.enabled", {"value": True})
        if reachable:
            await self.key.rest("PUT", f"/api/users/{op.user['id']}/settings/livechat.reachable", {"value": True})
        await op.connect()
        await op.rest("PUT", "/api/livechat/availability", {"online": online})
        self.operators.append(op)
        return op

    async def visitor(self, **kw: Any) -> tuple[ChatClient, dict[str, Any]]:
        return await make_visitor(self.server, self.site["id"], **kw)


async def make_org(server: Server, name: str = "uitzendbureau") -> Org:
    tenant = await make_tenant(server, name)
    key = await make_user(server, tenant, "Kees Keyuser", role="key_user")
    site = await key.rest(
        "POST", "/api/livechat/sites",
        {"name": "Job Genius", "origins": [ORIGIN], "greeting": {"nl": "Welkom!", "en": "Welcome!"}},
    )
    return Org(server=server, tenant=tenant, key=key, site=site)


async def visit(
    server: Server, site_id: int, *, origin: str | None = ORIGIN, headers: dict[str, str] | None = None, **body: Any
) -> httpx.Response:
    """POST /api/livechat/visit as the widget does: a text/plain JSON body with an Origin."""
    hdrs = {"Content-Type": "text/plain;charset=UTF-8", **(headers or {})}
    if origin:
        hdrs["Origin"] = origin
    payload = {"site_id": site_id, "url": f"{ORIGIN}/vacatures", "referrer": "", "language": "nl-NL", **body}
    async with httpx.AsyncClient(base_url=server.url) as http:
        import json

        return await http.post("/api/livechat/visit", content=json.dumps(payload), headers=hdrs)


async def make_visitor(
    server: Server, site_id: int, *, connect: bool = True, **kw: Any
) -> tuple[ChatClient, dict[str, Any]]:
    r = await visit(server, site_id, **kw)
    assert r.status_code == 200, r.text
    answer = r.json()
    client = ChatClient(server.url, answer["token"])
    client.user = {"id": answer["visitor_id"]}
    server.clients.append(client)
    if connect:
        await client.connect()
    return client, answer


async def put_site(server: Server, key: ChatClient, site: dict[str, Any], body: dict[str, Any]) -> httpx.Response:
    """PUT a site as ``key`` and give back the raw answer (a refusal is what is tested)."""
    async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {key.token}"}) as http:
        return await http.put(f"/api/livechat/sites/{site['id']}", json=body)


async def write(visitor: ChatClient, body: str) -> dict[str, Any]:
    import uuid

    return await visitor.request("livechat.send", {"body": body, "client_msg_id": uuid.uuid4().hex})


async def reply(op: ChatClient, conv_id: int, body: str) -> dict[str, Any]:
    import uuid

    return await op.rest(
        "POST", f"/api/livechat/conversations/{conv_id}/messages", {"body": body, "client_msg_id": uuid.uuid4().hex}
    )
