"""A webhook receiver on loopback: a real HTTP server (uvicorn + starlette) that keeps what
it was sent and answers with the statuses it is told to, in turn."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    query: str


@dataclass
class Receiver:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    # Answers in turn; when used up, 200.
    statuses: list[int] = field(default_factory=list)

    async def handle(self, request: Request) -> Response:
        self.received.append(Received(dict(request.headers), await request.body(), request.url.query))
        return Response(status_code=self.statuses.pop(0) if self.statuses else 200)


@asynccontextmanager
async def receiver(statuses: list[int] | None = None) -> AsyncIterator[Receiver]:
    rec = Receiver(statuses=list(statuses or []))
    app = Starlette(routes=[Route("/hook", rec.handle, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    rec.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook?key=receiver-own-key"
    try:
        yield rec
    finally:
        server.should_exit = True
        await task
        sock.close()
