"""``python -m bench.run [--quick] [--scenario NAME] [--out DIR] [--pg URL] [--no-docs]``

Starts every server under test as its own process, seeds the hub, runs each scenario with
the load generator (``bench.loadgen``, its own process), and writes ``results.json`` and
``results.md`` to ``--out`` and, for a full run, the results section of
``docs/benchmarks.md``. ``--quick`` is the CI size: seconds, correctness only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.seed import contact_pairs
from bench.servers import PEERS, ROOT, HubDatabase, Redis, Target, hub_target, pg_available

SIZES: dict[str, dict[str, dict[str, Any]]] = {
    "quick": {
        "idle": {"connections": 200},
        "throughput": {"pairs": 20, "rates": [100, 200], "seconds": 1.0, "fixed_shares": [0.5], "drain": 3},
        "presence": {"fanout": 100, "repeats": 3},
        "storm": {"connections": 100, "rate": 100, "before": 0.5, "after": 0.5, "drain": 8},
        "twonode": {"pairs": 10, "rate": 30, "seconds": 1.0},
        "pipeline": {"pairs": 5, "messages": 40, "window": 16},
    },
    "full": {
        "idle": {"connections": 10000, "concurrency": 300, "settle": 3},
        "throughput": {"pairs": 250, "rates": [1000, 2000, 4000, 8000, 16000], "seconds": 2.0,
                       "fixed_shares": [0.25, 0.5], "fixed_seconds": 5.0, "drain": 5, "procs": 2},
        "presence": {"fanout": 1000, "repeats": 5},
        "storm": {"connections": 5000, "rate": 200, "before": 1.0, "after": 1.0, "drain": 15, "timeout": 240},
        "twonode": {"pairs": 50, "rate": 50, "seconds": 3.0},
        # Senders that keep many sends in flight (issue 15): 20 connections x 1,000 messages.
        "pipeline": {"pairs": 20, "messages": 1000, "window": 64},
    },
}
# Messages stored before any scenario runs: the hub is measured with a history, as in use.
HISTORY = {"quick": 500, "full": 100_000}
SCENARIOS = ["idle", "throughput", "presence", "storm", "twonode", "pipeline"]
# Hub variants per scenario ("file": SQLite on disk, "shm": SQLite on /dev/shm, "pg": PostgreSQL).
HUB_STORAGE = {"idle": ["file"], "throughput": ["file", "shm", "pg"], "presence": ["file"],  # pg: with --pg
               "storm": ["file"], "twonode": ["pg", "file"], "pipeline": ["file", "shm", "pg"]}
PEERS_FOR = {"idle": ["ws-relay", "socketio", "channels"], "throughput": ["ws-relay", "socketio", "channels"],
             "presence": ["ws-relay", "socketio", "channels"], "storm": ["ws-relay", "socketio", "channels"],
             "twonode": ["socketio", "channels"], "pipeline": ["ws-relay", "socketio"]}
# The hub's per-connection flood limit (20/s) is a policy, not a cost: raised so the
# offered load, not the limiter, decides. Everything else is the default configuration.
HUB_ENV = {"CHATSERVER_RATE_PER_SECOND": "5000", "CHATSERVER_RATE_BURST": "10000",
           "CHATSERVER_ALLOWED_ORIGINS": "*",
           # /metrics for the load generator on this machine (bench/hubstalls.py).
           "CHATSERVER_METRICS_ALLOW": "127.0.0.1"}


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kib = 0
    return {"nproc": os.cpu_count(), "cpu": model, "memory_gib": round(mem_kib / 1024 / 1024, 1),
            "python": platform.python_version(), "kernel": platform.release(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def users_needed(size: dict[str, dict[str, Any]]) -> tuple[int, int, int]:
    pairs = max(size["storm"]["connections"] // 2, size["throughput"]["pairs"], size["twonode"]["pairs"],
                size["pipeline"]["pairs"])
    users = max(size["idle"]["connections"] + 1, 2 * pairs + 2, size["presence"]["fanout"] + 1)
    return users, size["presence"]["fanout"], pairs


def run_loadgen(job: dict[str, Any], workdir: Path, timeout: float) -> dict[str, Any]:
    """One load generator process, or ``procs`` of them on slices of the pairs (throughput)."""
    parts = int(job["params"].get("procs", 1)) if job["scenario"] == "throughput" else 1
    procs = []
    for k in range(parts):
        path = workdir / f"job-{job['scenario']}-{job['target']}-{k}.json"
        path.write_text(json.dumps({**job, "part": [k, parts]}))
        procs.append(subprocess.Popen([sys.executable, "-m", "bench.loadgen", str(path)], cwd=str(ROOT),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"load generator failed for {job['target']}/{job['scenario']}:\n{err[-3000:]}")
        results.append(dict(json.loads(out.strip().splitlines()[-1])))
    return results[0] if parts == 1 else merge_throughput(results)


def _lat(raw: list[float]) -> dict[str, Any]:
    s = sorted(raw)

    def at(p: float) -> float | None:
        return s[min(len(s) - 1, int(p / 100 * len(s)))] if s else None

    return {"n": len(s), "p50_ms": at(50), "p99_ms": at(99), "p999_ms": at(99.9)}


def merge_throughput(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum the slices' rates step by step; percentiles over every slice's latencies."""
    steps = []
    for group in zip(*(r["steps"] for r in parts), strict=False):
        raw = [v for st in group for v in st["raw_ms"]]
        # Every slice measured the same server over (nearly) the same step: one figure.
        cpu = max(st.get("server_cpu_s", 0.0) for st in group)
        delivered = sum(st["delivered"] for st in group)
        steps.append({"offered": round(sum(st["offered"] for st in group), 1),
                      **{k: sum(st[k] for st in group) for k in ("sent", "delivered", "acked")},
                      "server_cpu_us_per_msg": round(cpu / delivered * 1e6) if delivered else None,
                      "delivered_per_s": round(sum(st["delivered_per_s"] for st in group), 1), **_lat(raw)})
    fixed = []
    for group in zip(*(r["fixed"] for r in parts), strict=False):
        raw = [v for f in group for v in f["raw_ms"]]
        entry = {"share": group[0]["share"], "offered": round(sum(f["offered"] for f in group), 1), **_lat(raw)}
        stalls = next((f["hub_over_25ms"] for f in group if "hub_over_25ms" in f), None)
        if stalls is not None:  # the hub's, read by one slice for all
            entry["hub_over_25ms"] = stalls
        fixed.append(entry)
    return {"pairs": parts[0]["pairs"], "connected": sum(r["connected"] for r in parts),
            "load_generators": len(parts), "saturation_per_s": max((st["delivered_per_s"] for st in steps), default=0),
            "steps": steps, "fixed": fixed}


