"""Where a hub's idle connection spends its memory: ``python -m bench.memprobe N [--top K]``.

Serves the hub in this process (uvicorn with the settings ``chatserver serve`` uses) on a
seeded SQLite copy, opens a few connections to warm caches, then N authenticated idle
connections from the load generator (its own process), and prints the RSS delta per
connection and, with ``--trace``, tracemalloc's top allocations by line (bytes per
connection). ``--trace`` makes the RSS figure larger than the runner's (tracemalloc keeps
a trace for every block); compare RSS runs with RSS runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench.measure import rss_kib
from bench.run import raise_fd_limit
from bench.servers import ROOT, HubDatabase


async def _wait_count(hub: Any, n: int, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while hub.count() < n:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"only {hub.count()} of {n} connections (load generator rc {proc.returncode})")
        await asyncio.sleep(0.2)


def _loadgen(workdir: Path, name: str, base: str, users: list[list[Any]], n: int, hold: float) -> subprocess.Popen[bytes]:
    job = {"kind": "hub", "target": "hub-probe", "scenario": "idle", "nodes": [base], "server_pids": [os.getpid()],
           "users": users, "params": {"connections": n, "concurrency": 200, "settle": hold, "timeout": 300},
           "deadline": 600}
    path = workdir / f"{name}.json"
    path.write_text(json.dumps(job))
    return subprocess.Popen([sys.executable, "-m", "bench.loadgen", str(path)], cwd=str(ROOT),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def probe(n: int, top: int, trace: bool, workdir: Path, ws: str) -> None:
    import uvicorn

    db = HubDatabase(workdir, n + 1, 1, 1)
    url, seed = db.fresh("file")
    os.environ.update({"CHATSERVER_DATABASE_URL": url, "CHATSERVER_ALLOWED_ORIGINS": "*"})
    from chatserver.app import create_app
    from chatserver.config import Config
    from chatserver.ws_protocol import uvicorn_options

    config = Config.from_env()
    app = create_app(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    options = uvicorn_options(config)  # as `chatserver serve` runs (CHATSERVER_WS_COMPRESSION too)
    if ws != "lean":
        options["ws"] = ws
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", **options))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.05)
    hub = app.state.hub
    base = f"ws://127.0.0.1:{port}"
    users = [[uid, tok] for uid, tok in zip(seed["ids"], seed["tokens"], strict=True)]

    # Warm up: imports, statement caches, pools; then those connections go away.
    warm = _loadgen(workdir, "warm", base, users, 50, 1.0)
    await _wait_count(hub, 50, warm)
    while warm.poll() is None or hub.count():
        await asyncio.sleep(0.2)

    gc.collect()
    await asyncio.sleep(1)
    if trace:
        tracemalloc.start(1)
    before_snap = tracemalloc.take_snapshot() if trace else None
    before = rss_kib(os.getpid())
    lg = _loadgen(workdir, "idle", base, users[:n + 1], n, 600)
    await _wait_count(hub, n, lg)
    await asyncio.sleep(3)  # the hello acks flushed, presence announced
    gc.collect()
    after = rss_kib(os.getpid())
    print(f"{n} connections: RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB, "
          f"{(after - before) / n:.1f} KiB per connection{' (tracing)' if trace else ''}")
    if before_snap is not None:
        snap = tracemalloc.take_snapshot()
        stats = snap.compare_to(before_snap, "lineno")
        total = sum(s.size_diff for s in stats)
        print(f"tracemalloc: {total / n / 1024:.1f} KiB per connection traced; top {top} lines (bytes/conn, blocks/conn):")
        for s in stats[:top]:
            frame = s.traceback[0]
            short = frame.filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            print(f"  {s.size_diff / n:8.0f} B {s.count_diff / n:6.1f}  {short}:{frame.lineno}")
        print("by file:")
        for s in snap.compare_to(before_snap, "filename")[:top]:
            short = s.traceback[0].filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            print(f"  {s.size_diff / n:8.0f} B {s.count_diff / n:6.1f}  {short}")
        tracemalloc.stop()
    lg.terminate()
    lg.wait()
    while hub.count():
        await asyncio.sleep(0.2)
    server.should_exit = True
    await task


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--ws", default="lean", help="uvicorn's WebSocket implementation (lean: as serve runs)")
    parser.add_argument("--offer-deflate", action="store_true",
                        help="the clients offer permessage-deflate, as every browser does (the server takes it "
                             "with CHATSERVER_WS_COMPRESSION=1)")
    args = parser.parse_args()
    if args.offer_deflate:
        os.environ["BENCH_WS_COMPRESSION"] = "deflate"  # read by bench.clients in the load generator
    raise_fd_limit()
    with tempfile.TemporaryDirectory(prefix="memprobe-") as d:
        # As `chatserver serve` runs: uvicorn's loop="auto" picks uvloop when installed.
        try:
            import uvloop
        except ImportError:
            asyncio.run(probe(args.n, args.top, args.trace, Path(d), args.ws))
        else:
            uvloop.run(probe(args.n, args.top, args.trace, Path(d), args.ws))


if __name__ == "__main__":
    main()
