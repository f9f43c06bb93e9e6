"""What an operator graphs: this process's metrics, in Prometheus' registry.

``GET /metrics`` (chatserver.api.metrics) writes them out; docs/operations.md lists them
and docs/grafana-dashboard.json graphs them.

The per-frame counts (frames in and out, events replayed) are plain integers on
:data:`HOT`, bumped with ``+=`` on the event loop's thread: no lock, no call, no
allocation on the hot path. :class:`_HotCollector` reads them at scrape time and hands
them to Prometheus as counters. What happens at most once per batch, per login or per
SMS uses prometheus_client's own types (a lock and a float add: ~0.8 µs a count, ~3 µs a
histogram observation, against ~60 ns for a ``+=`` here). Gauges whose
value is a state (connections open, bus lag, the SMS outbox) are read when scraped
(:func:`chatserver.api.metrics.metrics`; a feature's through ``Services.metrics_scrapes``),
never kept up to date by the hot path. A feature declares its own metrics (``sms.metrics``).

The event loop's lag (:class:`LoopLag`) is one timer per process, not a count on any path:
how late it fires says how long the loop could run nothing else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

__all__ = [
    "BATCH_SECONDS", "BATCH_SIZE", "BUS_LAG", "BUS_PUBLISH_FAILURES", "BUS_RECONNECTS", "CONNECTIONS", "HELLOS",
    "HOT", "LOGIN_FAILURES", "LOOP_LAG", "MESSAGES_STORED", "REPLAYS", "SEND_COMMIT_SECONDS", "LoopLag",
]


class _Hot:
    """Counts bumped once per frame; read only by the collector."""

    __slots__ = ("frames_in", "frames_out", "replayed")

    def __init__(self) -> None:
        self.frames_in = 0
        self.frames_out = 0
        self.replayed = 0


HOT = _Hot()


class _HotCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        yield CounterMetricFamily("chatserver_frames_received", "WebSocket frames received from clients.",
                                  value=HOT.frames_in)
        yield CounterMetricFamily("chatserver_frames_sent", "WebSocket frames sent to clients (events, acks, errors).",
                                  value=HOT.frames_out)
        yield CounterMetricFamily("chatserver_replayed_events", "Stored events sent again from storage (replay).",
                                  value=HOT.replayed)


REGISTRY.register(_HotCollector())

CONNECTIONS = Gauge("chatserver_connections", "WebSocket connections open on this node.")
MESSAGES_STORED = Counter("chatserver_messages_stored", "Chat messages stored (a resent duplicate is not counted).")
BATCH_SIZE = Histogram("chatserver_batch_size", "Requests handled together in one batch (one transaction).",
                       ["batcher"], buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512))
BATCH_SECONDS = Histogram("chatserver_batch_duration_seconds",
                          "Time to handle one batch: for chat sends, the transaction up to its commit.",
                          ["batcher"], buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5))
# The commit alone, apart from the statements before it: on SQLite a commit that folds the
# log back into the database (a checkpoint) or waits on the disk shows here and nowhere else.
SEND_COMMIT_SECONDS = Histogram("chatserver_send_commit_duration_seconds",
                                "Time of the commit alone of one batch of chat sends (one transaction).",
                                buckets=(.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5))
REPLAYS = Counter("chatserver_replays", "Catch-ups that read a connection's missed events from storage.")
HELLOS = Counter("chatserver_hellos", "hello handshakes by outcome: resumed (replay follows), resync (the gap "
                 "was too old: the client must reload), fresh (no last_seq given).", ["outcome"])
BUS_LAG = Gauge("chatserver_bus_lag_seconds", "Round trip of this node's last probe through the bus; while a "
                "probe is unanswered, the time since it was sent.")
BUS_RECONNECTS = Counter("chatserver_bus_reconnects", "Times the bus listener lost Redis and started again.")
BUS_PUBLISH_FAILURES = Counter("chatserver_bus_publish_failures", "Publishes to the bus that failed.")
LOGIN_FAILURES = Counter("chatserver_login_failures", "Failed logins: bad_credentials, or throttled (429).",
                         ["reason"])
WS_AUTH = Counter("chatserver_ws_auth", "WebSocket connections by how the client said who it is: ticket, header, "
                  "or query_token (deprecated: the token in the URL).", ["how"])

LOOP_LAG_INTERVAL_SECONDS = 0.25
LOOP_LAG = Histogram("chatserver_event_loop_lag_seconds",
                     f"How late this process's event loop ran a timer due every {LOOP_LAG_INTERVAL_SECONDS} s: "
                     "time it could run nothing else (busy CPU, a call that blocked the loop, a stalled disk).",
                     buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1))


class LoopLag:
    """One timer on the running loop, set again each time it fires; each firing observes how
    late it came into :data:`LOOP_LAG`.

    A plain callback rather than a task asleep: its lateness is the loop's alone, not also a
    task's wake-up, and it costs a few microseconds four times a second. A sample, not a
    watch on every turn: a stall shorter than the interval is seen only when the timer
    falls due during it (a 25 ms stall about one time in ten), a longer one always. Under
    uvloop the loop's clock counts whole milliseconds: so do the observations.
    """

    def __init__(self, interval: float = LOOP_LAG_INTERVAL_SECONDS) -> None:
        self._loop = asyncio.get_running_loop()
        self._interval = interval
        self._observe = LOOP_LAG.observe
        self._due = self._loop.time() + interval
        self._timer = self._loop.call_at(self._due, self._tick)

    def _tick(self) -> None:
        now = self._loop.time()
        # asyncio runs a timer up to its clock's resolution early: never below zero.
        self._observe(max(0.0, now - self._due))
        self._due = now + self._interval
        self._timer = self._loop.call_at(self._due, self._tick)

    def stop(self) -> None:
        self._timer.cancel()
