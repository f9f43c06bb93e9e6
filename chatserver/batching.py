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
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from chatserver.logs import unbind
from chatserver.metrics import BATCH_SECONDS, BATCH_SIZE

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

# The handler answers each item in order: its result, or the exception to raise for it.
Handler = Callable[[list[Item]], Awaitable[list[Result | BaseException]]]


class Batcher(Generic[Item, Result]):
    """A queue and the tasks that handle it, which run only while the queue holds requests.

    ``concurrent`` batches may be handled at once (1 by default: each batch waits for the
    one before). With more, ``key`` says which requests must not be in two batches at once
    (on PostgreSQL, a sender's sends: stored in the order sent, docs/protocol.md); a request
    whose key is in a batch being handled waits, and the requests behind it keep their
    order among those of the same key.
    """

    def __init__(self, handle: Handler[Item, Result], *, name: str, max_batch: int = 256, concurrent: int = 1,
                 key: Callable[[Item], Hashable] | None = None) -> None:
        self._handle = handle
        self._name = name
        self._max = max_batch
        self._concurrent = concurrent
        self._key = key
        self._queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._starting = False  # a task is made and has not yet taken its batch
        # The keys in batches being handled: a set, since a key is never in two of them.
        self._busy: set[Hashable] = set()
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
        self._start()
        return fut

    def pending(self) -> int:
        return len(self._queue)

    @property
    def working(self) -> bool:
        """A batch is being handled (or about to be)."""
        return any(not task.done() for task in self._tasks)

    def _start(self) -> None:
        # The task takes its batch when it first runs, not now: what is queued until then
        # joins it. One such task at a time, so a burst makes one batch, not many.
        # A task that has returned counts no more, though its done callback has not run yet.
        if (self._queue and not self._starting
                and sum(not task.done() for task in self._tasks) < self._concurrent):
            self._starting = True
            task = asyncio.create_task(self._run(), name=self._name)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _take(self) -> list[tuple[Item, asyncio.Future[Result]]]:
        if self._key is None or not self._busy:
            batch, self._queue = self._queue[: self._max], self._queue[self._max :]
            return batch
        key = self._key
        batch, rest = [], []
        for entry in self._queue:
            if len(batch) < self._max and key(entry[0]) not in self._busy:
                batch.append(entry)
            else:
                rest.append(entry)
        self._queue = rest
        return batch

    async def _run(self) -> None:
        # Started by whichever request came first, it serves them all: its lines name none.
        unbind()
        self._starting = False
        while batch := self._take():
            # A request left waiting for this batch's keys is taken by this task's next turn.
            keys = {self._key(item) for item, _ in batch} if self._key is not None else set()
            self._busy |= keys
            self._start()  # another batch may run beside this one (concurrent > 1)
            try:
                await self._handle_batch(batch)
            finally:
                self._busy -= keys

    async def _handle_batch(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
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
