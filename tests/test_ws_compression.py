"""permessage-deflate on /ws (CHATSERVER_WS_COMPRESSION, docs/configuration.md): off by default
although every browser offers it, on when set. A chat frame is a few hundred bytes, and a
compressing connection keeps its zlib contexts for its whole life: ~40 KiB more per idle
browser connection and ~10-12 us more CPU per message (docs/benchmarks.md, step 41)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest
import websockets

from chatserver.config import Config
from tests.helpers import Server, running_server, two_contacts

pytestmark = pytest.mark.dbindependent
BODY = " ".join(["Hoi Anna!"] * 80)  # long enough that a compressing server would compress it


async def _offer_deflate_and_receive(server: Server) -> tuple[str | None, str]:
    """A client that offers permessage-deflate as a browser does: the extensions the server
    agreed to, and the body of a message Bram sends to Anna over REST."""
    _, anna, bram = await two_contacts(server, "Anna", "Bram")
    url = server.url.replace("http", "ws", 1) + "/ws"
    headers = {"Authorization": f"Bearer {anna.token}"}
    async with websockets.connect(url, subprotocols=["chatserver.v1.json"], additional_headers=headers,
                                  compression="deflate") as ws:
        agreed = ws.response.headers.get("Sec-WebSocket-Extensions") if ws.response else None
        await ws.send(json.dumps({"type": "hello", "id": "h", "data": {}}))
        assert json.loads(await ws.recv())["type"] == "ack"
        await bram.rest("POST", "/api/messages", {"to": anna.user["id"], "body": BODY, "client_msg_id": "z-1"})
        async with asyncio.timeout(10):
            while (frame := json.loads(await ws.recv()))["type"] != "chat.message":
                pass
    return agreed, frame["data"]["message"]["body"]


async def test_the_socket_is_not_compressed_by_default_though_the_client_offers_it(server: Server) -> None:
    assert server.config.ws_compression is False
    agreed, body = await _offer_deflate_and_receive(server)
    assert agreed is None
    assert body == BODY


async def test_compression_is_agreed_when_set(config: Config) -> None:
    async with running_server(replace(config, ws_compression=True)) as server:
        agreed, body = await _offer_deflate_and_receive(server)
    assert agreed is not None and agreed.startswith("permessage-deflate")
    assert body == BODY


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHATSERVER_WS_COMPRESSION", raising=False)
    assert Config.from_env().ws_compression is False
    monkeypatch.setenv("CHATSERVER_WS_COMPRESSION", "1")
    assert Config.from_env().ws_compression is True
