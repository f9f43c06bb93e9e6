"""Two ``chatserver serve`` processes sharing Redis and PostgreSQL (PL-3, IC-5, IC-6).

Every test here runs real processes: a private ``redis-server`` on a free port (never
the shared one), a private PostgreSQL database, and two nodes started the way the
Procfile starts them. Users on different nodes chat and see each other's presence;
a Redis restart mid-conversation loses nothing; a node killed with SIGKILL has its
users shown offline within 30 s, and they resume on the surviving node.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from chatserver.client import ChatClient
from tests.helpers import PASSWORD, befriend, free_port, serve_process, unique, wait_http, ws_hello

pytestmark = pytest.mark.multinode

PG_ADMIN_URL = os.environ.get("CHATSERVER_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
# Short, so a dead node's users go offline in seconds (ttl + one sweep), well inside 30 s.
NODE_TTL = "3"


# --- infrastructure: PostgreSQL, Redis, nodes ------------------------------------------


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "chatserver", *args],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, f"chatserver {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A private database, migrated once before any node starts (no alembic race)."""
    name = f"cs_mn_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        _cli({"CHATSERVER_DATABASE_URL": url}, "migrate")
        yield url
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class RedisServer:
    """A private redis-server that tests may kill and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while True:
            assert self.proc.poll() is None, "redis-server exited at start"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture(scope="module")
def org(pg_url: str) -> dict[str, str]:
    """A tenant and its key-user, made with the admin CLI as an operator would."""
    env = {"CHATSERVER_DATABASE_URL": pg_url}
    slug = unique("mn").lower()
    _cli(env, "create-tenant", slug, "--name", "Multinode")
    _cli(env, "create-user", slug, "admin", "--name", "Admin", "--password", PASSWORD, "--role", "key_user")
    return {"slug": slug, "admin": "admin"}


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


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


@pytest.fixture
async def cluster(pg_url: str, redis_server: RedisServer, org: dict[str, str]) -> AsyncIterator[Cluster]:
    ports = [free_port(), free_port()]
    run = uuid.uuid4().hex[:6]
    procs: list[subprocess.Popen[bytes]] = []
    cl = Cluster(urls=[f"http://127.0.0.1:{p}" for p in ports], procs=procs, slug=org["slug"])
    try:
        for i, port in enumerate(ports):
            procs.append(serve_process(port, {
                "CHATSERVER_DATABASE_URL": pg_url,
                "CHATSERVER_REDIS_URL": redis_server.url,
                "CHATSERVER_NODE_TTL_SECONDS": NODE_TTL,
                "CHATSERVER_NODE_ID": f"mn{i + 1}-{run}",
                "CHATSERVER_RATE_PER_SECOND": "1000",
                "CHATSERVER_RATE_BURST": "2000",
                "CHATSERVER_DEMO": "",
            }))
        for url in cl.urls:
            await wait_http(url, timeout=60)
        cl.admin = cl.track(await ChatClient.login(cl.urls[0], org["slug"], org["admin"], PASSWORD))
        yield cl
    finally:
        for client in cl.clients:
            await client.close()
        for proc in procs:
            _stop(proc)
        # A test that stopped Redis must not leave it down for the next one.
        if redis_server.proc is None:
            redis_server.start()


# --- helpers -----------------------------------------------------------------------------


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


# --- tests -------------------------------------------------------------------------------


async def test_users_on_different_nodes_chat_and_see_presence(cluster: Cluster) -> None:
    anna, bram = await connected_pair(cluster)

    # Both directions, across the bus.
    await anna.send_message(bram.user["id"], "Hallo Bram, from node 1")
    assert await bodies_from(bram, anna, 1, timeout=10) == ["Hallo Bram, from node 1"]
    await bram.send_message(anna.user["id"], "Hoi Anna, from node 2")
    assert await bodies_from(anna, bram, 1, timeout=10) == ["Hoi Anna, from node 2"]

    # A status change on node 1 is seen live on node 2, and by REST there.
    await anna.set_status("away")
    await presence_seen(bram, anna, "away")
    assert await contact_status(bram, anna) == "away"
    await bram.set_status("dnd")
    await presence_seen(anna, bram, "dnd")
    assert await contact_status(anna, bram) == "dnd"

    # A second device of Anna's on node 2: presence is the combination of both.
    tab = cluster.track(ChatClient(cluster.urls[1], anna.token))
    tab.user = anna.user
    await tab.connect()
    await anna.close()
    await anna.connect()  # back on node 1; Anna never went offline in between
    await tab.close()
    await anna.set_status("online")
    seen: list[str] = []
    async with asyncio.timeout(15):
        while not seen or seen[-1] != "online":
            ev = await bram.next_event("presence.changed")
            if ev["data"]["user_id"] == anna.user["id"]:
                seen.append(ev["data"]["status"])
    assert seen == ["online"], "moving between tabs on two nodes must not show Anna offline"
    assert await contact_status(bram, anna) == "online"


async def test_logout_on_one_node_closes_the_tokens_sockets_on_the_other(cluster: Cluster) -> None:
    anna, bram = await connected_pair(cluster)
    # The same token's second tab, on node 2; another login of Anna's stays open there.
    tab = cluster.track(ChatClient(cluster.urls[1], anna.token))
    tab.user = anna.user
    await tab.connect()
    other_login = cluster.track(await ChatClient.login(cluster.urls[1], cluster.slug, anna.user["username"], PASSWORD))
    await other_login.connect()

    await anna.rest("POST", "/api/auth/logout")  # on node 1
    closed = await tab.next_event("_closed", timeout=10)
    assert closed["data"]["code"] == 4009  # logged out, on the node that did not see the request
    assert (await anna.next_event("_closed", timeout=10))["data"]["code"] == 4009
    # Nothing more is sent with that token, on any node; the other login goes on.
    with pytest.raises(Exception):  # noqa: B017 - closed, or refused on reconnect: never acked
        await asyncio.wait_for(tab.send_message(bram.user["id"], "after logout"), 5)
    await other_login.send_message(bram.user["id"], "still here")
    assert await bodies_from(bram, anna, 1, timeout=10) == ["still here"]


async def test_a_ticket_given_on_one_node_opens_a_socket_on_the_other_once(cluster: Cluster) -> None:
    anna = await cluster.user(0, "Anna")
    ticket = (await anna.rest("POST", "/api/ws/ticket"))["ticket"]  # asked of node 1
    on = [url.replace("http", "ws", 1) + f"/ws?ticket={ticket}" for url in cluster.urls]
    assert "epoch" in await ws_hello(on[1])  # opened on node 2
    # Used on node 2: refused there and on node 1 alike.
    for url in (on[0], on[1]):
        assert await ws_hello(url) == {"code": 4002, "reason": "this ticket was used already; fetch a new one"}


async def test_a_cookie_session_ended_on_one_node_stops_at_once_on_the_other(cluster: Cluster) -> None:
    """The web session's cookie (docs/security.md, "Web session") is its login token: a
    logout on node 1 closes the socket it opened on node 2, and node 2 refuses the cookie."""
    anna = await cluster.user(0, "Anna")
    origin = list(cluster.urls)
    async with httpx.AsyncClient(timeout=30) as http:
        r = await http.post(origin[0] + "/api/auth/login", headers={"Origin": origin[0]}, json={
            "tenant": cluster.slug, "username": anna.user["username"], "password": PASSWORD, "session": "cookie"})
        assert r.status_code == 200 and "token" not in r.json()
        cookie = {"Cookie": r.headers["set-cookie"].split(";")[0]}
        proof = {"X-CSRF-Token": r.json()["csrf_token"]}
        # Node 2 knows the session too: a ticket asked there opens a socket there.
        r = await http.post(origin[1] + "/api/ws/ticket", headers={**cookie, **proof, "Origin": origin[1]})
        assert r.status_code == 200
        url = origin[1].replace("http", "ws", 1) + f"/ws?ticket={r.json()['ticket']}"
        async with websockets.connect(url, subprotocols=["chatserver.v1.json"]) as ws:
            await ws.send('{"type": "hello", "id": "h1", "data": {}}')
            assert '"ack"' in await ws.recv()
            r = await http.post(origin[0] + "/api/auth/logout", headers={**cookie, **proof, "Origin": origin[0]})
            assert r.status_code == 200
            async with asyncio.timeout(10):
                with contextlib.suppress(ConnectionClosed):
                    while True:
                        await ws.recv()
            assert ws.close_code == 4009
        assert (await http.get(origin[1] + "/api/me", headers=cookie)).status_code == 401
        r = await http.post(origin[1] + "/api/ws/ticket", headers={**cookie, **proof, "Origin": origin[1]})
        assert r.status_code == 401


async def test_a_video_call_signals_between_members_on_different_nodes(cluster: Cluster) -> None:
    anna, bram = await connected_pair(cluster)
    room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
    assert (await bram.next_event("video.ring", timeout=10))["data"]["room"]["token"] == room["token"]
    a = await anna.request("video.join", {"room": room["token"]})  # on node 1
    b = await bram.request("video.join", {"room": room["token"]})  # on node 2
    assert (await anna.next_event("video.joined", timeout=10))["data"]["participant"]["id"] == b["participant"]["id"]
    sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    await bram.request("video.signal", {"to": a["participant"]["id"], "kind": "offer", "sdp": sdp})
    got = await anna.next_event("video.signal", timeout=10)
    assert got["data"]["from"] == b["participant"]["id"] and got["data"]["sdp"] == sdp
    # Addressed to one connection: Bram's other tab on node 1 hears none of the call.
    tab = cluster.track(ChatClient(cluster.urls[0], bram.token))
    tab.user = bram.user
    await tab.connect()
    await anna.request("video.signal", {"to": b["participant"]["id"], "kind": "answer", "sdp": sdp})
    assert (await bram.next_event("video.signal", timeout=10))["data"]["kind"] == "answer"
    with pytest.raises(TimeoutError):
        await tab.next_event("video.signal", timeout=1)


async def test_redis_restart_mid_conversation_loses_nothing(cluster: Cluster, redis_server: RedisServer) -> None:
    anna, bram = await connected_pair(cluster)
    to_bram: list[str] = []
    to_anna: list[str] = []

    async def exchange(tag: str, n: int) -> None:
        for i in range(n):
            body = f"{tag} {i}"
            await anna.send_message(bram.user["id"], body)
            to_bram.append(body)
            await bram.send_message(anna.user["id"], "re: " + body)
            to_anna.append("re: " + body)

    await exchange("before", 3)
    redis_server.kill()
    # Redis is down: sending still works (stored, delivered on the sender's node).
    await exchange("during", 5)
    redis_server.start()
    await exchange("after", 3)

    # Everything arrives on the other node, once, in order (the client drops repeats by seq).
    assert await bodies_from(bram, anna, len(to_bram), timeout=30) == to_bram
    assert await bodies_from(anna, bram, len(to_anna), timeout=30) == to_anna
    # Nothing stored twice: the next message from each is the one sent next.
    await anna.send_message(bram.user["id"], "last")
    assert await bodies_from(bram, anna, 1, timeout=10) == ["last"]
    await bram.send_message(anna.user["id"], "re: last")
    assert await bodies_from(anna, bram, 1, timeout=10) == ["re: last"]

    # Presence still works: Redis lost every key, the nodes wrote theirs again.
    for url in cluster.urls:
        await bus_connected(url)
    await until_status(anna, bram, "online")
    await until_status(bram, anna, "online")
    await bram.set_status("away")
    await presence_seen(anna, bram, "away")
    assert await contact_status(anna, bram) == "away"
    await anna.set_status("dnd")
    await presence_seen(bram, anna, "dnd")
    assert await contact_status(bram, anna) == "dnd"


async def test_killed_node_users_go_offline_and_resume_on_the_other_node(cluster: Cluster) -> None:
    anna, bram = await connected_pair(cluster)
    await bram.send_message(anna.user["id"], "before the crash")
    assert await bodies_from(anna, bram, 1, timeout=10) == ["before the crash"]
    last_seq, epoch = anna.last_seq, anna.epoch
    assert last_seq is not None

    killed_at = time.monotonic()
    cluster.procs[0].send_signal(signal.SIGKILL)
    cluster.procs[0].wait(timeout=10)
    await anna.next_event("_closed", timeout=10)

    # Bram writes while Anna is away: stored for her.
    await bram.send_message(anna.user["id"], "while you were away")

    # Node 1 stopped heartbeating: node 2's sweeper tells Bram Anna is offline, within 30 s.
    await presence_seen(bram, anna, "offline", timeout=30)
    assert time.monotonic() - killed_at < 30
    assert await contact_status(bram, anna) == "offline"

    # Anna's app reconnects to the surviving node with her last seq: nothing lost.
    again = cluster.track(ChatClient(cluster.urls[1], anna.token))
    again.user = anna.user
    again.last_seq, again.epoch = last_seq, epoch
    hello = await again.connect()
    assert hello["resumed"] is True and hello["missed"] >= 1
    assert await bodies_from(again, bram, 1, timeout=10) == ["while you were away"]
    await presence_seen(bram, anna, "online")
    assert await contact_status(bram, anna) == "online"

    # And she chats on from node 2.
    await again.send_message(bram.user["id"], "back, on node 2")
    assert await bodies_from(bram, again, 1, timeout=10) == ["back, on node 2"]
    await bram.send_message(anna.user["id"], "welcome back")
    assert await bodies_from(again, bram, 1, timeout=10) == ["welcome back"]


async def test_stalled_node_taken_for_dead_comes_back(cluster: Cluster) -> None:
    """A node that only stalled past the ttl (SIGSTOP) is swept, then repairs itself."""
    anna, bram = await connected_pair(cluster)
    node1 = cluster.procs[0]
    node1.send_signal(signal.SIGSTOP)
    try:
        await presence_seen(bram, anna, "offline", timeout=30)
        assert await contact_status(bram, anna) == "offline"
        await bram.send_message(anna.user["id"], "are you there?")
    finally:
        node1.send_signal(signal.SIGCONT)

    # Node 1 wakes, finds its entries swept, writes them again and says Anna is back.
    await presence_seen(bram, anna, "online", timeout=15)
    assert await contact_status(bram, anna) == "online"
    assert await bodies_from(anna, bram, 1, timeout=10) == ["are you there?"]
    await anna.send_message(bram.user["id"], "yes, I was only slow")
    assert await bodies_from(bram, anna, 1, timeout=10) == ["yes, I was only slow"]
    await anna.set_status("away")
    await presence_seen(bram, anna, "away")
