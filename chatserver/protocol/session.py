"""A connection as a state machine: AWAITING_HELLO -> READY -> CLOSED.

:meth:`Session.receive` takes one raw frame and returns the validated request, or
raises a :class:`~chatserver.errors.ChatError` that the gateway turns into an error
frame. No socket is involved, so every rule here is tested without a server.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

from chatserver.clock import Clock
from chatserver.errors import ChatError, ProtocolError, RateLimited, TooLarge
from chatserver.protocol.frames import Envelope, Format, decode
from chatserver.protocol.schema import validate


class SessionState(enum.Enum):
    AWAITING_HELLO = "awaiting_hello"
    READY = "ready"
    CLOSED = "closed"


class CloseCode(enum.IntEnum):
    """Close codes the server uses; docs/protocol.md explains each."""

    NORMAL = 1000
    GOING_AWAY = 1001  # this node shuts down: reconnect (to another node) with last_seq
    POLICY = 1008  # Origin not allowed, or a flood that did not stop after errors
    TOO_BIG = 1009  # frame over the maximum size
    TRY_AGAIN_LATER = 1013  # the server could not set the connection up now (overloaded storage)
    UNAUTHORIZED = 4001  # missing, invalid or revoked token
    TICKET_REFUSED = 4002  # a /ws ticket unknown, already used or expired: fetch a new one
    SLOW_CONSUMER = 4008  # the client did not read fast enough; reconnect and replay
    SUPERSEDED = 4009  # token revoked (logout) while connected


class TokenBucket:
    __slots__ = ("rate", "burst", "_clock", "_tokens", "_stamp")  # one per connection

    def __init__(self, rate: float, burst: int, clock: Clock) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock.monotonic()

    def take(self) -> bool:
        now = self._clock.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False


class Request(NamedTuple):
    # A tuple for the same reason as frames.Envelope: one per frame received.
    type: str
    id: str | None
    data: dict[str, Any]


class Session:
    # Refused frames (over the rate or over the size) within FLOOD_WINDOW seconds before
    # the connection is closed as a flood. Counted over a window, not in a row: a client
    # sending a little faster than its refill has a frame accepted now and then, and
    # a count that restarted on each would never reach the limit.
    FLOOD_LIMIT = 100
    FLOOD_WINDOW = 10.0
    # One per connection.
    __slots__ = ("format", "state", "max_frame_bytes", "_bucket", "_clock", "refusals", "_window_start")

    def __init__(
        self,
        fmt: Format,
        *,
        clock: Clock,
        max_frame_bytes: int,
        rate: float,
        burst: int,
    ) -> None:
        self.format: Format = fmt
        self.state = SessionState.AWAITING_HELLO
        self.max_frame_bytes = max_frame_bytes
        self._bucket = TokenBucket(rate, burst, clock)
        self._clock = clock
        # Refusals in the window that started at _window_start.
        self.refusals = 0
        self._window_start = clock.monotonic()

    @property
    def flooding(self) -> bool:
        return self.refusals >= self.FLOOD_LIMIT and not self._window_over()

    def _window_over(self) -> bool:
        return self._clock.monotonic() - self._window_start >= self.FLOOD_WINDOW

    def _refused(self) -> None:
        if self._window_over():
            self._window_start = self._clock.monotonic()
            self.refusals = 0
        self.refusals += 1

    def receive(self, raw: str | bytes) -> Request:
        if self.state is SessionState.CLOSED:
            raise ProtocolError("the session is closed")
        # Every frame takes a token, an oversized one too: it costs the server more, not less.
        if not self._bucket.take():
            self._refused()
            exc: ChatError = RateLimited("too many messages; slow down and retry this one")
            # "Retry this one": the client can only tell which if the error names its id.
            exc.msg_id = self._frame_id(raw)
            raise exc
        size = len(raw.encode() if isinstance(raw, str) else raw)
        if size > self.max_frame_bytes:
            self._refused()
            exc = TooLarge(f"frame of {size} bytes is over the maximum of {self.max_frame_bytes}")
            exc.msg_id = self._frame_id(raw)
            raise exc
        env: Envelope = decode(self.format, raw)
        if self.state is SessionState.AWAITING_HELLO and env.type not in ("hello", "ping"):
            exc = ProtocolError(f"expected 'hello' first, got {env.type!r}", code="hello_required")
            exc.msg_id = env.id
            raise exc
        if self.state is SessionState.READY and env.type == "hello":
            exc = ProtocolError("'hello' was already received on this connection", code="duplicate_hello")
            exc.msg_id = env.id
            raise exc
        try:
            data = validate(env.type, env.data)
        except ChatError as exc:
            exc.msg_id = env.id
            raise
        return Request(env.type, env.id, data)

    def _frame_id(self, raw: str | bytes) -> str | None:
        """The id of a refused frame, when it has a valid one (the frame is at most the
        server's ws_max_size, so decoding it is bounded)."""
        try:
            return decode(self.format, raw).id
        except ProtocolError:
            return None

    def ready(self) -> None:
        if self.state is not SessionState.AWAITING_HELLO:
            raise ProtocolError(f"cannot become ready from state {self.state.value}")
        self.state = SessionState.READY

    def close(self) -> None:
        self.state = SessionState.CLOSED
