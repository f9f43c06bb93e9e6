"""The Redis bus: msgpack payloads on one pub/sub channel, a supervised listener.

Every :data:`PROBE_SECONDS` the node publishes a probe and times its own echo: the bus
lag it reports (``health()["lag_seconds"]``, ``chatserver_bus_lag_seconds``) is that
round trip through Redis and this node's listener, on one clock, so no two nodes'
clocks are compared. While a probe is unanswered the lag is the time since it left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgpack
import redis.asyncio as aioredis

from chatserver.bus import Delivery, Handler, ResumeCallback
from chatserver.metrics import BUS_PUBLISH_FAILURES, BUS_RECONNECTS

log = logging.getLogger(__name__)

CHANNEL = "chatserver:bus"
# A control message: "I failed to publish something; catch up from storage".
RESUME = "bus.resume"
# A node's lag probe: data {"t": its monotonic time}; only its sender reads it.
PROBE = "bus.probe"
PROBE_SECONDS = 5.0
_CONN_ERRORS = (aioredis.ConnectionError, aioredis.TimeoutError, OSError)


class RedisBus:
    def __init__(self, url: str, node_id: str, *, channel: str = CHANNEL) -> None:
        self.node_id = node_id
        self._url = url
        self._channel = channel
        self._redis: aioredis.Redis = aioredis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self._handler: Handler | None = None
        self._task: asyncio.Task[None] | None = None
        self._resume_callbacks: list[ResumeCallback] = []
        self._connected = False
        self._restarts = 0
        self._publish_failures = 0
        self._last_error = ""
        # Bumped on every failed publish; the notifier loops until a notice went out
        # after the last failure (see _notify_missed).
        self._missed = 0
        self._notifier: asyncio.Task[None] | None = None
        self._prober: asyncio.Task[None] | None = None
        # The last probe's round trip, and when the one still unanswered left (monotonic).
        self._lag = 0.0
        self._probe_sent: float | None = None

    async def start(self, handler: Handler) -> None:
        self._handler = handler
        self._task = asyncio.create_task(self._supervise(), name="redis-bus-listener")
        self._prober = asyncio.create_task(self._probe_loop(), name="redis-bus-prober")

    def on_resume(self, callback: ResumeCallback) -> None:
        self._resume_callbacks.append(callback)

    async def publish(self, delivery: Delivery) -> None:
        delivery.origin = self.node_id
        payload = msgpack.packb(delivery.to_wire(), use_bin_type=True)
        try:
            await self._publish_raw(payload)
        except _CONN_ERRORS as exc:
            self._publish_failed(exc, 1)

    async def publish_many(self, deliveries: list[Delivery]) -> None:
        """Every delivery published in order in one round trip (a pipeline without a
        transaction: Redis runs its commands in order, one after the other)."""
        payloads = []
        for delivery in deliveries:
            delivery.origin = self.node_id
            payloads.append(msgpack.packb(delivery.to_wire(), use_bin_type=True))
        if not payloads:
            return
        try:
            await self._publish_raw_many(payloads)
        except _CONN_ERRORS as exc:
            self._publish_failed(exc, len(payloads))

    def _publish_failed(self, exc: BaseException, count: int) -> None:
        # Not fatal: durable events are stored. But the other nodes' listeners may
        # never have seen Redis go (a restart between two reads, or only our link
        # broke), so they would not resume on their own: tell them once Redis
        # answers us again, and they catch up from storage.
        self._publish_failures += count
        BUS_PUBLISH_FAILURES.inc(count)
        self._missed += 1
        self._last_error = repr(exc)
        log.warning("bus publish failed (%s); other nodes will catch up when Redis is back", exc)
        if self._notifier is None or self._notifier.done():
            self._notifier = asyncio.create_task(self._notify_missed(), name="redis-bus-notifier")

    async def _publish_raw(self, payload: bytes) -> None:
        try:
            await self._redis.publish(self._channel, payload)
        except _CONN_ERRORS:
            # After a Redis restart every pooled connection is dead and fails once;
            # the pool has dropped this one, so one retry gets a fresh connection.
            await self._redis.publish(self._channel, payload)

    async def _publish_raw_many(self, payloads: list[bytes]) -> None:
        try:
            await self._pipeline(payloads)
        except _CONN_ERRORS:
            # As in _publish_raw: one retry on a fresh connection. A pipeline that failed
            # may have published some of its messages: a node may get those twice, which
            # it already takes (a durable event's seq is delivered once per connection).
            await self._pipeline(payloads)

    async def _pipeline(self, payloads: list[bytes]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for payload in payloads:
            pipe.publish(self._channel, payload)
        await pipe.execute()

    async def _notify_missed(self) -> None:
        """Publish a RESUME notice after the last failed publish; retry with backoff.

        Every message whose publish failed was committed before the failure was
        counted, so a notice published after reading the counter covers them all;
        a failure counted meanwhile sends another round.
        """
        backoff = 0.1
        notice = msgpack.packb(Delivery(users=[], type=RESUME, data={}, origin=self.node_id).to_wire(), use_bin_type=True)
        while True:
            missed = self._missed
            try:
                await self._publish_raw(notice)
            except _CONN_ERRORS as exc:
                self._last_error = repr(exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            if missed == self._missed:
                log.warning("bus publish works again; told the other nodes to catch up from storage")
                return

    def lag(self) -> float:
        """Seconds: the last probe's round trip, or how long the unanswered one has been out."""
        if self._probe_sent is not None:
            return max(self._lag, asyncio.get_running_loop().time() - self._probe_sent)
        return self._lag

    async def _probe_loop(self) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(0.5)
        while True:
            sent = loop.time()
            if self._probe_sent is None:
                # The wait starts now, answered or not: lag() grows while Redis is away.
                self._probe_sent = sent
            if self._connected:
                probe = Delivery(users=[], type=PROBE, data={"t": sent}, origin=self.node_id)
                try:
                    await self._redis.publish(self._channel, msgpack.packb(probe.to_wire(), use_bin_type=True))
                except _CONN_ERRORS:
                    pass  # the listener finds out too, and says so
            await asyncio.sleep(PROBE_SECONDS if self._probe_sent is None else 0.5)

    def health(self) -> dict[str, Any]:
        return {
            "backend": "redis",
            "connected": self._connected,
            "lag_seconds": round(self.lag(), 4),
            "listener_restarts": self._restarts,
            "publish_failures": self._publish_failures,
            "last_error": self._last_error,
        }

    async def _supervise(self) -> None:
        """Run the listener forever; restart it with backoff and say so loudly."""
        backoff = 0.1
        first = True
        while True:
            try:
                await self._listen(resumed=not first)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the listener must never die silently
                self._connected = False
                self._restarts += 1
                BUS_RECONNECTS.inc()
                self._last_error = repr(exc)
                log.error("bus listener lost Redis (%s); retrying in %.1fs", exc, backoff)
            first = False
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)

    async def _listen(self, *, resumed: bool) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self._channel)
            self._connected = True
            if resumed:
                log.warning("bus listener reconnected to Redis; connections catch up from storage")
                await self._run_resume_callbacks()
            while True:
                message = await pubsub.get_message(timeout=1.0)
                if message is None:
                    continue
                await self._dispatch(message["data"])
        finally:
            self._connected = False
            try:
                # Called through a typed name: redis-py annotates aclose() in some releases and
                # not in others, and a call typed here checks the same under both.
                close: Callable[[], Awaitable[None]] = pubsub.aclose
                await close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                pass

    async def _run_resume_callbacks(self) -> None:
        for callback in self._resume_callbacks:
            try:
                await callback()
            except Exception:
                log.exception("bus resume callback failed")

    async def _dispatch(self, raw: bytes) -> None:
        try:
            delivery = Delivery.from_wire(msgpack.unpackb(raw, raw=False))
        except Exception:
            log.exception("undecodable bus message dropped")
            return
        if delivery.type == PROBE:
            if delivery.origin == self.node_id:
                self._lag = asyncio.get_running_loop().time() - float(delivery.data.get("t", 0.0))
                self._probe_sent = None
            return
        if delivery.origin == self.node_id or self._handler is None:
            return
        if delivery.type == RESUME:
            # Another node failed to publish: what it missed sending is in storage.
            await self._run_resume_callbacks()
            return
        try:
            await self._handler(delivery)
        except Exception:
            log.exception("bus handler failed for %s", delivery.type)

    async def stop(self) -> None:
        for task in (self._prober, self._notifier, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self._redis.aclose()
