"""uvicorn's WebSocket protocol (``websockets`` sans-io), lighter per idle connection.

An idle hub connection lives for hours, and with 10,000 of them per process every KiB
each keeps is 10 MB (docs/benchmarks.md, "Making the hub fast"). uvicorn's protocol keeps,
for the connection's whole life:

- the parsed upgrade request and the 101 response: two ``websockets`` Headers objects
  with every header (~4.5 KiB), though nothing reads them once the handshake is sent.
  The ASGI scope keeps its own copy of the request headers, which is what the
  application reads. The request's own Headers are emptied too, because websockets'
  parser keeps the request object itself (a local of ``ServerProtocol.parse``).
- an ``asyncio.Queue`` for received messages and an ``asyncio.Event`` for write flow
  control (five deques and two more objects, ~4 KiB). The same behaviour takes a list
  and a future made only while someone waits.

It also offers the application a synchronous write (:data:`SEND_NOW`, an ASGI scope
extension): a frame for a socket that can take it now is written without a task and the
four coroutines of an ASGI send. The hub writes most frames that way (``hub.Connection``).
The frames it takes in one turn of the event loop leave in one write at the end of it,
or sooner when many sockets have frames waiting (:class:`TurnWrites`).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.http11 import Request

from chatserver.config import Config

# scope["extensions"][SEND_NOW]: Callable[[str | bytes], bool]; see LeanWebSocketProtocol.send_now.
SEND_NOW = "chatserver.send_now"


def uvicorn_options(config: Config) -> dict[str, Any]:
    """uvicorn's settings for the hub's sockets, one place for ``chatserver serve``, the
    tests' server and the bench's in-process probe, so all three run what is deployed."""
    return {
        "ws": LeanWebSocketProtocol,
        # Room for a frame at the limit plus its envelope: the protocol layer answers an
        # oversized frame with a clear error instead of a dropped connection.
        "ws_max_size": config.max_frame_bytes * 2,
        "ws_ping_interval": config.heartbeat_seconds,
        "ws_ping_timeout": config.heartbeat_seconds,
        # uvicorn offers permessage-deflate by default, and browsers always ask for it:
        # then every frame is compressed (zlib's CPU per frame) and every connection keeps
        # its zlib contexts. Chat frames are small; CHATSERVER_WS_COMPRESSION turns it on.
        "ws_per_message_deflate": config.ws_compression,
        # Forwarded headers are read by the app, from CHATSERVER_TRUSTED_PROXIES only
        # (uvicorn would trust 127.0.0.1's by default).
        "proxy_headers": False,
    }


def abort(send_now: Any) -> bool:
    """Drop the connection whose :data:`SEND_NOW` this is, without a closing handshake
    (the transport is aborted: its buffers are freed and uvicorn reports a disconnect).

    For a client that does not read: the close frame waits for the socket to drain like
    any frame, so it never goes. The protocol is reached through the method it offered
    rather than a second extension, which would cost every connection a bound method.
    False when the connection is not ours (another server) and nothing was done."""
    protocol = getattr(send_now, "__self__", None)
    if not isinstance(protocol, LeanWebSocketProtocol):
        return False
    protocol.transport.abort()
    return True


class ReceiveQueue:
    """The part of ``asyncio.Queue`` uvicorn uses (unbounded FIFO: put_nowait, get,
    empty) for one consumer: the application's ``receive``. uvicorn pauses reading
    while a message waits, so it rarely holds more than one or two."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        while not self._items:
            waiter = self._waiter
            if waiter is None or waiter.done():
                waiter = self._waiter = asyncio.get_running_loop().create_future()
            try:
                await waiter
            finally:
                self._waiter = None
        return self._items.pop(0)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


class Flag:
    """``asyncio.Event`` (set, clear, is_set, wait) without a deque of waiters per
    instance: one future, made only while the flag is clear and someone waits."""

    __slots__ = ("_value", "_waiter")

    def __init__(self) -> None:
        self._value = False
        self._waiter: asyncio.Future[None] | None = None

    def is_set(self) -> bool:
        return self._value

    def set(self) -> None:
        self._value = True
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def clear(self) -> None:
        self._value = False

    async def wait(self) -> bool:
        while not self._value:
            if self._waiter is None or self._waiter.done():
                self._waiter = asyncio.get_running_loop().create_future()
            # Shielded: one waiter cancelled (a send task cancelled) must not cancel
            # the future the others share.
            await asyncio.shield(self._waiter)
        return True


