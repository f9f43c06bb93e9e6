"""The multinode tests' cluster (two nodes, their users) and what they wait for: a presence
seen, a status shown, messages from a sender, the bus back after a Redis restart."""

from __future__ import annotations

import asyncio
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from chatserver.client import ChatClient
from tests.helpers import PASSWORD, befriend, unique


@dataclass
class Cluster:
    urls: list[str]
    procs: list[subprocess.Popen[bytes]]
    slug: str
    admin: ChatClient | None = None
    clients: list[ChatClient] = field(default_factory=list)

    async def user(self, node: int, name: str, **kw: Any) -> ChatClient:
        """A user created by the key-user over REST, logged in on ``node``."""
        assert self.admin is not None
        username = unique(name.lower())
        await self.admin.rest("POST", "/api/users", {"username": username, "password": PASSWORD, "name": name})
        client = await ChatClient.login(self.urls[node], self.slug, username, PASSWORD, **kw)
        self.clients.append(client)
        return client

    def track(self, client: ChatClient) -> ChatClient:
        self.clients.append(client)
        return client


async def presence_seen(viewer: ChatClient, user: ChatClient, status: str, *, timeout: float = 15) -> dict[str, Any]:
    """The next presence.changed event saying ``user`` is now ``status``."""
    async with asyncio.timeout(timeout):
        while True:
            ev = await viewer.next_event("presence.changed", timeout=timeout)
            if ev["data"]["user_id"] == user.user["id"] and ev["data"]["status"] == status:
                return ev


async def contact_status(viewer: ChatClient, user: ChatClient) -> str:
    contacts = (await viewer.rest("GET", "/api/contacts"))["contacts"]
    return str(next(c["status"] for c in contacts if c["id"] == user.user["id"]))


async def until_status(viewer: ChatClient, user: ChatClient, status: str, *, timeout: float = 15) -> None:
    """Poll GET /api/contacts (bounded) until ``user`` shows as ``status``."""
    deadline = time.monotonic() + timeout
    while (seen := await contact_status(viewer, user)) != status:
        assert time.monotonic() < deadline, f"user {user.user['id']} still {seen}, expected {status}"
        await asyncio.sleep(0.1)


async def bodies_from(client: ChatClient, sender: ChatClient, count: int, *, timeout: float) -> list[str]:
    """The bodies of the next ``count`` chat messages ``sender`` sent to ``client``."""
    out: list[str] = []
    async with asyncio.timeout(timeout):
        while len(out) < count:
            ev = await client.next_event("chat.message", timeout=timeout)
            if ev["data"]["message"]["sender_id"] == sender.user["id"]:
                out.append(ev["data"]["message"]["body"])
    return out


async def connected_pair(cl: Cluster, **kw: Any) -> tuple[ChatClient, ChatClient]:
    """Anna on node 1 and Bram on node 2, contacts, connected, each having seen the other online."""
    anna = await cl.user(0, "Anna", **kw)
    bram = await cl.user(1, "Bram", **kw)
    await befriend(anna, bram)
    await anna.connect()
    await bram.connect()
    await presence_seen(anna, bram, "online")
    await until_status(bram, anna, "online")
    return anna, bram


async def bus_connected(url: str, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=5) as http:
        while True:
            try:
                if (await http.get(url + "/health")).json()["bus"]["connected"]:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"{url} did not reconnect to Redis"
            await asyncio.sleep(0.1)
