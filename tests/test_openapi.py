"""/openapi.json is generated from the declarations the input layer enforces (api.contract):
every REST route is declared, the document says what each takes and answers, and a request
that breaks a declared rule is refused with a 400 naming the field."""

from __future__ import annotations

import httpx
from starlette.routing import Route

from chatserver.api.contract import ApiRoute
from chatserver.app import create_app
from chatserver.config import Config
from chatserver.protocol.schema import INT_MAX
from tests.helpers import make_tenant, make_user


def test_every_rest_route_is_declared(config: Config) -> None:
    app = create_app(config)
    undeclared = [r.path for r in app.routes if isinstance(r, Route) and r.path.startswith("/api/")
                  and not isinstance(r, ApiRoute)]
    assert undeclared == []


async def test_document_says_what_each_operation_takes_and_answers(server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        doc = (await http.get("/openapi.json")).json()
    paths = doc["paths"]
    # A body from the socket's chat.send declaration, with its limits.
    send = paths["/api/messages"]["post"]
    body = send["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["to", "body", "client_msg_id"]
    assert body["properties"]["client_msg_id"] == {"type": "string", "maxLength": 64}
    assert set(send["responses"]) >= {"201", "200", "400", "401", "403", "404", "409", "413"}
    message = send["responses"]["201"]["content"]["application/json"]["schema"]["properties"]["message"]
    assert {"id", "body", "conversation_id"} <= set(message["required"])
    # Query parameters with their ranges; path ids as positive 64-bit integers.
    search = {p["name"]: p for p in paths["/api/people/search"]["get"]["parameters"]}
    assert search["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 50}
    history = {p["name"]: p for p in paths["/api/conversations/{conversation_id}/messages"]["get"]["parameters"]}
    assert history["conversation_id"]["in"] == "path"
    assert history["conversation_id"]["schema"] == {"type": "integer", "minimum": 1, "maximum": INT_MAX}
    assert "201" in paths["/api/users"]["post"]["responses"]
    # Security per route: public, colleagues', visitors', the SMS provider's.
    assert paths["/api/auth/login"]["post"]["security"] == []
    assert paths["/api/livechat/visit"]["post"]["security"] == []
    assert paths["/api/livechat/visit"]["options"]["security"] == []
    assert "204" in paths["/api/livechat/visit"]["options"]["responses"]
    assert paths["/api/livechat/visitor/conversation"]["get"]["security"] == [{"visitor": []}]
    assert paths["/api/sms/reports/spryng"]["post"]["security"] == [{"report_secret": []}]
    assert doc["components"]["securitySchemes"]["report_secret"] == {
        "type": "apiKey", "in": "query", "name": "secret",
        "description": "The secret in the callback URL given to the SMS provider"}
    assert paths["/api/contacts"]["get"]["security"] == [{"bearer": []}]
    assert "429" in paths["/api/auth/login"]["post"]["responses"]
    # A feature's routes (video, from Feature.routes) are there too.
    assert "/api/video/rooms/{token}/guests" in paths
    assert paths["/api/video/rooms/{token}"]["get"]["security"] == []


async def test_a_declared_rule_is_enforced_before_the_view(server) -> None:
    tenant = await make_tenant(server)
    anna = await make_user(server, tenant, "Anna Smit")
    async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {anna.token}"}) as http:
        r = await http.get("/api/people/search", params={"q": "an", "limit": "51"})
        assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "limit"
        r = await http.get(f"/api/conversations/{2**63}/messages")
        assert r.status_code == 400 and r.json()["error"]["code"] == "out_of_range"
        r = await http.post("/api/contact-requests", json={"user_id": "7"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "wrong_type"
        r = await http.post("/api/people", json={"name": "Piet", "shoe_size": 44})
        assert r.status_code == 400 and r.json()["error"]["code"] == "unknown_field"
        r = await http.post("/api/people", json={"name": "   "})
        assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "name"
        assert (await http.post("/api/people", json={"name": "Piet"})).status_code == 201


async def test_a_method_not_allowed_says_which_are(server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        r = await http.delete("/api/users")
        assert r.status_code == 405
        # Both routes of the path, not only the first that matched.
        assert r.headers["allow"] == "GET, HEAD, POST"
        r = await http.put("/api/livechat/visit")
        assert r.status_code == 405 and r.headers["allow"] == "OPTIONS, POST"
