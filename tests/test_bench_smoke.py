"""The benchmark's smoke run: every scenario against every server at a tiny size.

Correctness only (nothing lost, nothing duplicated, every scenario and peer in the results
file), never timings. A peer that cannot be installed or started fails this test: the
benchmark must never quietly compare against fewer peers than it claims.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# Run once (scripts/test.sh): the benchmark seeds its own SQLite databases whatever CHATSERVER_TEST_DB says.
pytestmark = pytest.mark.dbindependent


@pytest.mark.parametrize("module", ["socketio", "channels", "channels_redis", "django", "websockets", "orjson"])
def test_peer_installed(module: str) -> None:
    # A missing peer is a failure, never a skipped test (pip install -e '.[bench]').
    importlib.import_module(module)


def test_smoke_run_every_scenario_and_peer(tmp_path: Path) -> None:
    assert shutil.which("redis-server"), "redis-server is needed on PATH (a private one is started)"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--out", str(tmp_path)],
        cwd=str(ROOT), capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    report = json.loads((tmp_path / "results.json").read_text())
    assert (tmp_path / "results.md").exists()
    from bench.run import PEERS_FOR, SCENARIOS

    assert set(report["scenarios"]) == set(SCENARIOS)
    for name in SCENARIOS:
        scenario = report["scenarios"][name]
        assert "error" not in scenario, scenario
        targets = scenario["targets"]
        assert "hub-file" in targets, name
        for peer in PEERS_FOR[name]:
            assert peer in targets, (name, peer)
        for target, entry in targets.items():
            r = entry["result"]
            if name == "idle":
                assert r["reached"] == r["connections"], (target, r)
            elif name == "throughput":
                assert r["connected"] == 2 * r["pairs"] and r["steps"][0]["delivered"] > 0, (target, r)
                if target.startswith("hub"):
                    # The hub's own account of each fixed load (bench/hubstalls.py) counted its
                    # batches of sends: its /metrics was read, and the histograms are the ones named.
                    assert all(f["hub_over_25ms"]["batches_all"] > 0 for f in r["fixed"]), (target, r)
            elif name == "presence":
                assert r["all_notified"], (target, r)
            elif name == "storm":
                assert r["resumed"] == r["connections"], (target, r)
                if target.startswith("hub"):
                    # The hub's promise: nothing lost, nothing twice, every send acked.
                    assert r["lost"] == 0 and r["duplicated"] == 0 and r["unacked"] == 0, (target, r)
            elif name == "twonode":
                assert r["delivered"] == r["sent"], (target, r)
            elif name == "pipeline":
                assert r["delivered"] == r["sent"] == r["acked"] > 0 and r["duplicated"] == 0, (target, r)
                if target.startswith("hub"):
                    assert r["out_of_order"] == 0, (target, r)  # each sender's messages in the order sent


def _batchprobe(*before: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "bench.batchprobe", "sqlite", "--pairs", "2", "--batch", "4", "--batches", "3",
            "--history", "10"]
    for sql in before:
        args += ["--before", sql]
    return subprocess.run(args, cwd=str(ROOT), capture_output=True, text=True, timeout=300)


def test_batchprobe_runs_the_statements_before_and_every_send_is_stored() -> None:
    # A schema change measured before it is made: the probe applies it to its own seeded
    # database. With this index a client_msg_id stored twice would fail the probe.
    index = "CREATE UNIQUE INDEX probe_unique_cmid ON messages (client_msg_id)"
    proc = _batchprobe(index)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["before"] == [index]
    assert result["batch"] == 4 and result["batches"] == 3 and result["cpu_us_per_msg"] > 0
    # The statements really run: one the database refuses stops the probe, named.
    refused = _batchprobe("UPDATE messages SET no_such_column = 1")
    assert refused.returncode != 0 and "no_such_column" in refused.stderr
