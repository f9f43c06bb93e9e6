"""A client that never reads: its queue fills, the server closes it with 4008, and when
that close frame cannot be written (the socket does not drain) the connection is dropped
within CHATSERVER's close timeout instead of being held, with all it buffered, for ever."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import logging
import os
import socket
import time
from urllib.parse import urlsplit

import pytest

from tests.helpers import running_server, two_contacts, wait_for


async def _never_reading_socket(url: str, token: str) -> socket.socket:
    """A WebSocket opened by hand, with a tiny receive buffer, that nobody reads after the
    handshake (a client library would read in the background)."""
    parts = urlsplit(url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(sock, (parts.hostname, parts.port))
    key = base64.b64encode(os.urandom(16)).decode()
    await loop.sock_sendall(sock, (
        f"GET /ws HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += await loop.sock_recv(sock, 1)  # byte by byte: nothing past the handshake is read
    assert head.startswith(b"HTTP/1.1 101"), head
    # hello, masked as a client must: the server then sends this connection events.
    payload = json.dumps({"type": "hello", "id": "h"}).encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    await loop.sock_sendall(sock, bytes([0x81, 0x80 | len(payload)]) + mask + masked)
    return sock


async def test_a_client_that_never_reads_is_dropped_when_its_close_cannot_be_written(config, caplog):
    cfg = dataclasses.replace(config, send_queue_limit=20, close_timeout_seconds=1.0)
    async with running_server(cfg) as server:
        _, anna, bram = await two_contacts(server)
        sock = await _never_reading_socket(server.url, anna.token)
        try:
            hub = server.app.state.hub
            await wait_for(lambda: len(hub.connections(anna.user["id"])) == 1)
            await bram.connect()
            caplog.set_level(logging.INFO, logger="chatserver")
            body = "x" * server.config.max_message_chars
            started = time.monotonic()
            sent = 0
            # Until the server gives up on anna: her queue overflows once the sockets' buffers are full.
            while hub.connections(anna.user["id"]) and sent < 3000:
                await bram.send_message(anna.user["id"], body)
                sent += 1
                if any("too slow" in r.getMessage() for r in caplog.records):
                    break
            assert any("too slow" in r.getMessage() for r in caplog.records), f"{sent} messages did not fill it"
            slow_at = time.monotonic()
            # The close frame cannot be written: dropped after the close timeout (1 s here).
            await wait_for(lambda: not hub.connections(anna.user["id"]), timeout=10)
            dropped_after = time.monotonic() - slow_at
            assert any("did not take its close" in r.getMessage() for r in caplog.records)
            assert dropped_after < 5, dropped_after
            # The server side is gone: reading now ends in a reset or EOF, not an open socket.
            loop = asyncio.get_running_loop()
            with pytest.raises(ConnectionResetError):
                async with asyncio.timeout(10):
                    while await loop.sock_recv(sock, 1 << 20):
                        pass
                    raise ConnectionResetError("end of stream")
        finally:
            sock.close()  # else a server without the fix could not even shut down
        # Bram was never held up by it.
        assert await bram.request("ping") == {"pong": True}
        assert time.monotonic() - started < 60