def _strip_raw(r: dict[str, Any]) -> None:
    for key in ("steps", "fixed"):
        for item in r.get(key, []):
            item.pop("raw_ms", None)


def headline(scenario: str, r: dict[str, Any]) -> dict[str, Any]:
    """The figures a ratio is taken of (higher or lower better as named)."""
    if scenario == "idle":
        return {"reached": r["reached"], "kib_per_conn": r["kib_per_connection"]}
    if scenario == "throughput":
        half = next((f for f in r["fixed"] if f["share"] == 0.5), r["fixed"][-1] if r["fixed"] else {})
        quarter = next((f for f in r["fixed"] if f["share"] == 0.25), {})
        return {"delivered_per_s": r["saturation_per_s"], "p50_ms_half": half.get("p50_ms"),
                "p99_ms_half": half.get("p99_ms"), "p999_ms_half": half.get("p999_ms"),
                "p50_ms_quarter": quarter.get("p50_ms"), "p99_ms_quarter": quarter.get("p99_ms")}
    if scenario == "presence":
        return {"last_ms": r["last_ms_median"], "all_notified": r["all_notified"]}
    if scenario == "storm":
        return {"resumed_s": r["all_resumed_seconds"], "lost": r["lost"], "duplicated": r["duplicated"]}
    if scenario == "twonode":
        return {"same_p50_ms": r["same_node"]["p50_ms"], "same_p99_ms": r["same_node"]["p99_ms"],
                "cross_p50_ms": r["cross_node"]["p50_ms"], "cross_p99_ms": r["cross_node"]["p99_ms"]}
    if scenario == "pipeline":
        return {"delivered_per_s": r["delivered_per_s"], "cpu_us_per_msg": r["server_cpu_us_per_msg"],
                "db_cpu_us_per_msg": r.get("db_cpu_us_per_msg"),
                "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"], "lost": r["lost"], "out_of_order": r["out_of_order"]}
    return {}


RATIO_KEY = {"idle": "kib_per_conn", "throughput": "delivered_per_s", "presence": "last_ms",
             "storm": "resumed_s", "twonode": "cross_p50_ms", "pipeline": "delivered_per_s"}


