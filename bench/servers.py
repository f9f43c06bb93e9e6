"""Start and stop the servers under test, each as its own process on a free loopback port."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port} after {timeout}s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly; py-spy writes its profile
        try:
            proc.wait(15)
            return
        except subprocess.TimeoutExpired:
            pass
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@dataclass
class Redis:
    """A private redis-server on a free port; the shared one on 6379 is never touched."""

    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    def start(self, workdir: Path) -> str:
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(workdir), "--maxclients", "20000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_port(self.port, self.proc)
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)


@dataclass
class Target:
    """One server under test: how to start it and which client protocol it speaks."""

    name: str
    kind: str  # client protocol: hub | relay | socketio | channels
    does: str
    storage: str = ""  # hub only: "file", "shm" or "pg"
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)

    def command(self, port: int) -> list[str]:
        py = sys.executable
        if self.kind == "hub":
            cmd = [py, "-m", "chatserver", "serve", "--port", str(port), "--log-level", "warning"]
            profile = os.environ.get("BENCH_PYSPY")  # a directory: py-spy collapsed stacks per hub run
            if profile:
                Path(profile).mkdir(parents=True, exist_ok=True)
                out = Path(profile) / f"{self.name}-{port}.txt"
                # BENCH_PYSPY_ARGS adds py-spy options, e.g. "--native --gil": C frames (uvloop,
                # sqlite3) and only the thread holding the GIL, i.e. what the process spends.
                extra = os.environ.get("BENCH_PYSPY_ARGS", "").split()
                cmd = ["py-spy", "record", "--format", "raw", "--rate", "200", *extra, "-o", str(out), "--", *cmd]
            return cmd
        module = {"relay": "bench.peers.ws_relay", "socketio": "bench.peers.sio_server",
                  "channels": "bench.peers.channels_app"}[self.kind]
        return [py, "-m", module, str(port)]

    def start(self, env: dict[str, str], nodes: int = 1, log: Path | None = None) -> list[str]:
        full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
        for i in range(nodes):
            port = free_port()
            node_env = {**full, "CHATSERVER_NODE_ID": f"bench{i}"}
            proc = subprocess.Popen(self.command(port), env=node_env, cwd=str(ROOT), stdout=out, stderr=out)
            self.procs.append(proc)
            self.ports.append(port)
            wait_port(port, proc)
        if self.kind == "hub":
            time.sleep(0.3)  # lifespan: migrations done before the port opens, bus started after
        return [f"ws://127.0.0.1:{p}" for p in self.ports]

    def pids(self) -> list[int]:
        """The servers' processes: under py-spy (BENCH_PYSPY) its child, the server itself,
        so that the CPU and memory counted are the server's, not the profiler's."""
        return [_profiled_child(p.pid) if os.environ.get("BENCH_PYSPY") and self.kind == "hub" else p.pid
                for p in self.procs]

    def stop(self) -> None:
        for p in self.procs:
            stop(p)
        self.procs.clear()
        self.ports.clear()


HUB_DOES = "stores every message and event, acks after commit, replays on reconnect, token auth"
PEERS = {
    "ws-relay": Target("ws-relay", "relay", "relays only: no persistence, no auth, acks on relay, no replay"),
    "socketio": Target("socketio", "socketio",
                       "python-socketio rooms: no persistence, no auth, acks on emit, no replay"),
    "channels": Target("channels", "channels",
                       "Django Channels + channels_redis groups: no persistence, no auth, acks on group_send, "
                       "no replay; every frame crosses Redis"),
}


def hub_target(storage: str) -> Target:
    return Target(f"hub-{storage}", "hub", HUB_DOES, storage=storage)


class HubDatabase:
    """A seeded hub database: seeded once per size, copied (SQLite) or cloned (PostgreSQL) per run."""

    def __init__(self, workdir: Path, users: int, fanout: int, pairs: int, history: int = 0) -> None:
        self.workdir, self.users, self.fanout, self.pairs, self.history = workdir, users, fanout, pairs, history
        self.template = workdir / f"seed-{users}-{fanout}-{pairs}-{history}.db"
        self.seed_json = workdir / f"seed-{users}-{fanout}-{pairs}-{history}.json"
        self._runs = 0
        self._pg_databases: list[tuple[str, str]] = []

    def cleanup(self) -> None:
        """Drop the PostgreSQL databases made for the runs (SQLite files go with the workdir)."""
        for admin, name in self._pg_databases:
            try:
                _psql(admin, f"DROP DATABASE IF EXISTS {name}")
            except Exception:  # noqa: BLE001 - best effort; named bench_<pid>_<n>
                pass
        self._pg_databases.clear()

    def _seed(self, url: str, out: Path) -> dict[str, Any]:
        subprocess.run([sys.executable, "-m", "bench.seed", url, str(self.users), str(self.fanout), str(self.pairs),
                        str(out), str(self.history)], check=True, cwd=str(ROOT))
        return dict(json.loads(out.read_text()))

    def fresh(self, storage: str, pg_admin: str = "") -> tuple[str, dict[str, Any]]:
        """A database URL with the seed in it, nobody else's, and the seed (ids, tokens)."""
        self._runs += 1
        if storage == "pg":
            import asyncpg  # noqa: F401 - the hub's own driver
            name = f"bench_{os.getpid()}_{self._runs}"
            _psql(pg_admin, f"DROP DATABASE IF EXISTS {name}")
            _psql(pg_admin, f"CREATE DATABASE {name}")
            self._pg_databases.append((pg_admin, name))
            url = pg_admin.rsplit("/", 1)[0] + "/" + name
            return url, self._seed(url, self.workdir / f"{name}.json")
        if not self.template.exists():
            self._seed(f"sqlite+aiosqlite:///{self.template}", self.seed_json)
        base = Path("/dev/shm") if storage == "shm" else self.workdir
        path = base / f"hub-{os.getpid()}-{self._runs}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copy(self.template, path)
        return f"sqlite+aiosqlite:///{path}", dict(json.loads(self.seed_json.read_text()))


def _psql(admin_url: str, sql: str) -> None:
    url = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    subprocess.run(["psql", url, "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pg_available(admin_url: str) -> bool:
    try:
        _psql(admin_url, "SELECT 1")
        return True
    except Exception:  # noqa: BLE001
        return False


def _profiled_child(pid: int) -> int:
    """py-spy's child process (the server it runs), or ``pid`` when it has none yet."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return pid
    return int(children[0]) if children else pid
