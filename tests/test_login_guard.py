"""Login throttling over real REST calls (per account, per address, a growing delay, 429 +
Retry-After) and argon2 verified off the event loop while another user's socket is served."""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from chatserver.clock import FakeClock
from chatserver.config import Config
from chatserver.db.models import User
from tests.helpers import PASSWORD, Server, make_tenant, make_user, running_server


async def _login(http: httpx.AsyncClient, tenant: str, username: str, password: str) -> httpx.Response:
    return await http.post("/api/auth/login", json={"tenant": tenant, "username": username, "password": password})


async def test_failed_logins_on_one_account_wait_longer_each_time_then_a_success_clears(config):
    clock = FakeClock()
    async with running_server(config, clock=clock) as server:
        org = await make_tenant(server)
        anna = await make_user(server, org, "Anna")
        name = anna.user["username"]
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            for _ in range(5):  # free
                assert (await _login(http, org["slug"], name, "wrong")).status_code == 401
            r = await _login(http, org["slug"], name, "wrong")
            assert r.status_code == 429, r.text
            assert r.headers["Retry-After"] == "1"
            assert r.json()["error"]["code"] == "too_many_logins"
            # The right password waits too: the guesser cannot tell it was right.
            assert (await _login(http, org["slug"], name, PASSWORD)).status_code == 429
            clock.advance(1)
            assert (await _login(http, org["slug"], name, "wrong")).status_code == 401
            r = await _login(http, org["slug"], name, "wrong")
            assert (r.status_code, r.headers["Retry-After"]) == (429, "2")  # doubled
            clock.advance(2)
            assert (await _login(http, org["slug"], name, "wrong")).status_code == 401
            assert (await _login(http, org["slug"], name, "wrong")).headers["Retry-After"] == "4"
            # Another account from the same address is not held up by this one.
            bram = await make_user(server, org, "Bram")
            assert (await _login(http, org["slug"], bram.user["username"], PASSWORD)).status_code == 200
            clock.advance(4)
            assert (await _login(http, org["slug"], name, PASSWORD)).status_code == 200
            # A success clears the account's count: the next failure is free again.
            assert (await _login(http, org["slug"], name, "wrong")).status_code == 401
            assert (await _login(http, org["slug"], name, "wrong")).status_code == 401


async def test_one_address_guessing_across_accounts_is_throttled(config):
    clock = FakeClock()
    async with running_server(config, clock=clock) as server:
        org = await make_tenant(server)
        anna = await make_user(server, org, "Anna")
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            for i in range(20):
                assert (await _login(http, org["slug"], f"guess{i}", "wrong")).status_code == 401
            r = await _login(http, org["slug"], "guess-next", "wrong")
            assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
            assert (await _login(http, org["slug"], anna.user["username"], PASSWORD)).status_code == 429
            clock.advance(int(r.headers["Retry-After"]))
            assert (await _login(http, org["slug"], anna.user["username"], PASSWORD)).status_code == 200


@pytest.fixture
async def standard_server(config: Config) -> AsyncIterator[Server]:
    """A server hashing at the deployed cost (the suite's own servers hash at the cheapest):
    these tests are about what argon2's real cost does."""
    async with running_server(replace(config, password_hashing="standard")) as srv:
        yield srv


async def test_a_deployment_hashes_at_argon2s_standard_cost(standard_server: Server) -> None:
    assert Config.from_env().password_hashing == "standard"  # no variable can lower it
    org = await make_tenant(standard_server)
    anna = await make_user(standard_server, org, "Anna")
    async with standard_server.services.sessions() as session:
        stored = (await session.execute(select(User.password_hash).where(User.id == anna.user["id"]))).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), stored


async def test_passwords_are_verified_in_the_password_threads_while_the_loop_serves_others(standard_server):
    server = standard_server
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    await bram.connect()
    # What one verification costs on this machine now.
    hasher = PasswordHasher()
    digest = hasher.hash("x" * 12)
    start = time.perf_counter()
    hasher.verify(digest, "x" * 12)
    one = time.perf_counter() - start

    loop_threads: set[str] = set()
    gaps: list[float] = []
    stop = asyncio.Event()

    async def probe() -> None:  # how long the loop goes without running this task
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0)
            loop_threads.add(threading.current_thread().name)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    pings: list[float] = []

    async def ping() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            assert await bram.request("ping") == {"pong": True}
            pings.append(time.perf_counter() - t)
            # Paced (200 a second at most): back to back, a free loop answered over the
            # connection's rate limit and the pings were refused, not measured.
            await asyncio.sleep(0.005)

    n = 12
    tasks = [asyncio.create_task(probe()), asyncio.create_task(ping())]
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        results = await asyncio.gather(*(_login(http, org["slug"], anna.user["username"], "wrong" if i % 2 else PASSWORD)
                                         for i in range(n)))
    stop.set()
    await asyncio.gather(*tasks)
    assert sorted(r.status_code for r in results) == [200] * (n // 2) + [401] * (n // 2)
    # The verifications ran in the password threads, not in the loop's.
    assert any(t.name.startswith("password") for t in threading.enumerate())
    assert not any(name.startswith("password") for name in loop_threads)
    # Generous: on the loop, the n verifications would have stopped it n * one in all,
    # in steps of about `one` each. Off it, the loop's long steps add up to far less.
    blocked = sum(g for g in gaps if g >= one / 2)
    assert blocked < n * one / 2, (blocked, n * one, one)
    assert pings and statistics.median(pings) < n * one / 2, (statistics.median(pings), one)