def ratios(scenario: str, results: dict[str, dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    key = RATIO_KEY[scenario]
    out: dict[str, dict[str, float | None]] = {}
    for hub, hr in results.items():
        if not hub.startswith("hub"):
            continue
        for peer, pr in results.items():
            if peer.startswith("hub"):
                continue
            a, b = hr["headline"].get(key), pr["headline"].get(key)
            out.setdefault(hub, {})[peer] = round(a / b, 3) if a and b else None
    return out


def run_scenario(name: str, params: dict[str, Any], targets: list[Target], db: HubDatabase, redis_url: str,
                 workdir: Path, pg: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    nodes = 2 if name == "twonode" else 1
    fanout, users, pairs = db.fanout, db.users, db.pairs
    contacts_file = workdir / "contacts.json"
    contacts_file.write_text(json.dumps(contact_pairs(users, fanout, pairs)))
    for target in targets:
        env: dict[str, str] = {"BENCH_CONTACTS": str(contacts_file)}
        db_url: str | None = None
        if target.kind == "hub":
            url, seed = db.fresh(target.storage, pg)
            db_url = url if url.startswith("postgresql") else None
            env |= HUB_ENV | {"CHATSERVER_DATABASE_URL": url}
            if nodes > 1:
                env["CHATSERVER_REDIS_URL"] = redis_url
            user_list = [[uid, tok] for uid, tok in zip(seed["ids"], seed["tokens"], strict=True)]
        else:
            user_list = [[i, ""] for i in range(users)]
            if target.kind == "channels" or nodes > 1:
                env["BENCH_REDIS"] = redis_url
        subprocess.run(["redis-cli", "-u", redis_url, "FLUSHALL"], check=False, stdout=subprocess.DEVNULL)
        t0 = time.monotonic()
        bases = target.start(env, nodes, log=workdir / f"{target.name}.log")
        try:
            job = {"kind": target.kind, "target": target.name, "scenario": name, "nodes": bases,
                   "server_pids": target.pids(), "users": user_list, "params": params, "deadline": 400,
                   # PostgreSQL's own CPU is counted where its processes can be seen (pipeline).
                   "db_url": db_url}
            r = run_loadgen(job, workdir, timeout=420)
        finally:
            target.stop()
        _strip_raw(r)
        r["wall_seconds"] = round(time.monotonic() - t0, 1)
        results[target.name] = {"does": target.does, "result": r, "headline": headline(name, r)}
        print(f"  {name:10s} {target.name:10s} {json.dumps(results[target.name]['headline'])}", flush=True)
    rat = ratios(name, results)
    for hub, by_peer in rat.items():
        print(f"  {name:10s} ratio {hub} / peer ({RATIO_KEY[name]}): {json.dumps(by_peer)}", flush=True)
    return {"params": params, "targets": results, "ratios": {"key": RATIO_KEY[name], **rat}}


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"Run at {report['started']} on {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}, load generator on the same machine; load average at start "
        f"{m.get('loadavg_at_start')} (the machine is shared). Size: **{report['size']}**; the hub's "
        f"database holds {report.get('history', 0):,} messages before the run.",
        "", f"Command: `{report['command']}`", "",
    ]
    for name, sc in report["scenarios"].items():
        if "error" in sc:
            lines += [f"### {name}", "", f"failed: `{sc['error'][:300]}`", ""]
            continue
        heads = list(next(iter(sc["targets"].values()))["headline"].keys())
        lines += [f"### {name}", "", "| server | " + " | ".join(heads) + " |",
                  "| --- |" + " --- |" * len(heads)]
        for tname, t in sc["targets"].items():
            lines.append(f"| {tname} | " + " | ".join(str(t["headline"].get(h)) for h in heads) + " |")
        if name == "throughput":
            lines += ["", "Steps (offered -> delivered/s, p50 / p99 ms, the server's CPU per message delivered):", ""]
            for tname, t in sc["targets"].items():
                steps = "; ".join(f"{st['offered']:.0f} -> {st['delivered_per_s']:.0f} ({st['p50_ms']} / {st['p99_ms']}, "
                                  f"{st.get('server_cpu_us_per_msg')} us)"
                                  for st in t["result"]["steps"])
                lines.append(f"- {tname}: {steps}")
            watched = [(tname, t) for tname, t in sc["targets"].items()
                       if any("hub_over_25ms" in f for f in t["result"]["fixed"])]
            if watched:
                lines += ["", "At the fixed loads (share of saturation: p50 / p99 ms; the hub's own count over 25 ms "
                          "of its batches of sends, of their commits alone, and of its event loop's sampled "
                          "lateness: bench/hubstalls.py):", ""]
                for tname, t in watched:
                    parts = []
                    for f in t["result"]["fixed"]:
                        o = f.get("hub_over_25ms", {})
                        parts.append(f"{f['share']}: {f['p50_ms']} / {f['p99_ms']} ms, batches {o.get('batches')} of "
                                     f"{o.get('batches_all')}, commits {o.get('commits')}, loop {o.get('loop_late')}")
                    lines.append(f"- {tname}: " + "; ".join(parts))
        if name == "storm":
            lines += ["", "| server | sent | acked | delivered | lost | duplicated | resumed |", "| --- |" + " --- |" * 6]
            for tname, t in sc["targets"].items():
                r = t["result"]
                lines.append(f"| {tname} | {r['sent']} | {r['acked']} | {r['delivered']} | {r['lost']} | "
                             f"{r['duplicated']} | {r['resumed']}/{r['connections']} |")
        rat = {k: v for k, v in sc["ratios"].items() if k != "key"}
        if rat:
            lines += ["", f"Ratio hub / peer of `{sc['ratios']['key']}`: " + "; ".join(
                f"{hub}: " + ", ".join(f"{p} {v}" for p, v in by.items()) for hub, by in rat.items())]
        lines.append("")
    return "\n".join(lines)


def write_docs(md: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    path.write_text(f"{head}{start}\n{md}\n{end}{tail}")


def _public_args(args: list[str]) -> list[str]:
    """The runner's arguments with the values of --pg and --out named, not given."""
    out: list[str] = []
    hide = {"--pg": "URL", "--out": "DIR"}
    for i, arg in enumerate(args):
        name, eq, _ = arg.partition("=")
        if eq and name in hide:
            out.append(f"{name}={hide[name]}")
        elif i > 0 and args[i - 1] in hide:
            out.append(hide[args[i - 1]])
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="tiny sizes, seconds: the CI smoke run")
    ap.add_argument("--scenario", action="append", choices=SCENARIOS, help="run only these (repeatable)")
    ap.add_argument("--out", default="", help="directory for results.json and results.md")
    ap.add_argument("--pg", default=os.environ.get("CHATSERVER_BENCH_PG", ""),
                    help="PostgreSQL admin URL; the hub also runs on a fresh database there")
    ap.add_argument("--only", action="append", help="run only these targets (e.g. hub-file, ws-relay)")
    ap.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    ap.add_argument("--set", action="append", default=[], metavar="SCENARIO.KEY=JSON",
                    help="override a size parameter, e.g. throughput.pairs=50")
    args = ap.parse_args(argv)
    raise_fd_limit()
    size_name = "quick" if args.quick else "full"
    size = json.loads(json.dumps(SIZES[size_name]))
    for item in args.set:
        key, _, value = item.partition("=")
        scenario, _, param = key.partition(".")
        size[scenario][param] = json.loads(value)
    out = Path(args.out or tempfile.mkdtemp(prefix="bench-"))
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-work-"))
    pg = args.pg if args.pg and pg_available(args.pg) else ""
    users, fanout, pairs = users_needed(size)
    db = HubDatabase(workdir, users, fanout, pairs, HISTORY[size_name])
    redis = Redis()
    redis_url = redis.start(workdir)
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "size": size_name, "history": HISTORY[size_name],
        "machine": machine(),
        # As it is written into docs/benchmarks.md: the PostgreSQL URL (it may hold a password)
        # and the output directory (a path of this machine) by name only.
        "command": ("CHATSERVER_BENCH_PG=URL " if os.environ.get("CHATSERVER_BENCH_PG") else "")
        + "python -m bench.run " + shlex.join(_public_args(argv if argv is not None else sys.argv[1:])),
        "pg": bool(pg), "scenarios": {},
    }
    try:
        for name in args.scenario or SCENARIOS:
            storages = [s for s in HUB_STORAGE[name] if s != "pg" or pg]
            if name == "twonode":
                storages = storages[:1]
            targets = [hub_target(s) for s in storages] + [PEERS[p] for p in PEERS_FOR[name]]
            if args.only:
                targets = [t for t in targets if t.name in args.only]
            print(f"== {name} {json.dumps(size[name])}", flush=True)
            try:
                report["scenarios"][name] = run_scenario(name, size[name], targets, db, redis_url, workdir, pg)
            except Exception as exc:  # noqa: BLE001 - recorded, and the run fails at the end
                report["scenarios"][name] = {"error": f"{type(exc).__name__}: {exc}"}
                print(f"  {name} FAILED: {exc}", flush=True)
    finally:
        redis.stop()
        db.cleanup()
        for f in Path("/dev/shm").glob(f"hub-{os.getpid()}-*"):
            f.unlink(missing_ok=True)
        for log in workdir.glob("*.log"):  # the servers' logs stay with the results
            shutil.copy(log, out / log.name)
        shutil.rmtree(workdir, ignore_errors=True)
    (out / "results.json").write_text(json.dumps(report, indent=1))
    md = markdown(report)
    (out / "results.md").write_text(md)
    if not args.quick and not args.no_docs:
        write_docs(md)
    print(f"results in {out}")
    return 1 if any("error" in sc for sc in report["scenarios"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
