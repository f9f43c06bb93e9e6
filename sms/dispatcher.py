"""The SMS dispatcher: releases due messages and sends their outbox rows through a gateway.

One loop, run in the hub's process (``CHATSERVER_SMS_WORKER=embedded``, the default)
or in its own (``chatserver sms-worker``, the Procfile's ``sms`` line):

1. at start, :func:`~sms.actions.outbox.recover_interrupted` settles the
   rows a killed predecessor left ``submitting``;
2. each round: CORE's ``release_due`` (resolve recipients, charge, status 'sending'),
   then :func:`~sms.actions.outbox.claim` a batch and send it with at most
   ``concurrency`` calls in flight and no more than the gateway's rate per second;
3. with nothing to do it sleeps until woken (``sms.wake`` on the bus, from any process:
   a message was released or composed for "now") or ``poll_seconds`` pass; rows a
   dispatcher elsewhere left ``submitting`` for ``stale_seconds`` are recovered on the
   way, and every ``unknown_poll_seconds`` the rows left ``unknown`` are looked up at the
   provider or, past ``unknown_expire_seconds``, failed
   (:func:`~sms.actions.outbox.settle_unknown`).

:meth:`Dispatcher.stop` stops claiming, lets the calls in flight finish and record
their outcome, and closes the gateway. A failing round is logged and retried with
backoff: the loop never ends silently.

Run one dispatcher per database: claims are safe between several (PostgreSQL's
SKIP LOCKED), but recovery at start treats every older ``submitting`` row as
interrupted. A separate worker process publishes events through Redis
(``CHATSERVER_REDIS_URL``); without it the events are still stored and replayed to
clients when they reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from chatserver.bus import Delivery
from sms.actions import lifecycle, outbox
from sms.config import SmsConfig
from sms.gateways.base import DeliveryReport, Gateway, Outcome, SubmitResult
from sms.metrics import SMS_GATEWAY_ERRORS, SMS_SUBMITS

if TYPE_CHECKING:
    from chatserver.actions.context import Services
    from chatserver.clock import Clock

__all__ = ["Dispatcher", "RateLimiter", "wake"]

log = logging.getLogger(__name__)

# Any process may wake the dispatcher, wherever it runs (lifecycle.WAKE on the bus).
wake = lifecycle.wake_dispatcher


class RateLimiter:
    """A token bucket of one second's worth of submits, on the injected clock.

    It waits by polling the clock in short real sleeps, so with a FakeClock nothing
    passes until the test advances it: a rate limit test counts, it never times.
    """

    def __init__(self, rate_per_second: float, clock: Clock, *, tick: float = 0.02) -> None:
        self.rate = max(rate_per_second, 0.001)
        self.capacity = max(1.0, self.rate)
        self._tokens = self.capacity
        self._clock = clock
        self._last = clock.monotonic()
        self._tick = tick

    def _refill(self) -> None:
        now = self._clock.monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now

    async def take(self, most: int, stopping: Callable[[], bool] = lambda: False) -> int:
        """Wait for one token at least, then take up to ``most``; 0 only when ``stopping()``."""
        while True:
            self._refill()
            if self._tokens >= 1.0:
                n = min(most, int(self._tokens))
                self._tokens -= n
                return n
            if stopping():
                return 0
            await asyncio.sleep(min(self._tick, (1.0 - self._tokens) / self.rate))

    def give_back(self, n: int) -> None:
        self._tokens = min(self.capacity, self._tokens + n)

    async def take_one(self) -> None:
        """Wait for one token and take it, however long: for a part of an SMS already begun."""
        await self.take(1)


class Dispatcher:
    def __init__(
        self, services: Services, gateway: Gateway, *, concurrency: int = 8,
        poll_seconds: float = 1.0, stale_seconds: float = 120.0, rate_per_second: float = 0.0,
        release: bool = True, unknown_poll_seconds: float = 300.0, unknown_expire_seconds: float = 48 * 3600.0,
    ) -> None:
        self.svc = services
        self.gateway = gateway
        self.concurrency = max(1, concurrency)
        self.poll_seconds = poll_seconds
        self.stale = timedelta(seconds=stale_seconds)
        self.unknown_poll_seconds = unknown_poll_seconds
        self.unknown_expire = timedelta(seconds=unknown_expire_seconds)
        self.limiter = RateLimiter(rate_per_second or gateway.rate_per_second, services.clock)
        self.release = release
        self.sent = 0
        self.errors = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._started = asyncio.Event()

    @classmethod
    def from_config(cls, services: Services, gateway: Gateway) -> Dispatcher:
        config = services.config.section(SmsConfig)
        return cls(
            services, gateway, concurrency=config.concurrency, poll_seconds=config.poll_seconds,
            stale_seconds=config.stale_seconds, rate_per_second=config.rate_per_second,
            unknown_poll_seconds=config.unknown_poll_seconds,
            unknown_expire_seconds=config.unknown_expire_seconds,
        )

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        """Run in a supervised background task; :meth:`stop` ends it."""
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name=f"sms-dispatcher-{self.gateway.name}")
        return self._task

    async def started(self) -> None:
        """Wait until recovery is done and the first round may begin."""
        await self._started.wait()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    def health(self) -> dict[str, Any]:
        return {"gateway": self.gateway.name, "running": self._task is not None and not self._task.done(),
                "sent": self.sent, "errors": self.errors}

    async def _woken(self, delivery: Delivery) -> None:
        self._wake.set()

    async def run(self) -> None:
        self.svc.local.listen(lifecycle.WAKE, self._woken)
        self.gateway.on_report = self._on_report
        # A claimed row has paid for its first submit; a gateway that makes more (SMPP's
        # parts) pays for each of those here, so the rate counts what the provider counts.
        self.gateway.pace = self.limiter.take_one
        try:
            started_at = self.svc.clock.now()
            failures = 0
            last_stale_check = last_unknown_check = self.svc.clock.monotonic()
            while not self._stopping:
                try:
                    if not self._started.is_set():
                        # Inside the supervised loop: a database down at start is retried too.
                        await self.gateway.start()
                        recovered = await outbox.recover_interrupted(self.svc, self.gateway,
                                                                     claimed_before=started_at)
                        if any(recovered.values()):
                            log.warning("sms: rows interrupted by an earlier dispatcher: %s", recovered)
                        self._started.set()
                    busy = await self.step()
                    if self.svc.clock.monotonic() - last_stale_check > self.stale.total_seconds() / 2:
                        last_stale_check = self.svc.clock.monotonic()
                        await outbox.recover_interrupted(
                            self.svc, self.gateway, claimed_before=self.svc.clock.now() - self.stale
                        )
                    if self.svc.clock.monotonic() - last_unknown_check >= self.unknown_poll_seconds:
                        last_unknown_check = self.svc.clock.monotonic()
                        settled = await outbox.settle_unknown(self.svc, self.gateway,
                                                              expire_after=self.unknown_expire)
                        if any(settled.values()):
                            log.warning("sms: rows that were unknown: %s", settled)
                    failures = 0
                except asyncio.CancelledError:
                    raise
                except Exception:
                    failures += 1
                    self.errors += 1
                    SMS_GATEWAY_ERRORS.labels(self.gateway.name).inc()
                    log.exception("sms dispatcher: a round failed (%d in a row); trying again", failures)
                    busy = False
                    await asyncio.sleep(min(0.5 * 2 ** failures, 30.0))
                if not busy and not self._stopping:
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
        finally:
            self._started.set()
            self.svc.local.unlisten(lifecycle.WAKE, self._woken)
            await self.gateway.aclose()

    # -- one round ----------------------------------------------------------------------

    async def step(self) -> bool:
        """Release what is due, send one batch; True when there may be more to do at once.

        Rows are claimed only as they are about to be sent (as many as the rate allows
        now, at most ``concurrency``), so the rows ``submitting`` are the calls in
        flight and a kill leaves as few as possible to recover.
        """
        if self.release:
            await _release_due(self.svc)
        if not await outbox.has_due(self.svc):
            return False
        tokens = await self.limiter.take(self.concurrency, lambda: self._stopping)
        claimed = await outbox.claim(self.svc, self.gateway.name, tokens)
        self.limiter.give_back(tokens - len(claimed))
        if not claimed:
            return False
        results = await asyncio.gather(*(self._send(row) for row in claimed))
        # One transaction records the batch: the SQLite writer and the events stay few.
        await outbox.record(self.svc, list(zip(claimed, results, strict=True)))
        self.sent += sum(1 for r in results if r.outcome is Outcome.ACCEPTED)
        for r in results:
            SMS_SUBMITS.labels(self.gateway.name, r.outcome.value).inc()
        return True

    async def _send(self, row: outbox.Claimed) -> SubmitResult:
        try:
            return await self.gateway.send(row.submit)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # A gateway bug, not an answer: we cannot know whether it went out.
            log.exception("sms: %s gateway raised on %s", self.gateway.name, row.submit.reference)
            SMS_GATEWAY_ERRORS.labels(self.gateway.name).inc()
            return SubmitResult.ambiguous(f"gateway error: {exc!r}")

    async def _on_report(self, report: DeliveryReport) -> None:
        if not await outbox.apply_report(self.svc, report):
            log.warning("sms: delivery report for an unknown message: %s", report)


async def _release_due(svc: Services) -> None:
    released = await lifecycle.release_due(svc)
    if released:
        log.info("sms: released messages %s", released)
