"""Security headers on every page, the widget and the API; the WebSocket Origin check's scheme."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from chatserver.config import Config
from chatserver.protocol.session import CloseCode
from tests.helpers import close_code, make_tenant, make_user, running_server


async def test_pages_widget_and_api_carry_the_security_headers(config: Config) -> None:
    async with running_server(dataclasses.replace(config, demo=True)) as server, \
            httpx.AsyncClient(base_url=server.url) as http:
        for path in ("/app", "/console", "/demo/site", "/static/app/index.html"):
            r = await http.get(path)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
            csp = r.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
            assert "object-src 'none'" in csp and "base-uri 'none'" in csp, path
            assert r.headers["x-frame-options"] == "DENY", path
            assert r.headers["x-content-type-options"] == "nosniff", path
            assert r.headers["referrer-policy"] == "no-referrer", path
        # Only the demo page, with its inline <style>, allows inline styles.
        assert "'unsafe-inline'" not in (await http.get("/app")).headers["content-security-policy"]
        assert "style-src 'self' 'unsafe-inline'" in (await http.get("/demo/site")).headers["content-security-policy"]

        widget = await http.get("/widget.js")
        assert widget.status_code == 200 and "javascript" in widget.headers["content-type"]
        assert widget.headers["x-content-type-options"] == "nosniff"
        assert widget.headers["referrer-policy"] == "no-referrer"
        # Other sites embed it: nothing may keep them from loading it.
        assert widget.headers["cross-origin-resource-policy"] == "cross-origin"
        assert widget.headers["access-control-allow-origin"] == "*"
        assert "x-frame-options" not in widget.headers

        for path in ("/api/settings", "/no-such-page", "/health/live"):
            r = await http.get(path)
            assert r.headers["x-content-type-options"] == "nosniff", path
            assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'", path


async def _hello(ws_url: str, origin: str, headers: dict[str, str] | None = None) -> None:
    async with websockets.connect(ws_url, origin=origin, additional_headers=headers or {}, open_timeout=10) as ws:
        await ws.send(json.dumps({"type": "hello", "id": "h"}))
        assert json.loads(await ws.recv())["type"] == "ack"


async def _refused(ws_url: str, origin: str, headers: dict[str, str] | None = None) -> None:
    try:
        async with asyncio.timeout(5):  # an accepted socket waits for hello: never closed
            code = await close_code(ws_url, origin=origin, additional_headers=headers or {})
    except TimeoutError:
        raise AssertionError(f"origin {origin} was let in") from None
    except InvalidStatus as exc:
        assert exc.response.status_code in (400, 403)
    else:
        assert code == CloseCode.POLICY


@pytest.mark.parametrize("trusted", [False, True])
async def test_the_websocket_origin_check_compares_the_scheme(config: Config, trusted: bool) -> None:
    cfg = dataclasses.replace(config, trusted_proxies=("127.0.0.1",) if trusted else ())
    async with running_server(cfg) as server:
        org = await make_tenant(server)
        anna = await make_user(server, org, "Anna")
        host = server.url.split("//", 1)[1]
        ws_url = server.url.replace("http", "ws", 1) + f"/ws?token={anna.token}"
        tls = {"X-Forwarded-Proto": "https"}  # a TLS-terminating proxy in front
        await _hello(ws_url, f"http://{host}")
        await _hello(ws_url, f"https://{host}")  # plain ws seen here: the TLS ended at a proxy
        await _refused(ws_url, f"ftp://{host}")
        await _refused(ws_url, f"https://{host}.evil.example")
        await _hello(ws_url, f"https://{host}", tls)
        if trusted:
            # Over TLS an http page of the same host name is another origin: refused.
            await _refused(ws_url, f"http://{host}", tls)
        else:
            # From an untrusted peer the header means nothing: what it says is ignored.
            await _hello(ws_url, f"http://{host}", tls)
