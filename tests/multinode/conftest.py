"""Two ``chatserver serve`` processes sharing Redis and PostgreSQL (PL-3, IC-5, IC-6): the
cluster every test here runs on.

Every test in this folder runs real processes: a private ``redis-server`` on a free port
(never the shared one), a private PostgreSQL database, and two nodes started the way the
Procfile starts them. The database, Redis and the organisation are made once for the
folder (scope "package"); each test gets two fresh nodes.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from chatserver.client import ChatClient
from tests.helpers import PASSWORD, free_port, serve_process, unique, wait_http
from tests.multinode.helpers import Cluster
from tests.redis_server import RedisServer

PG_ADMIN_URL = os.environ.get("CHATSERVER_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
# Short, so a dead node's users go offline in seconds (ttl + one sweep), well inside 30 s.
NODE_TTL = "3"


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


@pytest.fixture(scope="package")
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


@pytest.fixture(scope="package")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer.running() as server:
        yield server


@pytest.fixture(scope="package")
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
