"""/metrics for a process that serves no HTTP of its own (``chatserver sms-worker``).

With ``CHATSERVER_METRICS_PORT`` set, the worker listens on ``CHATSERVER_METRICS_HOST``
(127.0.0.1 unless told otherwise) and answers ``GET /metrics`` under the same rules as a
hub's (:func:`chatserver.api.metrics.allowed`: the bearer token, or an allowed address).
A few lines of HTTP/1.1 on asyncio's own server, one request per connection: the worker
needs no web server, and none that would take over its signal handlers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from prometheus_client import CONTENT_TYPE_LATEST

from chatserver.actions.context import Services
from chatserver.api.metrics import allowed, exposition

__all__ = ["serve"]

log = logging.getLogger(__name__)

_HEAD_TIMEOUT_SECONDS = 5.0


async def serve(svc: Services) -> asyncio.Server:
    """Listen now; the caller closes the returned server when the process stops."""
    config = svc.config

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(_HEAD_TIMEOUT_SECONDS):
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            request_line, *lines = head.split("\r\n")
            method, path = (request_line.split(" ") + ["", ""])[:2]
            headers = {name.strip().lower(): value.strip()
                       for name, sep, value in (line.partition(":") for line in lines) if sep}
            peer = (writer.get_extra_info("peername") or ("",))[0]
            status, kind, body = "404 Not Found", "text/plain", b"not found\n"
            if method == "GET" and path.split("?")[0] == "/metrics":
                if allowed(headers, peer, config):
                    status, kind, body = "200 OK", CONTENT_TYPE_LATEST, await exposition(svc, None)
                elif config.metrics_token:
                    status, body = "401 Unauthorized", b"metrics are for this process's scraper only\n"
                else:
                    status, body = "403 Forbidden", b"metrics are for this process's scraper only\n"
            writer.write(f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                         "Connection: close\r\n\r\n".encode() + body)
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass  # a scraper that went away or never finished its request: nothing to answer
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    server = await asyncio.start_server(answer, config.metrics_host, config.metrics_port)
    log.info("metrics on http://%s:%d/metrics", config.metrics_host, config.metrics_port)
    return server
