"""What the hub says about its own slow moments at a fixed load: its histograms of a batch of
sends' time, of the commit alone and of the event loop's lateness (chatserver.metrics),
scraped from ``/metrics`` before and after the load, and the observations over
:data:`MARK` between the two scrapes counted.

So a run's p99 can be read: stalls in the hub's write path (batches and commits over the
mark: on SQLite on disk, a commit that checkpointed the log or waited on the disk), an event
loop that ran late (a busy CPU, a call that blocked it), or none of these (the load
generators, the machine; docs/benchmarks.md). The loop's lateness is a sample (a timer four
times a second), the batches and commits are every one.
"""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

# A bucket bound of all three histograms (chatserver.metrics): "over 25 ms" is exact, not
# interpolated. A send waits for the batch before its own and then its own: a batch this
# long alone puts a send over the p99 target (20 ms).
MARK = 0.025

# What is counted: (histogram, the labels its series must have).
WATCHED: dict[str, tuple[str, dict[str, str]]] = {
    "batches": ("chatserver_batch_duration_seconds", {"batcher": "chat-send-batcher"}),
    "commits": ("chatserver_send_commit_duration_seconds", {}),
    "loop_late": ("chatserver_event_loop_lag_seconds", {}),
}

Counts = dict[str, tuple[float, float]]  # name -> (observations, observations <= MARK)


def counts(exposition: str) -> Counts:
    """Each watched histogram's observations in all, and those within :data:`MARK`."""
    found: dict[str, list[float]] = {name: [0.0, 0.0] for name in WATCHED}
    for family in text_string_to_metric_families(exposition):
        for name, (metric, labels) in WATCHED.items():
            if family.name != metric:
                continue
            for sample in family.samples:
                if any(sample.labels.get(k) != v for k, v in labels.items()):
                    continue
                if sample.name == f"{metric}_count":
                    found[name][0] += sample.value
                elif sample.name == f"{metric}_bucket" and float(sample.labels["le"]) == MARK:
                    found[name][1] += sample.value
    return {name: (total, within) for name, (total, within) in found.items()}


async def scrape(bases: list[str]) -> Counts:
    """The counts summed over the hub's nodes (``ws://host:port`` each)."""
    total: dict[str, list[float]] = {name: [0.0, 0.0] for name in WATCHED}
    async with httpx.AsyncClient(timeout=10) as http:
        for base in bases:
            response = await http.get(base.replace("ws://", "http://", 1) + "/metrics")
            response.raise_for_status()
            for name, (all_, within) in counts(response.text).items():
                total[name][0] += all_
                total[name][1] += within
    return {name: (a, w) for name, (a, w) in total.items()}


def over(before: Counts, after: Counts) -> dict[str, Any]:
    """Between two scrapes: the batches of sends, and per histogram those over the mark."""
    result: dict[str, Any] = {"batches_all": int(after["batches"][0] - before["batches"][0])}
    for name in WATCHED:
        (all0, within0), (all1, within1) = before[name], after[name]
        result[name] = int((all1 - within1) - (all0 - within0))
    return result
