"""This node's end of the bus: deliveries to the hub's connections, or to listeners by type.

Most deliveries are for connections (a message, a presence change); a few are for a
part of the process that has no connection: the SMS dispatcher woken to send now, a
video recorder told to join. Those are *control* types: a listener registered for a
type receives every delivery of it, and connections never see it. The same router
serves ``chatserver serve`` (with a hub) and a worker process (without one), so an
action publishes the same way wherever it runs.
"""

from __future__ import annotations

import logging

from chatserver.bus import Delivery, Handler, LocalDelivery

__all__ = ["LocalRouter"]

log = logging.getLogger(__name__)


class LocalRouter:
    """Routes a delivery to the listener of its type, else to the connections (if any)."""

    def __init__(self, connections: LocalDelivery | None = None) -> None:
        self.connections = connections
        self._listeners: dict[str, list[Handler]] = {}

    def listen(self, type_: str, handler: Handler) -> None:
        """Deliveries of ``type_`` go to ``handler`` (from this node and every other)."""
        self._listeners.setdefault(type_, []).append(handler)

    def unlisten(self, type_: str, handler: Handler) -> None:
        handlers = self._listeners.get(type_, [])
        if handler in handlers:
            handlers.remove(handler)
        if not handlers:
            self._listeners.pop(type_, None)

    async def deliver(self, delivery: Delivery) -> None:
        listeners = self._listeners.get(delivery.type)
        if listeners is not None:
            for listener in list(listeners):
                try:
                    await listener(delivery)
                except Exception:  # noqa: BLE001 - one listener's failure must not stop the bus
                    log.exception("listener for %s failed", delivery.type)
            return
        if self.connections is not None:
            await self.connections.deliver(delivery)

    async def deliver_many(self, deliveries: list[Delivery]) -> None:
        """Each of ``deliveries``, in order: the connections' in one call when none of them
        is a listener's (a batch of sends' events)."""
        if self._listeners and any(d.type in self._listeners for d in deliveries):
            for delivery in deliveries:
                await self.deliver(delivery)
        elif self.connections is not None:
            await self.connections.deliver_many(deliveries)
