"""Micro-batching: the requests that arrive while one batch is handled form the next.

The hub's answer to load is to do the same work for many at once rather than once for
each: the sends waiting at one moment share a transaction (``actions.chat_batch``), the
connections set up or torn down at one moment share their queries
(``actions.connections``). With no load a batch holds one request: nothing waits for
company, so a single request costs what it did without batching.

A batch that fails as a whole (a database error) is handled again one request at a time,
so one bad request cannot fail the others.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from chatserver.logs import unbind
from chatserver.metrics import BATCH_SECONDS, BATCH_SIZE

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

# The handler answers each item in order: its result, or the exception to raise for it.
Handler = Callable[[list[Item]], Awaitable[list[Result | BaseException]]]


class Batcher(Generic[Item, Result]):
    """A queue and one worker task that runs only while the queue holds requests."""

    def __init__(self, handle: Handler[Item, Result], *, name: str, max_batch: int = 256) -> None:
        self._handle = handle
        self._name = name
        self._max = max_batch
        self._queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self._worker: asyncio.Task[None] | None = None
        # The metrics' children looked up once, not once per batch.
        self._size = BATCH_SIZE.labels(name)
        self._seconds = BATCH_SECONDS.labels(name)

    async def submit(self, item: Item) -> Result:
        return await self.enqueue(item)

    def enqueue(self, item: Item) -> asyncio.Future[Result]:
        """Queue ``item`` now, behind every item queued before it, and return its answer
        to come. Nothing is awaited before the item is in the queue: a caller that
        enqueues several in a row has them handled in that order (a connection's
        pipelined sends, docs/protocol.md)."""
        fut: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((item, fut))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._run(), name=self._name)
        return fut

    def pending(self) -> int:
        return len(self._queue)

    @property
    def working(self) -> bool:
        """A batch is being handled (or about to be)."""
        return self._worker is not None and not self._worker.done()

    async def _run(self) -> None:
        # Started by whichever request came first, it serves them all: its lines name none.
        unbind()
        while self._queue:
            batch, self._queue = self._queue[: self._max], self._queue[self._max :]
            items = [item for item, _ in batch]
            self._size.observe(len(items))
            started = time.perf_counter()
            try:
                outcomes = await self._handle(items)
                self._seconds.observe(time.perf_counter() - started)
            except Exception:  # noqa: BLE001 - the batch failed as a whole: each alone
                log.warning("%s: a batch of %d failed; retrying one by one", self._name, len(batch), exc_info=True)
                outcomes = []
                for item in items:
                    try:
                        outcomes += await self._handle([item])
                    except Exception as exc:  # noqa: BLE001 - this one fails, alone
                        outcomes.append(exc)
            for (_, fut), outcome in zip(batch, outcomes, strict=True):
                if fut.done():  # its caller went away (connection closed)
                    continue
                if isinstance(outcome, BaseException):
                    fut.set_exception(outcome)
                else:
                    fut.set_result(outcome)
