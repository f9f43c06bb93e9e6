"""What the load generator measures with: the servers' CPU and memory, latency percentiles,
and a window free of the load generator's own garbage-collector pauses."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Iterator
from typing import Any

now = time.perf_counter


@contextlib.contextmanager
def measuring() -> Iterator[None]:
    """A window whose latencies are recorded. The load generator's own garbage collector
    waits until it ends: its pauses (tens of ms with hundreds of connections open) would
    be counted as the server's latency, whichever server is measured."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the servers' processes have used so far (/proc/PID/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """As :func:`cpu_seconds`, each process apart; one that is gone is left out."""
    out: dict[int, float] = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            out[pid] = cpu_seconds([pid])
    return out


async def db_backends(url: str | None) -> list[int]:
    """The PostgreSQL server processes serving the hub's database (the server runs on this
    machine), this question's own left out; none for a hub on SQLite or a peer."""
    if not url:
        return []
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                "AND pid <> pg_backend_pid()")
    finally:
        await conn.close()
    return [int(r[0]) for r in rows]


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, int(p / 100 * len(s)))] * 1000, 2)


def lat_summary(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50_ms": pct(values, 50), "p99_ms": pct(values, 99), "p999_ms": pct(values, 99.9)}


def seconds_after(times: list[float], start: float, p: float) -> float | None:
    ms = pct([t - start for t in times], p)
    return round(ms / 1000, 2) if ms is not None else None
