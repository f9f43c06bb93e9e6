"""What one batch of sends costs, in process: ``python -m bench.batchprobe URL [options]``.

The write path without the WebSocket layer and the load generator: a seeded database
(``bench.seed``), the hub's Services, and ``actions.chat_batch.send_many`` run on batches
of ``--batch`` sends spread over ``--pairs`` pairs of contacts, ``--batches`` times. Prints
per batch the wall time, the CPU the process spent (``time.process_time``) and, on
PostgreSQL, the CPU its server processes of this database spent (read from /proc, so the
server must run on this machine) and the statements it was sent per batch (each one a
round trip; asyncpg's query logger, BEGIN and COMMIT included), and per message the same.
CPU time is the steadier figure on a shared machine: a busy neighbour lengthens the wall
time, not the CPU spent.

URL: ``sqlite`` (a fresh file in a temporary folder) or a PostgreSQL admin URL (a fresh
database ``probe_<pid>`` is made there and dropped at the end).

``--before SQL`` (repeatable) runs statements on the probe's database once it is seeded: a
schema change measured before it is made (an index or a constraint dropped, a setting),
alternated with runs without it (docs/benchmarks.md, "Measured and not done").
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, text

from bench.seed import seed
from chatserver import services
from chatserver.actions.chat_batch import SendRequest, send_many
from chatserver.app import GC_THRESHOLDS
from chatserver.bus.memory import MemoryBus
from chatserver.clock import SystemClock
from chatserver.config import Config
from chatserver.db.engine import make_engine
from chatserver.db.models import User
from chatserver.presence.memory import MemoryPresence

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pids: list[int]) -> float:
    """Seconds of CPU (user and system) the processes spent so far; gone ones count 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / _TICK


async def _admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def probe(url: str, pairs: int, batch: int, batches: int, history: int,
                before: list[str] | None = None) -> dict[str, Any]:
    gc.set_threshold(*GC_THRESHOLDS)  # as the server runs
    seeded = await seed(url, 2 * pairs + 2, 0, pairs, history)
    ids: list[int] = list(seeded["ids"])  # type: ignore[call-overload]
    if before:  # on an engine of their own: the measured engine's connections are made below
        setup = make_engine(url)
        async with setup.begin() as conn:
            for sql in before:
                await conn.execute(text(sql))
        await setup.dispose()
    engine = make_engine(url)
    svc = services.build(Config(database_url=url, create_schema=False), engine, MemoryBus("probe"), MemoryPresence(),
                         SystemClock())
    pg = engine.dialect.name == "postgresql"
    statements = [0]
    if pg:
        def count(_: Any) -> None:
            statements[0] += 1

        @event.listens_for(engine.sync_engine, "connect")
        def log_queries(dbapi_connection: Any, _: Any) -> None:
            dbapi_connection.driver_connection.add_query_logger(count)

    async with svc.sessions() as s:
        users = {u.id: u for u in (await s.execute(select(User).where(User.id.in_(ids)))).scalars()}
    backends: list[int] = []

    async def server_pids() -> list[int]:
        if not pg:
            return []
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))
            return [int(r[0]) for r in rows]

    walls: list[float] = []
    cpus: list[float] = []
    n = 0
    # One connection for every batch, as the hub's send batcher keeps one while sends keep
    # coming (on PostgreSQL a batch of sends to existing conversations runs on it without a
    # session: actions.chat_batch, docs/benchmarks.md, steps 50 and 51).
    conn = await engine.connect()
    # One warm-up batch: connections opened, statements prepared, caches filled.
    for k in range(batches + 1):
        reqs = []
        for j in range(batch):
            p = j % pairs
            a, b = ids[2 * p + 1], ids[2 * p + 2]
            sender, to = (a, b) if (j // pairs) % 2 == 0 else (b, a)
            reqs.append(SendRequest(users[sender], to, f"message {k}-{j}", f"probe-{k}-{j}-{uuid.uuid4().hex[:8]}", ""))
        if k == 1:
            backends = await server_pids()
            server_cpu0 = _cpu_of(backends)
            statements[0] = 0
        w0, c0 = time.perf_counter(), time.process_time()
        out = await send_many(svc, reqs, conn)
        if k >= 1:
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
            n += len(reqs)
        bad = [o for o in out if isinstance(o, BaseException)]
        if bad:
            raise RuntimeError(f"a send failed: {bad[0]!r}")
    server_cpu = _cpu_of(backends) - server_cpu0 if pg else 0.0
    await conn.close()
    await engine.dispose()
    return {
        "database": engine.dialect.name, "pairs": pairs, "batch": batch, "batches": batches, "history": history,
        "wall_ms_per_batch": {"median": round(statistics.median(walls) * 1e3, 2),
                              "p90": round(sorted(walls)[int(0.9 * len(walls))] * 1e3, 2)},
        "cpu_ms_per_batch": round(statistics.mean(cpus) * 1e3, 2),
        "cpu_us_per_msg": round(sum(cpus) / n * 1e6, 1),
        "db_server_cpu_us_per_msg": round(server_cpu / n * 1e6, 1) if pg else None,
        "statements_per_batch": round(statements[0] / batches, 2) if pg else None,
        "before": before or [],
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.batchprobe", description=__doc__)
    ap.add_argument("url", help="'sqlite' or a PostgreSQL admin URL")
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64, help="sends per batch")
    ap.add_argument("--batches", type=int, default=200)
    ap.add_argument("--history", type=int, default=10_000, help="messages stored before")
    ap.add_argument("--before", action="append", default=[], metavar="SQL",
                    help="run on the probe's database after seeding (repeatable)")
    args = ap.parse_args(argv)
    if args.url == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            result = asyncio.run(probe(f"sqlite+aiosqlite:///{tmp}/probe.db", args.pairs, args.batch, args.batches,
                                       args.history, args.before))
    else:
        admin = args.url
        name = f"probe_{os.getpid()}"
        asyncio.run(_admin(admin, f"CREATE DATABASE {name}"))
        try:
            result = asyncio.run(probe(admin.rsplit("/", 1)[0] + "/" + name, args.pairs, args.batch, args.batches,
                                       args.history, args.before))
        finally:
            asyncio.run(_admin(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
