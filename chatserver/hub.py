"""This node's live connections, and the ordered, gap-free delivery of events to them.

Each :class:`Connection` has one bounded outbound queue drained by one writer task
(started when a frame is queued, ended when the queue is empty), so frames leave in
the order they were queued. Durable events carry the user's stream
sequence: the writer sends the next one it expects and, on a gap (a bus message lost
in a Redis blip, a slow node), reads what is missing from storage first. A client too
slow to drain its queue is disconnected; it reconnects and replays, losing nothing.

The hub knows nothing of the actions or of storage: the app factory gives it the
function that reads a user's missed events (:data:`Replay`), and the bus hands it
deliveries through :class:`chatserver.bus.local.LocalRouter`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, Protocol

from chatserver.bus import Delivery
from chatserver.metrics import HOT, REPLAYS
from chatserver.protocol.frames import Format, encode, event
from chatserver.protocol.session import CloseCode

__all__ = ["REVOKED", "Connection", "Hub", "Replay", "Replayed"]

log = logging.getLogger(__name__)

Sender = Callable[[str | bytes], Coroutine[Any, Any, None]]
Closer = Callable[[int, str], Coroutine[Any, Any, None]]
# Writes a frame now if the socket takes it without waiting; False: nothing was written.
SendNow = Callable[[str | bytes], bool]

_CATCH_UP = object()
_CATCH_UP_IF_BEHIND = object()
_NEXT, _SKIP, _GAP = object(), object(), object()  # Connection._order's answers
_BATCH = 500

# A token was revoked (logout) on some node: data {"token": its digest}; every node
# closes the connections that authenticated with it.
REVOKED = "session.revoked"


class Replayed(Protocol):
    """A stored event, as :data:`Replay` returns it."""

    @property
    def seq(self) -> int: ...

    @property
    def type(self) -> str: ...

    @property
    def data(self) -> dict[str, Any]: ...


# (user_id, after_seq, limit) -> that user's stored events after after_seq, oldest first.
Replay = Callable[[int, int, int], Awaitable[Sequence[Replayed]]]


class Connection:
    """One socket's outbound side: a bounded FIFO and a writer task that runs only while
    the FIFO holds frames.

    An idle connection holds no task and no ``asyncio.Queue`` (a Queue is four deques and
    an Event, ~3.5 KiB; a parked writer task ~1 KiB): with 10,000 idle connections per
    process that was a tenth of each one's memory (docs/benchmarks.md).
    """

    __slots__ = ("id", "user_id", "format", "_send", "_close", "_replay", "_pending", "_limit",
                 "delivered_seq", "tip", "hold", "closed", "token_digest", "_writer", "_send_now", "_absorbed",
                 "_expiry")

    def __init__(
        self,
        conn_id: str,
        user_id: int,
        fmt: Format,
        send: Sender,
        close: Closer,
        replay: Replay,
        *,
        queue_limit: int,
        send_now: SendNow | None = None,
    ) -> None:
        self.id = conn_id
        self.user_id = user_id
        self.format: Format = fmt
        self._send = send
        self._close = close
        self._replay = replay
        # Frames waiting for the writer, oldest first; never more than _limit of them.
        # None while idle (an empty deque is ~600 bytes).
        self._pending: deque[Any] | None = None
        self._limit = queue_limit
        # Last durable seq sent; None until the hello handshake set the starting point.
        self.delivered_seq: int | None = None
        # The highest seq this connection knows exists (hello's position, events pushed):
        # a catch-up after hello reads storage only when the connection is behind it.
        self.tip = 0
        # True while the user's status is Offline: durable events wait in storage (IC-5).
        self.hold = False
        self.closed = False
        # The digest of the bearer token this connection authenticated with (never the
        # token itself): its revocation on any node closes the connection (REVOKED).
        self.token_digest = ""
        # Closes the connection when its token expires (expire_at).
        self._expiry: asyncio.TimerHandle | None = None
        # Running while _pending is not empty; None when idle.
        self._writer: asyncio.Task[None] | None = None
        # The server's synchronous write (ws_protocol.SEND_NOW), when it offers one.
        self._send_now = send_now
        # The seqs of this connection's own sends whose events their acks will carry
        # (absorb): several when pipelined sends shared a batch. None while there are none.
        self._absorbed: set[int] | None = None

    def send_frame(self, frame: dict[str, Any] | str | bytes) -> None:
        payload = frame if isinstance(frame, str | bytes) else encode(self.format, frame)
        # Nothing queued before it and a socket that takes it: written now, no task.
        if self._pending is None and self._send_now is not None and not self.closed and self._send_now(payload):
            HOT.frames_out += 1
            return
        self._put(payload)

    def push_durable(self, seq: int, type_: str, data: dict[str, Any]) -> None:
        if seq > self.tip:
            self.tip = seq
        if self._pending is None and self._send_now is not None and not self.closed:
            # Nothing queued before it: the writer's rule applied now, without the writer.
            order = self._order(seq)
            if order is _SKIP:
                return
            if order is _NEXT and self._send_now(encode(self.format, event(type_, data, seq))):
                self.delivered_seq = seq
                HOT.frames_out += 1
                return
        self._put((seq, type_, data))

    def absorb(self, seq: int, type_: str, data: dict[str, Any]) -> None:
        """The sender's own event for a send made on this connection.

        When it is next in line it is not written: the send's ack, which holds the same
        message, carries its seq instead (``take_absorbed``), one frame less per message
        for this connection and its client. Otherwise (events queued before it, a gap, a
        held stream) it goes out as any event would.
        """
        if seq > self.tip:
            self.tip = seq
        if self._pending is None and not self.closed and self._order(seq) is _NEXT:
            self.delivered_seq = seq
            if self._absorbed is None:
                self._absorbed = set()
            self._absorbed.add(seq)
            return
        self.push_durable(seq, type_, data)

    def take_absorbed(self, seq: int) -> bool:
        """Whether the event ``seq`` was absorbed, so the ack being written must carry it."""
        absorbed = self._absorbed
        if absorbed is None or seq not in absorbed:
            return False
        absorbed.discard(seq)
        if not absorbed:
            self._absorbed = None
        return True

    def _order(self, seq: int) -> object:
        """Where a durable event stands for this connection: _NEXT to send; _SKIP before
        hello, while held (it waits in storage) or sent already (a replay overlapping live
        delivery); _GAP when events before it are missing (read them from storage first)."""
        if self.delivered_seq is None or self.hold or seq <= self.delivered_seq:
            return _SKIP
        return _NEXT if seq == self.delivered_seq + 1 else _GAP

    def catch_up(self, *, if_behind: bool = False) -> None:
        """Queue a replay from storage. ``if_behind``: only if an event this connection knows
        of was not sent (after hello); otherwise always, since a bus message may have been
        lost without this connection ever hearing of it."""
        self._put(_CATCH_UP_IF_BEHIND if if_behind else _CATCH_UP)

    def _put(self, item: Any) -> None:
        if self.closed:
            return
        pending = self._pending
        if pending is None:
            pending = self._pending = deque()
        elif len(pending) >= self._limit:
            log.warning("connection %s of user %s is too slow; closing it", self.id, self.user_id,
                        extra={"conn_id": self.id, "user_id": self.user_id})
            self.closed = True
            asyncio.get_running_loop().create_task(
                self._close(CloseCode.SLOW_CONSUMER, "too slow; reconnect with your last seq")
            )
            return
        pending.append(item)
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._drain(), name=f"conn-writer-{self.id}")

    async def _drain(self) -> None:
        # One writer at a time: _put starts one only when _writer is None, and this task
        # clears it only once _pending is empty (no await between the check and the
        # clearing), so frames leave in the order they were queued.
        pending = self._pending
        try:
            while pending:
                await self._write(pending.popleft())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken socket ends this connection only
            log.info("writer of connection %s stopped: %s", self.id, exc,
                     extra={"conn_id": self.id, "user_id": self.user_id})
            self.closed = True
        finally:
            self._writer = None
            self._pending = None

    async def _write(self, item: Any) -> None:
        if item is _CATCH_UP:
            await self._catch_up()
        elif item is _CATCH_UP_IF_BEHIND:
            if self.delivered_seq is None or self.delivered_seq < self.tip:
                await self._catch_up()
        elif isinstance(item, tuple):
            seq, type_, data = item
            order = self._order(seq)
            if order is _NEXT:
                await self._send(encode(self.format, event(type_, data, seq)))
                self.delivered_seq = seq
                HOT.frames_out += 1
            elif order is _GAP:
                await self._catch_up()
        else:
            await self._send(item)
            HOT.frames_out += 1

    async def _catch_up(self) -> None:
        if self.delivered_seq is None or self.hold:
            return
        REPLAYS.inc()
        while True:
            rows = await self._replay(self.user_id, self.delivered_seq, _BATCH)
            for row in rows:
                frame = event(row.type, row.data, row.seq)
                frame["replay"] = True
                await self._send(encode(self.format, frame))
                self.delivered_seq = row.seq
                HOT.frames_out += 1
                HOT.replayed += 1
            if len(rows) < _BATCH:
                return

    def expire_at(self, seconds: float) -> None:
        """Close this connection (4001) in ``seconds``, when its token stops being valid:
        a token is checked at the handshake, and a socket must not outlive it."""
        if self._expiry is not None:
            self._expiry.cancel()
        loop = asyncio.get_running_loop()
        self._expiry = loop.call_later(max(0.0, seconds), self._expired)

    def _expired(self) -> None:
        self._expiry = None
        if not self.closed:
            asyncio.get_running_loop().create_task(self.close(CloseCode.UNAUTHORIZED, "token expired; log in again"))

    async def close(self, code: int, reason: str) -> None:
        self.closed = True
        await self._close(code, reason)

    async def close_after_flush(self, code: int, reason: str, timeout: float = 2.0) -> None:
        """Close once the frames already queued (e.g. the error replies) have been sent.

        A client flooding the socket keeps the reader busy, so the writer may not have
        sent a single reply yet; closing at once would drop the ``rate_limited`` errors.
        """
        self.closed = True  # nothing new is queued
        if self._writer is not None:
            # The writer ends once the queue is empty; waiting does not cancel it.
            await asyncio.wait({self._writer}, timeout=timeout)
        await self._close(code, reason)

    async def stop(self) -> None:
        self.closed = True
        self._pending = None
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        writer = self._writer
        if writer is not None:
            writer.cancel()
            try:
                await writer
            except (asyncio.CancelledError, Exception):
                pass


class Hub:
    """Routes deliveries to this node's connections by user id (or connection id)."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        self._by_user: dict[int, dict[str, Connection]] = defaultdict(dict)

    def connect(
        self, conn_id: str, user_id: int, fmt: Format, send: Sender, close: Closer, *,
        queue_limit: int, send_now: SendNow | None = None,
    ) -> Connection:
        """A new connection of this node, added to the hub; :meth:`remove` it when it ends."""
        conn = Connection(conn_id, user_id, fmt, send, close, self.replay, queue_limit=queue_limit, send_now=send_now)
        self._by_user[user_id][conn_id] = conn
        return conn

    def remove(self, conn: Connection) -> None:
        conns = self._by_user.get(conn.user_id)
        if conns is not None:
            conns.pop(conn.id, None)
            if not conns:
                del self._by_user[conn.user_id]

    def connections(self, user_id: int) -> list[Connection]:
        return list(self._by_user.get(user_id, {}).values())

    def all(self) -> list[Connection]:
        return [c for conns in self._by_user.values() for c in conns.values()]

    def count(self) -> int:
        return sum(len(c) for c in self._by_user.values())

    def _targets(self, uid: int, conns: list[str] | None) -> list[Connection]:
        mine = self._by_user.get(uid)
        if not mine:
            return []
        if conns is None:
            return list(mine.values())
        return [c for cid in conns if (c := mine.get(cid)) is not None]

    async def deliver(self, delivery: Delivery) -> None:
        if delivery.type == REVOKED:
            digest = delivery.data.get("token")
            for uid in delivery.users:
                for conn in self.connections(uid):
                    if conn.token_digest == digest:
                        await conn.close(CloseCode.SUPERSEDED, "logged out")
            return
        if delivery.type == "presence.self":
            # The user's own status changed (maybe on another node): hold or release.
            hold = delivery.data.get("status") == "offline"
            for conn in self.connections(delivery.users[0]):
                was = conn.hold
                conn.hold = hold
                if was and not hold:
                    conn.catch_up()
        if delivery.seqs is not None:
            self._deliver_durable(delivery, delivery.seqs)
            return
        # Ephemeral: encode once per format, not once per connection.
        encoded: dict[str, str | bytes] = {}
        for uid in delivery.users:
            for conn in self._targets(uid, delivery.conns):
                if conn.id == delivery.exclude_conn:
                    continue
                frame = encoded.get(conn.format)
                if frame is None:
                    frame = encoded[conn.format] = encode(conn.format, event(delivery.type, delivery.data))
                conn.send_frame(frame)

    async def deliver_many(self, deliveries: list[Delivery]) -> None:
        """:meth:`deliver` each, in order; a durable event without an await (a batch of
        sends publishes two per message)."""
        for delivery in deliveries:
            seqs = delivery.seqs
            if seqs is not None and delivery.type != REVOKED and delivery.type != "presence.self":
                self._deliver_durable(delivery, seqs)
            else:
                await self.deliver(delivery)

    def _deliver_durable(self, delivery: Delivery, seqs: list[int]) -> None:
        # exclude_conn on a durable event: the connection that made it, whose ack
        # will carry it when it can (Connection.absorb).
        for uid, seq in zip(delivery.users, seqs, strict=True):
            for conn in self._targets(uid, delivery.conns):
                if conn.id == delivery.exclude_conn:
                    conn.absorb(seq, delivery.type, delivery.data)
                else:
                    conn.push_durable(seq, delivery.type, delivery.data)

    def catch_up_all(self) -> None:
        for conn in self.all():
            conn.catch_up()
