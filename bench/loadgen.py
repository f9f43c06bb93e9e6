"""The load generator: its own process, many connections, one scenario, JSON out.

``python -m bench.loadgen JOB.json`` prints one JSON object (the scenario's figures) as the
last line of its output. The runner writes the job: the protocol (``kind``), the node base
URLs, the server pids (for RSS), the users by index (``[uid, token]``) and the scenario's
parameters. Every loop here is bounded in count and in time.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from collections import defaultdict
from typing import Any

from bench import hubstalls
from bench.clients import Client
from bench.load_run import Run
from bench.measure import (
    cpu_by_pid,
    cpu_seconds,
    db_backends,
    lat_summary,
    measuring,
    now,
    pct,
    rss_kib,
    seconds_after,
)


class Scenarios(Run):
    """Each scenario is a method named as the job's ``scenario``; it returns its figures."""

    async def idle(self, p: dict[str, Any]) -> dict[str, Any]:
        pid = self.job["server_pids"][0]
        n = p["connections"]
        before = rss_kib(pid)
        clients = [self.client(1 + i % (len(self.users) - 1)) for i in range(n)]
        t0 = now()
        reached = await self.connect_all(clients, concurrency=p.get("concurrency", 200), timeout=p.get("timeout", 180))
        took = now() - t0
        await asyncio.sleep(p.get("settle", 2))
        after = rss_kib(pid)
        alive = sum(1 for c in clients if c.connected)
        for c in clients:
            c.abort()
        return {
            "connections": n, "reached": reached, "alive_after_settle": alive, "connect_seconds": round(took, 2),
            "rss_before_mib": round(before / 1024, 1), "rss_after_mib": round(after / 1024, 1),
            "kib_per_connection": round((after - before) / max(reached, 1), 1),
        }

    async def throughput(self, p: dict[str, Any]) -> dict[str, Any]:
        clients, senders = self._pairs(p["pairs"])
        reached = await self.connect_all(clients)
        # Warm-up: one message each way per pair (the hub creates the conversation).
        for c, to in senders:
            await self.send(c, to)
        await self.drain(list(self.sent), 10)
        steps: list[dict[str, Any]] = []
        best = 0.0
        parts = self.job.get("part", [0, 1])[1]
        for rate in [r / parts for r in p["rates"]]:
            self.sent.clear()
            self.delivered.clear()
            self.latency.clear()
            self.acked.clear()
            with measuring():
                t0 = now()
                cpu0 = cpu_seconds(self.job["server_pids"])
                n = await self.pump(senders, rate, p["seconds"])
                t_end = await self.drain(list(self.sent), p.get("drain", 5))
            # The server's CPU over the step, pump and drain: what a message costs it
            # (steadier than the saturated rate on a shared machine).
            cpu = cpu_seconds(self.job["server_pids"]) - cpu0
            got = sum(1 for c in self.sent if c in self.delivered)
            last = max((self.sent[c][0] + self.latency[c] for c in self.latency), default=t_end)
            rate_out = got / max(p["seconds"], last - t0)
            step = {"offered": rate, "sent": n, "delivered": got, "acked": len(self.acked),
                    "server_cpu_s": round(cpu, 3), "server_cpu_us_per_msg": round(cpu / got * 1e6) if got else None,
                    "delivered_per_s": round(rate_out, 1), **lat_summary(list(self.latency.values())),
                    "raw_ms": [round(v * 1000, 2) for v in self.latency.values()]}
            steps.append(step)
            print(json.dumps({k: v for k, v in step.items() if k != "raw_ms"}), file=sys.stderr, flush=True)
            best = max(best, rate_out)
            if rate_out < 0.8 * rate or got < 0.9 * n or (step["p99_ms"] or 0) > 2000:
                break  # saturated: offering more only grows the backlog
        # Let any backlog drain before measuring latency at fixed loads below saturation,
        # and the server finish what the overload left it (a server still busy with the
        # last step's backlog is measured recovering, not at a steady half of its rate).
        await self.drain(list(self.sent), 30)
        await self.settle()
        fixed: list[dict[str, Any]] = []
        for share in p.get("fixed_shares", [0.25, 0.5]):
            rate = max(1.0, best * share)  # this slice's best: the whole's share of it
            self.sent.clear()
            self.delivered.clear()
            self.latency.clear()
            self.acked.clear()
            # The hub's own account of its slow moments over this load (bench/hubstalls.py):
            # read by one load generator of several, around the load they all offer.
            watch = self.kind == "hub" and self.job.get("part", [0, 1])[0] == 0
            before = await hubstalls.scrape(self.nodes) if watch else None
            with measuring():
                # Longer than a step: a p99 of 2 s at half of saturation was moved by one
                # stall of any server (docs/benchmarks.md, step 29).
                await self.pump(senders, rate, p.get("fixed_seconds", p["seconds"]))
                await self.drain(list(self.sent), p.get("drain", 5))
            entry = {"share": share, "offered": round(rate, 1), **lat_summary(list(self.latency.values())),
                     "raw_ms": [round(v * 1000, 2) for v in self.latency.values()]}
            if before is not None:
                entry["hub_over_25ms"] = hubstalls.over(before, await hubstalls.scrape(self.nodes))
            fixed.append(entry)
        for c in clients:
            await c.close()
        return {"pairs": p["pairs"], "connected": reached, "saturation_per_s": round(best, 1), "steps": steps,
                "fixed": fixed}

    async def pipeline(self, p: dict[str, Any]) -> dict[str, Any]:
        """Senders that do not wait for each ack: each of ``pairs`` connections sends
        ``messages`` to its partner keeping ``window`` sends in flight (the next one goes
        as soon as an ack comes back). Measured: messages delivered per second from the
        first send to the last delivery, the server's CPU per message, and whether each
        sender's messages arrived in the order sent."""
        clients, senders = self._pairs(p["pairs"])
        senders = senders[::2]  # one direction: a pair's first end sends, the second receives
        reached = await self.connect_all(clients)
        for c, to in senders:  # warm-up: the hub creates the conversation
            await self.send(c, to)
        await self.drain(list(self.sent), 10)
        self.sent.clear()
        self.delivered.clear()
        self.latency.clear()
        self.acked.clear()
        windows = {c.idx: asyncio.Semaphore(p["window"]) for c, _ in senders}
        last_from: dict[int, int] = {}
        out_of_order = 0

        def on_ack(c: Client, cid: str | None) -> None:
            if cid is not None and cid in self.sent and cid not in self.acked:
                self.acked.add(cid)
                windows[c.idx].release()

        def on_msg(c: Client, from_uid: int, cid: str, body: str) -> None:
            nonlocal out_of_order
            self.on_msg(c, from_uid, cid, body)
            n = int(cid[1:])  # one counter for all sends: a sender's cids rise in its order
            if n <= last_from.get(from_uid, 0):
                out_of_order += 1
            last_from[from_uid] = n

        for c in clients:
            c.on_ack, c.on_msg = on_ack, on_msg

        async def sender(c: Client, to: int) -> None:
            for _ in range(p["messages"]):
                await windows[c.idx].acquire()
                await self.send(c, to)

        with measuring():
            t0 = now()
            cpu0 = cpu_seconds(self.job["server_pids"])
            db0 = cpu_by_pid(await db_backends(self.job.get("db_url")))
            await asyncio.wait_for(asyncio.gather(*(sender(c, to) for c, to in senders)), p.get("timeout", 120))
            t_end = await self.drain(list(self.sent), p.get("drain", 30))
            cpu = cpu_seconds(self.job["server_pids"]) - cpu0
            # PostgreSQL's processes share the machine with the hub: what they spent on the run
            # (a process that began during it, all of its time; one that ended, none).
            db1 = cpu_by_pid(await db_backends(self.job.get("db_url")))
            db_cpu = sum(t - db0.get(pid, 0.0) for pid, t in db1.items())
        got = sum(1 for c in self.sent if c in self.delivered)
        last = max((self.sent[c][0] + self.latency[c] for c in self.latency), default=t_end)
        errors: dict[str, int] = defaultdict(int)
        for c in clients:
            for k, v in c.errors.items():
                errors[k] += v
            await c.close()
        return {"pairs": p["pairs"], "connected": reached, "window": p["window"], "sent": len(self.sent),
                "acked": len(self.acked), "delivered": got, "lost": len(self.sent) - got,
                "duplicated": sum(n - 1 for n in self.delivered.values() if n > 1), "out_of_order": out_of_order,
                "delivered_per_s": round(got / max(last - t0, 1e-9), 1),
                "server_cpu_us_per_msg": round(cpu / got * 1e6) if got else None,
                "db_cpu_us_per_msg": round(db_cpu / got * 1e6) if got and self.job.get("db_url") else None,
                **lat_summary(list(self.latency.values())), "errors": dict(errors)}

    async def presence(self, p: dict[str, Any]) -> dict[str, Any]:
        fanout = p["fanout"]
        contacts = [self.client(i) for i in range(1, fanout + 1)]
        star = self.client(0)
        seen: dict[int, float] = {}
        want = {"status": ""}
        star_uid = star.uid

        def on_presence(c: Client, user: int, status: str) -> None:
            if user == star_uid and status == want["status"] and c.idx not in seen:
                seen[c.idx] = now()

        for c in contacts:
            c.on_presence = on_presence
        reached = await self.connect_all(contacts)
        await star.connect()
        await asyncio.sleep(p.get("settle", 1.0))
        rounds: list[dict[str, Any]] = []
        for r in range(p["repeats"]):
            seen.clear()
            want["status"] = "away" if r % 2 == 0 else "online"
            with measuring():
                t0 = now()
                await star.presence(want["status"])
                deadline = t0 + p.get("timeout", 10)
                while len(seen) < reached and now() < deadline:
                    await asyncio.sleep(0.001)
            last = max(seen.values(), default=deadline)
            rounds.append({"notified": len(seen), "last_ms": round((last - t0) * 1000, 2),
                           "p50_ms": pct([t - t0 for t in seen.values()], 50)})
            await asyncio.sleep(0.3)
        for c in [star, *contacts]:
            await c.close()
        lasts = sorted(r["last_ms"] for r in rounds)
        return {"fanout": fanout, "connected": reached, "rounds": rounds, "last_ms_median": lasts[len(lasts) // 2],
                "all_notified": all(r["notified"] == reached for r in rounds)}

    async def storm(self, p: dict[str, Any]) -> dict[str, Any]:
        pairs = p["connections"] // 2
        clients, senders = self._pairs(pairs)
        reached = await self.connect_all(clients, timeout=p.get("timeout", 180))
        outbox: dict[int, list[str]] = defaultdict(list)
        unacked_by_client: dict[int, list[str]] = defaultdict(list)
        orig_send = self.send

        async def send(c: Client, to: int) -> str:
            cid = await orig_send(c, to)
            unacked_by_client[c.idx].append(cid)
            return cid

        self.send = send  # type: ignore[method-assign]
        traffic = asyncio.create_task(self.pump(senders, p["rate"], p["before"] + p["after"] + 60, outbox))
        await asyncio.sleep(p["before"])
        t_drop = now()
        for c in clients:
            c.abort()
        resumed_at: list[float] = []

        async def reconnect(c: Client) -> None:
            for attempt in range(50):
                try:
                    await c.connect()
                    break
                except Exception:  # noqa: BLE001 - try again shortly
                    await asyncio.sleep(min(0.05 * 2**attempt, 1.0))
            else:
                return
            resumed_at.append(now())
            # Resend what was never acked (same cid: the hub stores it once), then the outbox.
            for cid in [x for x in unacked_by_client.pop(c.idx, []) if x not in self.acked] + outbox.pop(c.idx, []):
                try:
                    await c.send(self.sent[cid][1], cid, cid)
                    unacked_by_client[c.idx].append(cid)
                except Exception:  # noqa: BLE001
                    outbox[c.idx].append(cid)

        await asyncio.wait_for(asyncio.gather(*(reconnect(c) for c in clients)), p.get("timeout", 180))
        all_resumed = (max(resumed_at) - t_drop) if resumed_at else None
        await asyncio.sleep(p["after"])
        traffic.cancel()
        # Last round: anything still unacked is resent on the live connection, then drain.
        for c in clients:
            for cid in [x for x in unacked_by_client.pop(c.idx, []) if x not in self.acked] + outbox.pop(c.idx, []):
                try:
                    await c.send(self.sent[cid][1], cid, cid)
                except Exception:  # noqa: BLE001
                    pass
        t_drain = now()
        deadline = t_drain + p.get("drain", 10)
        while now() < deadline and not (len(self.acked) == len(self.sent)
                                         and all(c in self.delivered for c in self.acked)):
            await asyncio.sleep(0.05)
        drain_s = now() - t_drain
        await asyncio.sleep(0.5)
        lost = [c for c in self.sent if c not in self.delivered]
        lost_acked = [c for c in self.acked if c not in self.delivered]
        dups = sum(n - 1 for n in self.delivered.values() if n > 1)
        seq_overlap = sum(getattr(c, "seq_dups", 0) for c in clients)
        errors: dict[str, int] = defaultdict(int)
        for c in clients:
            for k, v in c.errors.items():
                errors[k] += v
        for c in clients:
            await c.close()
        return {
            "connections": len(clients), "connected": reached, "resumed": len(resumed_at),
            "all_resumed_seconds": round(all_resumed, 2) if all_resumed is not None else None,
            # How the resumptions spread: a few stragglers (a dropped SYN waits 1 s to be
            # sent again) or all of them late.
            "resumed_p50_s": seconds_after(resumed_at, t_drop, 50),
            "resumed_p90_s": seconds_after(resumed_at, t_drop, 90),
            "sent": len(self.sent), "acked": len(self.acked), "delivered": len(self.delivered),
            "lost": len(lost), "lost_acked": len(lost_acked), "duplicated": dups,
            "replay_overlap_dropped_by_seq": seq_overlap, "errors": dict(errors),
            "drain_seconds": round(drain_s, 2), "unacked": len(self.sent) - len(self.acked),
        }

    async def twonode(self, p: dict[str, Any]) -> dict[str, Any]:
        # Even pairs: both ends on node 0 (same node); odd pairs: the second end on node 1.
        clients, senders = self._pairs(p["pairs"], node_of=lambda i: i % 2)
        reached = await self.connect_all(clients)
        await asyncio.sleep(0.5)
        with measuring():
            await self.pump(senders, p["rate"], p["seconds"])
            await self.drain(list(self.sent), p.get("drain", 5))
        cross_uids = {clients[2 * i + 1].uid for i in range(p["pairs"]) if i % 2} | {
            clients[2 * i].uid for i in range(p["pairs"]) if i % 2}
        same = [lat for cid, lat in self.latency.items() if self.sent[cid][1] not in cross_uids]
        cross = [lat for cid, lat in self.latency.items() if self.sent[cid][1] in cross_uids]
        for c in clients:
            await c.close()
        return {"pairs": p["pairs"], "connected": reached, "rate": p["rate"], "sent": len(self.sent),
                "delivered": len(self.delivered), "same_node": lat_summary(same), "cross_node": lat_summary(cross)}


def main() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with open(sys.argv[1]) as f:
        job = json.load(f)
    run = Scenarios(job)
    scenario = getattr(run, job["scenario"])
    result = asyncio.run(asyncio.wait_for(scenario(job["params"]), job.get("deadline", 600)))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
