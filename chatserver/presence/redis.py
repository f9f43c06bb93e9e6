"""Presence shared by every node through Redis, with node heartbeats.

Keys (``cs:`` prefix):

- ``cs:pres:{user}``      hash ``{node}:{conn}`` -> 1, the user's connections everywhere;
- ``cs:node:{node}``      set of ``{user}|{conn}`` this node registered;
- ``cs:alive:{node}``     expires ``ttl`` seconds after the node's last heartbeat;
- ``cs:nodes``            set of nodes that registered anything;
- ``cs:swept:{node}``     users a sweeper announced offline for that node.

A node that dies stops heartbeating; any other node's sweeper sees ``cs:alive`` gone,
removes the dead node's connections and reports the users who went offline through
``on_offline``, so contacts see them offline within ttl + one sweep.

Each node keeps its own connections in memory too, the truth to write again whenever
Redis lost them (a restart without persistence, or a sweep after this node stalled
past the ttl): the heartbeat notices and reasserts them. A node that was swept while
only stalled finds the users announced offline for it in ``cs:swept`` and reports
those still connected through ``on_online``, so contacts see them come back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from chatserver.clock import Clock

log = logging.getLogger(__name__)

OfflineCallback = Callable[[list[int]], Awaitable[None]]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisPresence:
    def __init__(
        self,
        url: str,
        node_id: str,
        *,
        ttl: float,
        clock: Clock,
        on_offline: OfflineCallback | None = None,
        on_online: OfflineCallback | None = None,
    ) -> None:
        # One retry on a connection error: after a Redis restart every pooled connection
        # is dead and fails once, and a reassert or heartbeat lost that way leaves this
        # node's users offline for another round. Every command here is idempotent.
        self._redis: aioredis.Redis = aioredis.from_url(
            url, socket_timeout=5, socket_connect_timeout=2,
            retry=Retry(NoBackoff(), 1), retry_on_error=[aioredis.ConnectionError, aioredis.TimeoutError],
        )
        self.node_id = node_id
        self.ttl = ttl
        self._clock = clock
        self.on_offline = on_offline
        self.on_online = on_online
        self._tasks: list[asyncio.Task[None]] = []
        # This node's own view, the truth to reassert when Redis loses its data.
        self._local: dict[int, set[str]] = {}

    async def start(self) -> None:
        # Two loops, not one: a slow sweep (announcing many users offline through the
        # database) must never delay this node's own heartbeat past the ttl, or the
        # other nodes would sweep it in turn.
        self._tasks = [
            asyncio.create_task(self._heartbeat_loop(), name="presence-heartbeat"),
            asyncio.create_task(self._sweep_loop(), name="presence-sweeper"),
        ]

    def _field(self, conn_id: str) -> str:
        return f"{self.node_id}:{conn_id}"

    async def add(self, user_id: int, conn_id: str) -> bool:
        self._local.setdefault(user_id, set()).add(conn_id)
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.hset(f"cs:pres:{user_id}", self._field(conn_id), 1)
            pipe.hlen(f"cs:pres:{user_id}")
            pipe.sadd(f"cs:node:{self.node_id}", f"{user_id}|{conn_id}")
            pipe.sadd("cs:nodes", self.node_id)
            pipe.set(f"cs:alive:{self.node_id}", 1, px=int(self.ttl * 1000))
            results = await pipe.execute()
            return int(results[1]) == 1
        except (aioredis.ConnectionError, aioredis.TimeoutError, OSError) as exc:
            log.warning("presence add failed (%s); reasserted when Redis is back", exc)
            return len(self._local[user_id]) == 1

    async def remove(self, user_id: int, conn_id: str) -> bool:
        local = self._local.get(user_id)
        if local is not None:
            local.discard(conn_id)
            if not local:
                del self._local[user_id]
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.hdel(f"cs:pres:{user_id}", self._field(conn_id))
            pipe.hlen(f"cs:pres:{user_id}")
            pipe.srem(f"cs:node:{self.node_id}", f"{user_id}|{conn_id}")
            removed, remaining, _ = await pipe.execute()
            return int(removed) == 1 and int(remaining) == 0
        except (aioredis.ConnectionError, aioredis.TimeoutError, OSError) as exc:
            log.warning("presence remove failed (%s)", exc)
            return user_id not in self._local

    async def connected(self, user_ids: list[int]) -> set[int]:
        if not user_ids:
            return set()
        try:
            pipe = self._redis.pipeline(transaction=False)
            for uid in user_ids:
                pipe.hlen(f"cs:pres:{uid}")
            counts = await pipe.execute()
            return {uid for uid, n in zip(user_ids, counts, strict=True) if int(n) > 0}
        except (aioredis.ConnectionError, aioredis.TimeoutError, OSError):
            # Redis down: we still know our own node's users.
            return {uid for uid in user_ids if uid in self._local}

    def _local_entries(self) -> list[tuple[int, str]]:
        return [(uid, conn) for uid, conns in self._local.items() for conn in conns]

    async def reassert(self, conns: list[tuple[int, str]]) -> None:
        """Write this node's connections again.

        ``conns`` (the hub's list) is ignored: ``_local`` is updated before Redis on
        every add and remove, so it is the exact set; the hub's list can still hold a
        connection whose removal is under way, and writing it would leave a ghost.
        """
        entries = self._local_entries()
        pipe = self._redis.pipeline(transaction=True)
        # The alive key first: a sweeper must never see us in cs:nodes without it,
        # or it would delete the entries being written here.
        pipe.set(f"cs:alive:{self.node_id}", 1, px=int(self.ttl * 1000))
        pipe.sadd("cs:nodes", self.node_id)
        for user_id, conn_id in entries:
            pipe.hset(f"cs:pres:{user_id}", self._field(conn_id), 1)
            pipe.sadd(f"cs:node:{self.node_id}", f"{user_id}|{conn_id}")
        await pipe.execute()
        # A connection removed while the pipeline was in flight may have had its hdel
        # run before our hset: take it out again.
        stale = [(uid, conn) for uid, conn in entries if conn not in self._local.get(uid, ())]
        if stale:
            pipe = self._redis.pipeline(transaction=True)
            for user_id, conn_id in stale:
                pipe.hdel(f"cs:pres:{user_id}", self._field(conn_id))
                pipe.srem(f"cs:node:{self.node_id}", f"{user_id}|{conn_id}")
            await pipe.execute()

    async def _heartbeat_loop(self) -> None:
        interval = max(self.ttl / 3, 0.2)
        while True:
            try:
                await self._beat()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep heartbeating whatever happens
                log.warning("presence heartbeat failed: %s", exc)
            await asyncio.sleep(interval)

    async def _beat(self) -> None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(f"cs:alive:{self.node_id}", 1, px=int(self.ttl * 1000))
        pipe.sadd("cs:nodes", self.node_id)
        pipe.scard(f"cs:node:{self.node_id}")
        pipe.smembers(f"cs:swept:{self.node_id}")
        pipe.delete(f"cs:swept:{self.node_id}")
        _, _, registered, swept, _ = await pipe.execute()
        # Fewer entries in Redis than connections here: Redis restarted empty, or a
        # sweeper took us for dead. Write them again rather than wait for the bus to
        # notice (it may not: the keys can go without any connection dropping).
        if int(registered) < sum(len(c) for c in self._local.values()):
            log.warning("presence entries of node %s missing in Redis; reasserting", self.node_id)
            await self.reassert([])
        # We only stalled, yet contacts were told these users went offline: undo that.
        back = sorted(uid for uid in (int(_text(u)) for u in swept) if uid in self._local)
        if back and self.on_online is not None:
            log.warning("node %s was taken for dead; %d users back online", self.node_id, len(back))
            await self.on_online(back)

    async def _sweep_loop(self) -> None:
        interval = max(self.ttl / 3, 0.2)
        while True:
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep sweeping whatever happens
                log.warning("presence sweep failed: %s", exc)
            await asyncio.sleep(interval)

    async def sweep(self) -> list[int]:
        """Remove the connections of nodes whose heartbeat expired; return users now offline."""
        gone: list[int] = []
        nodes = [_text(n) for n in await self._redis.smembers("cs:nodes")]
        for node in nodes:
            if node == self.node_id or await self._redis.exists(f"cs:alive:{node}"):
                continue
            # One sweeper per dead node, whichever node gets there first.
            if not await self._redis.set(f"cs:sweep:{node}", self.node_id, nx=True, ex=30):
                continue
            entries = [_text(e) for e in await self._redis.smembers(f"cs:node:{node}")]
            users: set[int] = set()
            for entry in entries:
                user_s, conn_id = entry.split("|", 1)
                await self._redis.hdel(f"cs:pres:{user_s}", f"{node}:{conn_id}")
                users.add(int(user_s))
            node_gone = [uid for uid in sorted(users) if int(await self._redis.hlen(f"cs:pres:{uid}")) == 0]
            pipe = self._redis.pipeline(transaction=True)
            pipe.delete(f"cs:node:{node}")
            pipe.srem("cs:nodes", node)
            if node_gone:
                # Should the node only have stalled, it announces these users back.
                pipe.sadd(f"cs:swept:{node}", *node_gone)
                pipe.expire(f"cs:swept:{node}", 3600)
            # Done: drop the lock, or a node that comes back and then really dies
            # within its 30 s would be swept only when it expires (past the 30 s promise).
            pipe.delete(f"cs:sweep:{node}")
            await pipe.execute()
            gone.extend(node_gone)
            log.warning("node %s stopped heartbeating; %d users went offline", node, len(node_gone))
        if gone and self.on_offline is not None:
            await self.on_offline(gone)
        return gone

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        try:
            # A clean shutdown removes this node's entries at once.
            entries = [_text(e) for e in await self._redis.smembers(f"cs:node:{self.node_id}")]
            pipe = self._redis.pipeline(transaction=False)
            for entry in entries:
                user_s, conn_id = entry.split("|", 1)
                pipe.hdel(f"cs:pres:{user_s}", f"{self.node_id}:{conn_id}")
            pipe.delete(f"cs:node:{self.node_id}", f"cs:alive:{self.node_id}")
            pipe.srem("cs:nodes", self.node_id)
            await pipe.execute()
        except Exception:  # noqa: BLE001 - best effort at shutdown
            pass
        await self._redis.aclose()
