"""Test helpers: a real server on loopback, users and contacts made through the public API."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import uvicorn
import websockets
from sqlalchemy import func, select
from websockets.exceptions import ConnectionClosed

from chatserver.app import create_app
from chatserver.client import ChatClient
from chatserver.clock import Clock
from chatserver.config import Config, Section
from chatserver.db.models import Message, User, UserEvent
from chatserver.ws_protocol import uvicorn_options

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def with_section(config: Config, kind: type[Section], **changes: Any) -> Config:
    """The config with a feature's settings changed (``with_section(cfg, VideoConfig, room_cap=2)``)."""
    return config.with_sections(replace(config.section(kind), **changes))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    app: Any
    config: Config
    # Clients made for this server; closed when it stops, whatever the test did.
    clients: list[ChatClient] = field(default_factory=list)

    @property
    def services(self) -> Any:
        return self.app.state.services


@contextlib.asynccontextmanager
async def running_server(config: Config, clock: Clock | None = None) -> AsyncIterator[Server]:
    """A real uvicorn server in this event loop, on a free loopback port."""
    app = create_app(config, clock=clock)
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto is
    # IPPROTO_TCP, and socket.socket() leaves it 0. Without it Nagle and delayed ACKs
    # hold every second frame of a reply for 40 ms (uvicorn's own sockets are fine).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # As `chatserver serve` runs it, but without uvicorn's keepalive pings (as ever here).
    uv_config = uvicorn.Config(app, log_level="warning", lifespan="on",
                               **{**uvicorn_options(config), "ws_ping_interval": None})
    server = uvicorn.Server(uv_config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    srv = Server(url=f"http://127.0.0.1:{port}", app=app, config=config)
    try:
        yield srv
    finally:
        for client in srv.clients:
            await client.close()
        server.should_exit = True
        await task
        sock.close()


def unique(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{next(_counter)}-{uuid.uuid4().hex[:4]}"


async def make_tenant(server: Server, name: str = "org") -> dict[str, Any]:
    from chatserver.actions import accounts

    tenant = await accounts.create_tenant(server.services, unique(name).lower(), name)
    return {"id": tenant.id, "slug": tenant.slug}


async def make_user(
    server: Server, tenant: dict[str, Any], name: str, *, function: str = "Recruiter", role: str = "user",
    email: str = "", **kw: Any
) -> ChatClient:
    """A user created the way an administrator would, logged in through REST."""
    from chatserver.actions import accounts

    username = unique(name.split()[0].lower())
    await accounts.create_user(
        server.services, tenant["id"], username=username, password=PASSWORD,
        display_name=name, function=function, role=role, email=email,
    )
    client = await ChatClient.login(server.url, tenant["slug"], username, PASSWORD, **kw)
    server.clients.append(client)
    return client


async def rows_of_users(server: Any, user_ids: list[int]) -> dict[str, int]:
    """What the database holds of these users: accounts, stream events, messages sent."""
    async with server.services.read() as s:
        return {
            "users": await s.scalar(select(func.count()).where(User.id.in_(user_ids))),
            "events": await s.scalar(select(func.count()).where(UserEvent.user_id.in_(user_ids))),
            "messages": await s.scalar(select(func.count()).where(Message.sender_id.in_(user_ids))),
        }


async def befriend(a: ChatClient, b: ChatClient) -> None:
    """Make two users contacts through the public API (request, accept)."""
    req = await a.rest("POST", "/api/contact-requests", {"user_id": b.user["id"]})
    await b.rest("POST", f"/api/contact-requests/{req['id']}/accept")


async def two_contacts(server: Server, a: str = "Anna", b: str = "Bram",
                       **kw: Any) -> tuple[dict[str, Any], ChatClient, ChatClient]:
    """A new organisation with two users who are each other's contacts, logged in and
    not connected yet (``kw`` as for :func:`make_user`, for both)."""
    org = await make_tenant(server)
    first = await make_user(server, org, a, **kw)
    second = await make_user(server, org, b, **kw)
    await befriend(first, second)
    return org, first, second


@contextlib.asynccontextmanager
async def exact_events(expected: dict[ChatClient, list[str]]) -> AsyncIterator[dict[ChatClient, list[dict[str, Any]]]]:
    """Run the block's action and check the events each (connected) client got from it, in
    order: no more, no fewer (zulip's verify_action). A ping round trip before and after
    is the barrier: the events a node queued for a connection leave before the ping's ack.
    The sender's own chat.message rides on its ack and is not counted. Single node only."""
    got: dict[ChatClient, list[dict[str, Any]]] = {c: [] for c in expected}
    for client in expected:
        await client.request("ping")
        client.listeners.append(got[client].append)
    try:
        yield got
        for client in expected:
            await client.request("ping")
    finally:
        for client in expected:
            client.listeners.remove(got[client].append)
    for client, types in expected.items():
        seen = [f["type"] for f in got[client]]
        assert seen == types, f"{client.user.get('display_name') or client.user.get('name')}: {seen} != {types}"


async def wait_for(predicate: Any, timeout: float = 10.0, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


def serve_process(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``chatserver serve`` as its own process, as the Procfile runs it."""
    full_env = {**os.environ, **env}
    return subprocess.Popen(
        [sys.executable, "-m", "chatserver", "serve", "--port", str(port), "--log-level", "warning"],
        env=full_env,
    )


async def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as http:
        while True:
            try:
                r = await http.get(url + "/health")
                if r.status_code in (200, 503):
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not start")
            await asyncio.sleep(0.2)


async def close_code(url: str, **kwargs: Any) -> int | None:
    """Open a WebSocket and return the code the server closes it with (before any frame)."""
    async with websockets.connect(url, open_timeout=10, **kwargs) as ws:
        try:
            await ws.recv()
        except ConnectionClosed:
            return ws.close_code
        raise AssertionError("the server sent a frame instead of closing")


async def ws_hello(url: str, **kwargs: Any) -> dict[str, Any]:
    """Open a WebSocket and say hello: the ack's data, or how the server closed it
    instead ({"code", "reason"})."""
    async with websockets.connect(url, open_timeout=10, subprotocols=["chatserver.v1.json"], **kwargs) as ws:
        try:
            await ws.send('{"type": "hello", "id": "h1", "data": {}}')
            reply = json.loads(await ws.recv())
        except ConnectionClosed:
            return {"code": ws.close_code, "reason": ws.close_reason}
        assert reply["type"] == "ack", reply
        return dict(reply["data"])