class TurnWrites:
    """The sockets of one event loop whose frames wait in websockets' output buffer,
    written at the end of the loop's turn: the frames a socket takes in one turn (a
    batch's acks and events for it) leave in one write, one system call instead of one
    per frame. One callback per turn for all of them, not one per socket.

    A turn that gives frames to many sockets (a status change to a thousand contacts)
    writes every :data:`CHUNK` sockets' frames at once instead of all at the end, so the
    first recipients read theirs while the loop still writes to the others: held to the
    end, the last recipient waited for the whole fan-out and then for its own turn to
    read (presence bench, 1,000 contacts: last notified 30 -> 38 ms when every write
    waited for the end of the turn; docs/benchmarks.md, step 44)."""

    CHUNK = 64

    __slots__ = ("loop", "pending", "__weakref__")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending: list[LeanWebSocketProtocol] = []

    def add(self, protocol: LeanWebSocketProtocol) -> None:
        pending = self.pending
        pending.append(protocol)
        if len(pending) == 1:
            self.loop.call_soon(self.write_all)
        elif len(pending) >= self.CHUNK:
            self.write_all()  # the callback already due finds the list empty, or the next ones

    def write_all(self) -> None:
        pending, self.pending = self.pending, []
        for protocol in pending:
            protocol.write_pending()


# One per event loop (a process runs one; the tests may run several in turn). The last
# one used is kept at hand: a WeakKeyDictionary's lookup for every frame cost more than
# the callback it saves (docs/benchmarks.md, "Measured and not done").
_TURN_WRITES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, TurnWrites] = weakref.WeakKeyDictionary()
_last_turn_writes: TurnWrites | None = None


def _turn_writes(loop: asyncio.AbstractEventLoop) -> TurnWrites:
    global _last_turn_writes
    writes = _last_turn_writes
    if writes is None or writes.loop is not loop:
        writes = _TURN_WRITES.get(loop)
        if writes is None:
            writes = _TURN_WRITES[loop] = TurnWrites(loop)
        _last_turn_writes = writes
    return writes


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    # True while frames written by send_now wait in TurnWrites (a class default: an idle
    # connection has no attribute of its own for it).
    _write_pending = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = ReceiveQueue()  # type: ignore[assignment]
        self.writable = Flag()  # type: ignore[assignment]
        self.writable.set()

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        self.scope["extensions"][SEND_NOW] = self.send_now  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        # The scope held this protocol's own method: a cycle only the collector would free.
        scope: Any = getattr(self, "scope", None)  # none when lost before the handshake
        if scope is not None:
            scope["extensions"].pop(SEND_NOW, None)

    def send_now(self, data: str | bytes) -> bool:
        """Write one data frame now if the socket takes it without waiting: accepted, not
        closing, and not paused by flow control (the transport's buffer over its high-water
        mark). False means nothing was written: send it through the ASGI ``send``, which
        waits for the socket to drain."""
        if (not self.handshake_complete or self.close_sent or self.disconnected
                or self.initial_response is not None or not self.writable.is_set()):
            return False
        try:
            if isinstance(data, bytes):
                self.conn.send_binary(data)
            else:
                self.conn.send_text(data.encode())
        except InvalidState:
            return False
        # The frame waits in websockets' output buffer for the end of the loop's turn
        # (TurnWrites). Every other write uvicorn makes (an ASGI send, a close, a pong)
        # takes that buffer first, so the order holds.
        if not self._write_pending:
            self._write_pending = True
            _turn_writes(self.loop).add(self)
        return True

    def write_pending(self) -> None:
        """Write what :meth:`send_now` left in the output buffer (TurnWrites calls it)."""
        self._write_pending = False
        output = self.conn.data_to_send()
        if output and not self.transport.is_closing():
            self.transport.write(b"".join(output))

    async def send(self, message: Any) -> None:
        await super().send(message)
        # uvicorn reads request/response only up to sending the handshake response.
        if self.handshake_complete and self.__dict__.get("response") is not None:
            self.request.headers.clear()
            self.request = None  # type: ignore[assignment]
            self.response = None  # type: ignore[assignment]
