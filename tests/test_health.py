"""/health/live and /health/ready: a node whose Redis is down stays ready, and says it is degraded."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import httpx

from chatserver.config import Config
from tests.helpers import running_server
from tests.redis_server import RedisServer


async def _ready_status(http: httpx.AsyncClient, status: str, timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        r = await http.get("/health/ready")
        if r.json()["status"] == status:
            return r
        assert time.monotonic() < deadline, f"readiness stayed {r.json()['status']}, expected {status}"
        await asyncio.sleep(0.1)


async def test_readiness_stays_up_but_degraded_while_redis_is_down(config: Config) -> None:
    # A private one on a free port: the shared 6379 is never stopped.
    with RedisServer.running() as redis:
        async with running_server(replace(config, redis_url=redis.url)) as server, \
                httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            live = await http.get("/health/live")
            assert live.status_code == 200 and live.json()["status"] == "alive"
            ok = await _ready_status(http, "ok")
            assert ok.status_code == 200 and ok.json()["problems"] == [] and ok.json()["database"] == {"ok": True}

            redis.kill()
            down = await _ready_status(http, "degraded")
            assert down.status_code == 200
            assert down.json()["bus"]["connected"] is False
            assert down.json()["problems"] == [
                "bus not connected: delivery to other nodes and their presence are delayed"]
            legacy = await http.get("/health")  # what load balancers already poll: no longer 503
            assert legacy.status_code == 200 and legacy.json()["status"] == "degraded"
            assert (await http.get("/health/live")).status_code == 200

            redis.start()
            back = await _ready_status(http, "ok")
            assert back.status_code == 200 and back.json()["bus"]["connected"] is True
