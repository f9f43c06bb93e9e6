"""A connection's requests in flight: what it has started and not answered yet.

The gateway reads a connection's frames as a pipeline (docs/protocol.md, "Pipelining"):
a ``chat.send`` is queued for its batch and the next frame is read while it waits, so a
client with many sends in flight has them stored together instead of one per commit.
This counts those requests, answers each when its future is done, and lets the reader
wait for room (``limit``: backpressure, the socket is not read meanwhile) or for none
in flight (a barrier, before a request that must see the effects of earlier ones).
No socket here: the answer is a callback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

Answer = Callable[["asyncio.Future[Any]"], None]


class InFlight:
    __slots__ = ("limit", "count", "_waiter")  # one per connection

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.count = 0
        # Set while the reader waits for room or for none in flight.
        self._waiter: asyncio.Future[None] | None = None

    def add(self, future: asyncio.Future[Any], answer: Answer) -> None:
        """Count ``future`` in flight until it is done; then ``answer`` it. Futures done
        in order are answered in that order (their callbacks run in it)."""
        self.count += 1

        def done(fut: asyncio.Future[Any]) -> None:
            try:
                answer(fut)
            finally:
                self.count -= 1
                waiter = self._waiter
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)

        future.add_done_callback(done)

    @property
    def full(self) -> bool:
        return self.count >= self.limit

    async def at_most(self, n: int) -> None:
        """Return once no more than ``n`` requests are in flight."""
        while self.count > n:
            waiter = self._waiter
            if waiter is None or waiter.done():
                waiter = self._waiter = asyncio.get_running_loop().create_future()
            await waiter
        self._waiter = None
