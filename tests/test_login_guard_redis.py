"""The login throttle shared by two nodes through real Redis: a guesser spreading tries over
the nodes gets one budget, not one per node; with Redis down each node throttles alone."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest

from chatserver.clock import FakeClock
from tests.helpers import PASSWORD, make_tenant, make_user, running_server
from tests.redis_server import RedisServer


async def _login(url: str, tenant: str, username: str, password: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        return await http.post("/api/auth/login", json={"tenant": tenant, "username": username, "password": password})


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    """A private redis-server: counts of 127.0.0.1 left in a shared one by other runs stay out."""
    with RedisServer.running() as server:
        yield server


async def test_two_nodes_throttle_one_account_together(config, redis):
    clock = FakeClock()  # the nodes' shared wall clock
    shared = dataclasses.replace(config, redis_url=redis.url)
    async with running_server(shared, clock=clock) as a, running_server(shared, clock=clock) as b:
        org = await make_tenant(a)
        anna = await make_user(a, org, "Anna")
        name = anna.user["username"]
        # Five free failures, spread over both nodes.
        for node in (a, b, a, b, a):
            assert (await _login(node.url, org["slug"], name, "wrong")).status_code == 401
        for node in (a, b):  # each node counted the other's: the sixth waits on both
            r = await _login(node.url, org["slug"], name, "wrong")
            assert (r.status_code, r.headers["Retry-After"]) == (429, "1"), r.text
        clock.advance(1)
        assert (await _login(b.url, org["slug"], name, "wrong")).status_code == 401
        r = await _login(a.url, org["slug"], name, PASSWORD)
        assert (r.status_code, r.headers["Retry-After"]) == (429, "2")  # doubled, by B's failure
        clock.advance(2)
        assert (await _login(a.url, org["slug"], name, PASSWORD)).status_code == 200
        # The success on A cleared the account for B too: its next failures are free again.
        for _ in range(5):
            assert (await _login(b.url, org["slug"], name, "wrong")).status_code == 401


async def test_with_redis_down_each_node_still_throttles_on_its_own(config, redis):
    async with running_server(dataclasses.replace(config, redis_url=redis.url), clock=FakeClock()) as node:
        org = await make_tenant(node)
        anna = await make_user(node, org, "Anna")
        name = anna.user["username"]
        assert (await _login(node.url, org["slug"], name, "wrong")).status_code == 401  # counted in Redis
        redis.kill()
        for _ in range(5):
            assert (await _login(node.url, org["slug"], name, "wrong")).status_code == 401
        r = await _login(node.url, org["slug"], name, "wrong")
        assert (r.status_code, r.headers["Retry-After"]) == (429, "1")
