"""The Redis bus between two nodes, on a private redis-server: what one node publishes in
one call for a batch of sends (``publish_many``) reaches the other node whole and in order,
and a publish while Redis is away is counted, not raised."""

from __future__ import annotations

import asyncio

from chatserver.bus import Delivery
from chatserver.bus.redis import RedisBus
from tests.redis_server import RedisServer


async def _connected(*buses: RedisBus) -> None:
    for _ in range(200):
        if all(bus.health()["connected"] for bus in buses):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the buses did not connect to Redis")


async def test_a_batch_published_in_one_call_reaches_the_other_node_in_order() -> None:
    with RedisServer.running() as redis:
        a, b = RedisBus(redis.url, "node-a"), RedisBus(redis.url, "node-b")
        heard_a: list[Delivery] = []
        heard_b: list[Delivery] = []

        async def on_a(d: Delivery) -> None:
            heard_a.append(d)

        async def on_b(d: Delivery) -> None:
            heard_b.append(d)

        await a.start(on_a)
        await b.start(on_b)
        try:
            await _connected(a, b)
            batch = [Delivery(users=[7, 8][k % 2:k % 2 + 1], type="chat.message", data={"n": k}, seqs=[k + 1])
                     for k in range(40)]
            await a.publish_many(batch[:20])
            await a.publish(Delivery(users=[7], type="chat.typing", data={"typing": True}))
            await a.publish_many(batch[20:])
            await a.publish_many([])
            for _ in range(250):
                if len(heard_b) == 41:
                    break
                await asyncio.sleep(0.02)
            assert [(d.type, d.users, d.data, d.seqs, d.origin) for d in heard_b] == (
                [("chat.message", d.users, d.data, d.seqs, "node-a") for d in batch[:20]]
                + [("chat.typing", [7], {"typing": True}, None, "node-a")]
                + [("chat.message", d.users, d.data, d.seqs, "node-a") for d in batch[20:]])
            assert heard_a == []  # a node's own echo is not delivered again
        finally:
            await a.stop()
            await b.stop()


async def test_a_batch_published_while_redis_is_away_is_counted_and_not_raised() -> None:
    with RedisServer.running() as redis:
        bus = RedisBus(redis.url, "node-a")

        async def ignore(_: Delivery) -> None:
            return None

        await bus.start(ignore)
        try:
            await _connected(bus)
            redis.kill()
            await bus.publish_many([Delivery(users=[1], type="chat.message", data={}, seqs=[1]),
                                    Delivery(users=[2], type="chat.message", data={}, seqs=[1])])
            health = bus.health()
            assert health["publish_failures"] == 2 and health["last_error"]
        finally:
            await bus.stop()
