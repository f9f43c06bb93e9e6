"""The in-process bus: one node, nothing to connect to."""

from __future__ import annotations

from typing import Any

from chatserver.bus import Delivery, Handler, ResumeCallback


class MemoryBus:
    def __init__(self, node_id: str) -> None:
        self.node_id = node_id
        self._handler: Handler | None = None

    async def start(self, handler: Handler) -> None:
        self._handler = handler

    async def publish(self, delivery: Delivery) -> None:
        # The hub already delivered locally; with a single node there is no one else.
        return None

    async def publish_many(self, deliveries: list[Delivery]) -> None:
        return None

    def on_resume(self, callback: ResumeCallback) -> None:
        return None

    def health(self) -> dict[str, Any]:
        return {"backend": "memory", "connected": True, "lag_seconds": 0.0}

    async def stop(self) -> None:
        self._handler = None
