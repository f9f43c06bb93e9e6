"""The login throttle kept in Redis, so every node counts a guesser's failures together.

The same :class:`~chatserver.actions.login_guard.Rule` as in one process; each key (an
account, an address) is a Redis hash of its failures and the time of the last one, on
the wall clock (``Clock.now``), which the nodes share where their monotonic clocks are
each their own. A key expires once its last failure is ``forget`` old, so Redis holds
only recent guessers; names are hashed, so a long username costs no more than a short one.

Redis down: the node falls back to its own in-process count until Redis answers again,
and says so in its log. A login is never refused, nor let through unthrottled, because
Redis is away.
"""

from __future__ import annotations

import hashlib
import logging
import math

import redis.asyncio as aioredis

from chatserver.actions.login_guard import LoginThrottle, Rule, Throttle
from chatserver.clock import Clock
from chatserver.config import Config

__all__ = ["RedisLoginThrottle", "throttle_for"]

log = logging.getLogger(__name__)

PREFIX = "chatserver:login:"
_ERRORS = (aioredis.ConnectionError, aioredis.TimeoutError, OSError)

# One failure, atomically: KEYS[1] the key; ARGV now, forget, expiry in seconds.
_FAILED = """
local v = redis.call('HMGET', KEYS[1], 'count', 'last')
local count = tonumber(v[1]) or 0
local last = tonumber(v[2]) or 0
if tonumber(ARGV[1]) - last >= tonumber(ARGV[2]) then count = 0 end
count = count + 1
redis.call('HSET', KEYS[1], 'count', count, 'last', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return count
"""


def _key(kind: str, name: str) -> str:
    return PREFIX + kind + ":" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class RedisLoginThrottle:
    def __init__(self, url: str, clock: Clock, rule: Rule | None = None) -> None:
        self._redis: aioredis.Redis = aioredis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._clock = clock
        self.rule = rule or Rule()
        self._failed = self._redis.register_script(_FAILED)
        # While Redis does not answer: this node's own count (the same rule).
        self._local = LoginThrottle(clock, self.rule)
        self._down = False

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def check(self, account: str, address: str) -> None:
        keys = [("account", account), ("address", address)]
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for kind, name in keys:
                    pipe.hmget(_key(kind, name), "count", "last")
                rows = await pipe.execute()
        except _ERRORS as exc:
            self._lost(exc)
            await self._local.check(account, address)
            return
        self._back()
        now = self._now()
        waits = [self.rule.wait(kind, int(count), float(last), now)
                 for (kind, _), (count, last) in zip(keys, rows, strict=True) if count is not None and last is not None]
        self.rule.refuse(max(waits, default=0.0))

    async def failed(self, account: str, address: str) -> None:
        now = self._now()
        expiry = math.ceil(self.rule.forget) + 1
        try:
            for kind, name in (("account", account), ("address", address)):
                await self._failed(keys=[_key(kind, name)], args=[repr(now), repr(self.rule.forget), expiry])
        except _ERRORS as exc:
            self._lost(exc)
            await self._local.failed(account, address)
            return
        self._back()

    async def succeeded(self, account: str) -> None:
        await self._local.succeeded(account)
        try:
            await self._redis.delete(_key("account", account))
        except _ERRORS as exc:
            self._lost(exc)

    async def aclose(self) -> None:
        await self._redis.aclose()

    def _lost(self, exc: BaseException) -> None:
        if not self._down:
            log.warning("login throttle: Redis unreachable (%s); counting failed logins on this node only",
                        type(exc).__name__)
        self._down = True

    def _back(self) -> None:
        if self._down:
            log.warning("login throttle: Redis answers again; failed logins are counted across nodes")
        self._down = False


def throttle_for(config: Config, clock: Clock) -> Throttle:
    """In Redis when the nodes share one (CHATSERVER_REDIS_URL), else in this process."""
    return RedisLoginThrottle(config.redis_url, clock) if config.redis_url else LoginThrottle(clock)
