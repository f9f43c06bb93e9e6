"""The event bus shared by chat, live chat, signaling and SMS.

A backend implements only :meth:`Bus.publish` and delivers what other nodes publish
to the handler given to :meth:`Bus.start`. Every message carries the publishing node's
id so a node ignores its own echo (it has already delivered locally).

The bus is lossy by design: Redis pub/sub drops messages while a connection is down.
Durable events are therefore stored first (storage/events.py) and the bus only
carries them as a fast path; after a reconnect the backend calls its ``on_resume``
callbacks and every connection catches up from the database.

Where a delivery goes on a node is the node's business, not the publisher's: an
action hands it to ``Services.publish``, which gives it to the node's
:class:`LocalDelivery` (a :class:`~chatserver.bus.local.LocalRouter`: the hub's
connections in ``serve``, listeners by type such as the SMS dispatcher's wake-up) and
to the bus for every other node. A worker process without a hub still has a router,
so what it publishes reaches its own listeners and every node's connections.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Bus", "Delivery", "Handler", "LocalDelivery", "ResumeCallback"]


@dataclass(slots=True)
class Delivery:
    """Something to push to connections of the named users.

    ``seqs`` is set for durable events: ``seqs[i]`` is the event's sequence number in
    the stream of ``users[i]``. Ephemeral events (presence, typing) carry none.
    """

    users: list[int]
    type: str
    data: dict[str, Any]
    seqs: list[int] | None = None
    # The connection that must not receive it as an event: the sender's own tab for
    # typing; for a durable event, the tab whose ack carries it (hub.Connection.absorb).
    exclude_conn: str | None = None
    # Only these connections (ids), on whichever node they live: a video signal goes
    # to one tab of a user, not to all of them. None: every connection of ``users``.
    conns: list[str] | None = None
    origin: str = field(default="")

    def to_wire(self) -> list[Any]:
        return [self.origin, self.users, self.type, self.data, self.seqs, self.exclude_conn, self.conns]

    @classmethod
    def from_wire(cls, wire: list[Any]) -> Delivery:
        # A node of the previous release sends six fields (no ``conns``): still read.
        origin, users, type_, data, seqs, exclude = wire[:6]
        conns = wire[6] if len(wire) > 6 else None
        return cls(users=users, type=type_, data=data, seqs=seqs, exclude_conn=exclude, conns=conns, origin=origin)


Handler = Callable[[Delivery], Awaitable[None]]


class LocalDelivery(Protocol):
    """Where this node puts a delivery: its connections, its listeners."""

    async def deliver(self, delivery: Delivery) -> None: ...

    async def deliver_many(self, deliveries: list[Delivery]) -> None:
        """Each of ``deliveries``, in order, as :meth:`deliver` would."""
        ...

ResumeCallback = Callable[[], Awaitable[None]]


class Bus(Protocol):
    node_id: str

    async def start(self, handler: Handler) -> None: ...

    async def publish(self, delivery: Delivery) -> None: ...

    async def publish_many(self, deliveries: list[Delivery]) -> None:
        """Each of ``deliveries``, in order, as :meth:`publish` would: a batch of sends
        publishes its events in one call (on Redis one round trip)."""
        ...

    def on_resume(self, callback: ResumeCallback) -> None: ...

    def health(self) -> dict[str, Any]: ...

    async def stop(self) -> None: ...
