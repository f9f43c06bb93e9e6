"""The event bus shared by chat, live chat, signaling and SMS.

A backend implements only :meth:`Bus.publish` and delivers what other nodes publish
to the handler given to :meth:`Bus.start`. Every message carries the publishing node's
id so a node ignores its own echo (it has already delivered locally).

The bus is lossy by design: Redis pub/sub drops messages while a connection is down.
Durable events are therefore stored first (storage/events.py) and the bus only
carries them as a fast path; after a reconnect the backend calls its ``on_resume``
callbacks and every connection catches up from the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Bus", "Delivery", "Handler", "ResumeCallback"]


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
    origin: str = field(default="")

    def to_wire(self) -> list[Any]:
        return [self.origin, self.users, self.type, self.data, self.seqs, self.exclude_conn]

    @classmethod
    def from_wire(cls, wire: list[Any]) -> Delivery:
        origin, users, type_, data, seqs, exclude = wire
        return cls(users=users, type=type_, data=data, seqs=seqs, exclude_conn=exclude, origin=origin)


Handler = Callable[[Delivery], Awaitable[None]]
ResumeCallback = Callable[[], Awaitable[None]]


class Bus(Protocol):
    node_id: str

    async def start(self, handler: Handler) -> None: ...

    async def publish(self, delivery: Delivery) -> None: ...

    def on_resume(self, callback: ResumeCallback) -> None: ...

    def health(self) -> dict[str, Any]: ...

    async def stop(self) -> None: ...
