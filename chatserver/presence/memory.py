"""Presence for a single process."""

from __future__ import annotations

from collections import defaultdict


class MemoryPresence:
    def __init__(self) -> None:
        self._conns: dict[int, set[str]] = defaultdict(set)

    async def start(self) -> None:
        return None

    async def add(self, user_id: int, conn_id: str) -> bool:
        conns = self._conns[user_id]
        first = not conns
        conns.add(conn_id)
        return first

    async def remove(self, user_id: int, conn_id: str) -> bool:
        conns = self._conns.get(user_id)
        if not conns or conn_id not in conns:
            return False
        conns.discard(conn_id)
        if not conns:
            del self._conns[user_id]
            return True
        return False

    async def connected(self, user_ids: list[int]) -> set[int]:
        return {uid for uid in user_ids if self._conns.get(uid)}

    async def reassert(self, conns: list[tuple[int, str]]) -> None:
        return None

    async def stop(self) -> None:
        self._conns.clear()
