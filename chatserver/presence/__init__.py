"""Who is connected, across every node; and what others see of a user's status (IC-5, IC-6).

A user's *chosen* status lives in the database. Whether the user is *connected* is the
presence store's business: a user with one live connection on any node is connected.
What a contact sees combines the two (:func:`visible_status`).
"""

from __future__ import annotations

from typing import Protocol

STATUSES = ("online", "away", "dnd", "invisible", "offline")

__all__ = ["STATUSES", "PresenceStore", "visible_status"]


def visible_status(chosen: str, connected: bool) -> str:
    """What contacts see: Invisible and Offline show as offline, as does no connection."""
    if not connected or chosen in ("invisible", "offline"):
        return "offline"
    return chosen


class PresenceStore(Protocol):
    async def start(self) -> None: ...

    async def add(self, user_id: int, conn_id: str) -> bool:
        """Register a connection; True when it is the user's first anywhere."""
        ...

    async def remove(self, user_id: int, conn_id: str) -> bool:
        """Forget a connection; True when it was the user's last anywhere."""
        ...

    async def connected(self, user_ids: list[int]) -> set[int]: ...

    async def reassert(self, conns: list[tuple[int, str]]) -> None:
        """Write this node's connections again (after the store lost its data)."""
        ...

    async def stop(self) -> None: ...
