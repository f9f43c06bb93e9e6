"""The load generator's connections and message bookkeeping, which every scenario
(bench/loadgen.py) drives: clients by user index, sends with their times, deliveries and
latencies by client id, an open-loop pump and a bounded drain."""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from typing import Any

from bench.clients import KINDS, Client
from bench.measure import cpu_seconds, now


class Run:
    def __init__(self, job: dict[str, Any]) -> None:
        self.job = job
        self.kind = job["kind"]
        self.users: list[list[Any]] = job["users"]
        self.nodes: list[str] = job["nodes"]
        self.cls = KINDS[self.kind]
        self._cids = itertools.count(1)
        # Message bookkeeping: cid -> (send time, recipient uid); deliveries per cid.
        self.sent: dict[str, tuple[float, int]] = {}
        self.acked: set[str] = set()
        self.delivered: dict[str, int] = defaultdict(int)
        self.latency: dict[str, float] = {}
        self.when: dict[str, float] = {}

    def client(self, idx: int, node: int = 0) -> Client:
        uid, token = self.users[idx]
        c = self.cls(self.nodes[node], idx, uid, token)
        c.on_msg = self.on_msg
        c.on_ack = self.on_ack
        return c

    def on_msg(self, c: Client, from_uid: int, cid: str, body: str) -> None:
        t = now()
        self.delivered[cid] += 1
        self.when[cid] = t
        info = self.sent.get(cid)
        if info is not None and cid not in self.latency:
            self.latency[cid] = t - info[0]

    def on_ack(self, c: Client, cid: str | None) -> None:
        if cid is not None and cid in self.sent:
            self.acked.add(cid)

    async def connect_all(self, clients: list[Client], concurrency: int = 200, timeout: float = 120) -> int:
        sem = asyncio.Semaphore(concurrency)

        async def one(c: Client) -> bool:
            async with sem:
                try:
                    await c.connect()
                    return True
                except Exception:  # noqa: BLE001 - counted as not reached
                    return False

        done = await asyncio.wait_for(asyncio.gather(*(one(c) for c in clients)), timeout)
        return sum(done)

    async def send(self, c: Client, to: int) -> str:
        cid = f"m{next(self._cids)}"
        self.sent[cid] = (now(), to)
        await c.send(to, cid, cid)
        return cid

    async def pump(self, senders: list[tuple[Client, int]], rate: float, seconds: float,
                   outbox: dict[int, list[str]] | None = None) -> int:
        """Open loop: ``rate`` messages a second for ``seconds`` over the (client, to) pairs."""
        tick = 0.01
        start = now()
        n = 0
        pairs = itertools.cycle(senders)
        while True:
            elapsed = now() - start
            if elapsed >= seconds:
                return n
            due = int(elapsed * rate) - n
            for _ in range(min(due, 10000)):
                c, to = next(pairs)
                if outbox is not None and not c.connected:
                    cid = f"m{next(self._cids)}"
                    self.sent[cid] = (now(), to)
                    outbox[c.idx].append(cid)
                else:
                    try:
                        await self.send(c, to)
                    except Exception:  # noqa: BLE001 - dropped mid-send: resent later
                        pass
                n += 1
            await asyncio.sleep(tick)

    async def drain(self, cids: list[str], timeout: float) -> float:
        """Wait until every message in ``cids`` arrived (or the timeout); returns when the last did."""
        deadline = now() + timeout
        while now() < deadline:
            if all(c in self.delivered for c in cids):
                break
            await asyncio.sleep(0.02)
        return now()

    def _pairs(self, pairs: int, node_of: Any = None) -> tuple[list[Client], list[tuple[Client, int]]]:
        clients: list[Client] = []
        senders: list[tuple[Client, int]] = []
        # With several load generator processes, each takes every k-th pair.
        part, parts = self.job.get("part", [0, 1])
        for i in range(part, pairs, parts):
            a_idx, b_idx = 2 * i + 1, 2 * i + 2
            a = self.client(a_idx, 0)
            b = self.client(b_idx, node_of(i) if node_of else 0)
            clients += [a, b]
            senders += [(a, b.uid), (b, a.uid)]
        return clients, senders

    async def settle(self, quiet: float = 0.1, timeout: float = 20.0) -> None:
        """Wait until the servers use less than ``quiet`` of a core over half a second."""
        pids = self.job["server_pids"]
        deadline = now() + timeout
        while now() < deadline:
            before = cpu_seconds(pids)
            await asyncio.sleep(0.5)
            if cpu_seconds(pids) - before < quiet * 0.5:
                return
