"""Request bodies over CHATSERVER_MAX_BODY_BYTES, sent over raw sockets: refused with 413
by their Content-Length before a byte is read, and a chunked one cut off at the limit
while the client is still sending it."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from urllib.parse import urlsplit

from tests.helpers import running_server

LIMIT = 256 * 1024
TOTAL = 64 * 1024 * 1024  # what the client would send if nobody stopped it


async def _connect(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    parts = urlsplit(url)
    return await asyncio.open_connection(parts.hostname, parts.port)


async def _response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:] if ":" in ln)}
    body = await asyncio.wait_for(reader.readexactly(int(headers["content-length"])), 10)
    return status, headers, body


async def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(config):
    async with running_server(dataclasses.replace(config, max_body_bytes=LIMIT)) as server:
        reader, writer = await _connect(server.url)
        # Headers only: the answer must come without waiting for the 64 MiB announced.
        writer.write(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {TOTAL}\r\n\r\n".encode())
        await writer.drain()
        status, _, body = await _response(reader)
        writer.close()
        assert status == 413
        err = json.loads(body)["error"]
        assert err["code"] == "too_large" and str(LIMIT) in err["message"]


async def test_a_chunked_body_is_cut_off_at_the_limit_while_the_client_still_sends(config):
    async with running_server(dataclasses.replace(config, max_body_bytes=LIMIT)) as server:
        reader, writer = await _connect(server.url)
        writer.write(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b" " * (64 * 1024)
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        sent = 0

        async def pump() -> None:
            nonlocal sent
            while sent < TOTAL:
                writer.write(frame)
                await writer.drain()
                sent += len(chunk)

        pumping = asyncio.create_task(pump())
        status, headers, body = await _response(reader)
        at_answer = sent
        # The server closes the connection: the rest of the body is never read (closed
        # with data unread, the kernel answers with a reset).
        try:
            rest = await asyncio.wait_for(reader.read(), 10)
        except ConnectionResetError:
            rest = b""
        pumping.cancel()
        await asyncio.gather(pumping, return_exceptions=True)
        writer.close()
        assert status == 413, body
        assert json.loads(body)["error"]["code"] == "too_large"
        assert rest == b""
        # Sent when the answer came: the limit plus what the sockets' buffers hold, far from all.
        assert at_answer < TOTAL // 4, at_answer
        # Still serving.
        reader, writer = await _connect(server.url)
        writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        assert (await _response(reader))[0] == 200
        writer.close()


async def test_a_body_under_the_limit_is_read_as_before(config):
    async with running_server(dataclasses.replace(config, max_body_bytes=LIMIT)) as server:
        reader, writer = await _connect(server.url)
        payload = json.dumps({"tenant": "nope", "username": "u", "password": "p", "pad": " " * (LIMIT // 2)}).encode()
        writer.write(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
        await writer.drain()
        status, _, body = await _response(reader)
        writer.close()
        assert status == 401, body
