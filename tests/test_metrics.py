"""/metrics of a real server: what a send, a replay and a failed login move, and who may scrape it."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import time
from pathlib import Path

import httpx
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

import chatserver.metrics  # noqa: F401 - registers the hub's metrics
import sms.metrics  # noqa: F401 - and SMS's
from chatserver.client import ChatClient
from tests.helpers import free_port, running_server, two_contacts, wait_for
from tests.redis_server import RedisServer
from tests.sms.dispatch.helpers import worker_process

TOKEN = "scrape-token-for-tests"


async def _scrape(url: str, token: str = TOKEN) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the scrape: (name, sorted labels) -> value."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        r = await http.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(r.text) for s in family.samples}


def _value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_a_send_a_replay_and_a_failed_login_move_the_counters(config):
    async with running_server(dataclasses.replace(config, metrics_token=TOKEN)) as server:
        _, anna, bram = await two_contacts(server)
        await anna.connect()
        before = await _scrape(server.url)
        assert _value(before, "chatserver_connections") == 1

        await bram.connect()
        await anna.send_message(bram.user["id"], "Hoi Bram!")
        await bram.next_event("chat.message")
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            r = await http.post("/api/auth/login", json={"tenant": "nope", "username": "x", "password": "wrong"})
            assert r.status_code == 401
        # Bram's page comes back after a message he missed: hello resumes, it is replayed.
        last_seq, epoch = bram.last_seq, bram.epoch
        await bram.close()
        await anna.send_message(bram.user["id"], "Ben je er nog?")
        again = ChatClient(server.url, bram.token)
        server.clients.append(again)
        again.last_seq, again.epoch = last_seq, epoch
        assert (await again.connect())["resumed"] is True
        replayed = await again.next_event("chat.message")
        assert replayed.get("replay") is True

        after = await _scrape(server.url)
    assert _value(after, "chatserver_connections") == 2  # Anna and Bram's page again
    assert _value(after, "chatserver_messages_stored_total") - _value(before, "chatserver_messages_stored_total") >= 2
    assert _value(after, "chatserver_frames_received_total") - _value(before, "chatserver_frames_received_total") >= 4
    assert _value(after, "chatserver_frames_sent_total") - _value(before, "chatserver_frames_sent_total") >= 5
    assert _value(after, "chatserver_replayed_events_total") > _value(before, "chatserver_replayed_events_total")
    assert _value(after, "chatserver_hellos_total", outcome="resumed") > _value(
        before, "chatserver_hellos_total", outcome="resumed")
    assert (_value(after, "chatserver_login_failures_total", reason="bad_credentials")
            - _value(before, "chatserver_login_failures_total", reason="bad_credentials")) == 1
    sends = ("chatserver_batch_size_count", (("batcher", "chat-send-batcher"),))
    assert after[sends] - before.get(sends, 0.0) >= 2
    commit = ("chatserver_batch_duration_seconds_sum", (("batcher", "chat-send-batcher"),))
    assert after[commit] > before.get(commit, 0.0)
    commits = ("chatserver_send_commit_duration_seconds_count", ())
    assert after[commits] - before.get(commits, 0.0) >= 2
    assert after[("chatserver_send_commit_duration_seconds_sum", ())] > before.get(
        ("chatserver_send_commit_duration_seconds_sum", ()), 0.0)
    for state in ("pending", "submitting", "unknown"):
        assert ("chatserver_sms_outbox", (("state", state),)) in after
    assert ("chatserver_bus_lag_seconds", ()) in after


def _later_than(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], seconds: str) -> float:
    """How many lag observations were later than ``seconds`` (a bucket's bound)."""
    return (_value(samples, "chatserver_event_loop_lag_seconds_count")
            - _value(samples, "chatserver_event_loop_lag_seconds_bucket", le=seconds))


async def test_the_event_loop_lag_shows_a_loop_blocked_on_purpose(config):
    async with running_server(dataclasses.replace(config, metrics_token=TOKEN)) as server:
        before = await _scrape(server.url)
        # The server runs on this test's loop: a blocking sleep here blocks it. Its timer,
        # due every 0.25 s, falls due in the first 0.25 s of the block: it runs at least
        # 0.35 s late.
        time.sleep(0.6)
        await asyncio.sleep(0.05)  # its late turn, now that the loop runs again
        after = await _scrape(server.url)
    assert _later_than(after, "0.25") - _later_than(before, "0.25") >= 1
    assert (_value(after, "chatserver_event_loop_lag_seconds_sum")
            - _value(before, "chatserver_event_loop_lag_seconds_sum")) >= 0.3


async def test_metrics_are_refused_without_the_token_and_off_by_default(config):
    async with running_server(dataclasses.replace(config, metrics_token=TOKEN)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
                r = await http.get("/metrics", headers=headers)
                assert r.status_code == 401, headers
                assert r.headers["WWW-Authenticate"] == "Bearer"
                assert "chatserver_" not in r.text
            # The login's token is not the scraper's.
            _, anna, _ = await two_contacts(server)
            r = await http.get("/metrics", headers={"Authorization": f"Bearer {anna.token}"})
            assert r.status_code == 401
    async with running_server(config) as server, httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        # Neither a token nor an address set: nobody, not even loopback.
        assert (await http.get("/metrics")).status_code == 403


async def test_an_allowed_address_scrapes_without_a_token_unless_a_proxy_forwarded_it(config):
    async with running_server(dataclasses.replace(config, metrics_allow=("127.0.0.0/8",))) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            r = await http.get("/metrics")
            assert r.status_code == 200
            assert "chatserver_frames_sent_total" in r.text
            # A reverse proxy on this host: the request looks local but came from anywhere.
            for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
                assert (await http.get("/metrics", headers={header: "203.0.113.9"})).status_code == 403
    async with running_server(dataclasses.replace(config, metrics_allow=("10.0.0.0/8",))) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            assert (await http.get("/metrics")).status_code == 403


async def test_bus_lag_and_reconnects_follow_a_redis_outage(config):
    # A private one on a free port: the shared 6379 is never stopped.
    with RedisServer.running() as redis:
        async with running_server(dataclasses.replace(config, metrics_token=TOKEN, redis_url=redis.url)) as server:
            async def lag() -> float:
                return _value(await _scrape(server.url), "chatserver_bus_lag_seconds")

            # The first probe went round in well under a second.
            await wait_for(lambda: server.services.bus.health()["lag_seconds"] > 0, timeout=10)
            assert 0 < await lag() < 0.5
            reconnects = _value(await _scrape(server.url), "chatserver_bus_reconnects_total")
            redis.kill()
            await asyncio.sleep(2.5)
            assert await lag() >= 1.5  # unanswered since Redis went
            redis.start()
            await wait_for(lambda: server.services.bus.health()["lag_seconds"] < 0.5, timeout=15)
            assert await lag() < 0.5
            assert _value(await _scrape(server.url), "chatserver_bus_reconnects_total") > reconnects


def test_the_grafana_dashboard_graphs_only_metrics_the_server_exports():
    exported: set[str] = set()
    for family in REGISTRY.collect():
        suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count")}.get(family.type, ("",))
        exported |= {family.name + s for s in suffixes}
    dashboard = json.loads((Path(__file__).parent.parent / "docs" / "grafana-dashboard.json").read_text())
    used = {name for panel in dashboard["panels"] for target in panel["targets"]
            for name in re.findall(r"\b((?:chatserver|process)_[a-z_]+)\b", target["expr"])}
    assert {"chatserver_connections", "chatserver_bus_lag_seconds", "chatserver_sms_outbox"} <= used
    assert used - exported == set()


async def test_the_sms_worker_answers_metrics_on_its_own_port_to_its_scraper_only(config):
    port = free_port()
    worker = worker_process({"CHATSERVER_DATABASE_URL": config.database_url, "CHATSERVER_METRICS_PORT": str(port),
                             "CHATSERVER_METRICS_TOKEN": TOKEN, "CHATSERVER_REDIS_URL": ""})
    url = f"http://127.0.0.1:{port}"
    try:
        async def up() -> bool:
            try:
                async with httpx.AsyncClient(base_url=url, timeout=5) as http:
                    await http.get("/metrics")
                return True
            except httpx.TransportError:
                return False

        await wait_for(up, timeout=30, interval=0.2)
        samples = await _scrape(url)
        for state in ("pending", "submitting", "unknown"):
            assert ("chatserver_sms_outbox", (("state", state),)) in samples

        async def lag_observed() -> bool:  # its own loop's, every 0.25 s
            return _value(await _scrape(url), "chatserver_event_loop_lag_seconds_count") >= 1

        await wait_for(lag_observed, timeout=10, interval=0.2)
        async with httpx.AsyncClient(base_url=url, timeout=5) as http:
            refused = await http.get("/metrics", headers={"Authorization": "Bearer wrong"})
            assert refused.status_code == 401 and "chatserver_" not in refused.text
            assert (await http.get("/")).status_code == 404
    finally:
        worker.terminate()
        assert worker.wait(timeout=30) == 0
