"""What stands between a password guesser and the passwords: throttling and argon2 off the loop.

:class:`LoginThrottle` counts failed logins per account and per address. The first few
are free; after them each further attempt waits a delay that doubles with every failure
(1 s, 2 s, 4 s ... at most 15 minutes), refused meanwhile with 429 and how long to wait,
before any password is checked. A success clears the account's count; an address's count
is cleared only by time (else one valid account would reset a guesser's budget). Counts
live in this process; with Redis configured they live there
(:class:`~chatserver.actions.login_guard_redis.RedisLoginThrottle`), so all nodes count
together and a guesser spreading tries over them gets one budget, not one per node.

:func:`verify` and :func:`hash_password` run argon2 (tens of milliseconds of CPU, on
purpose) in a pool of :data:`THREADS` threads: the event loop goes on serving everyone
else meanwhile, and no more than that many hashes run at once. Past :data:`MAX_WAITING`
waiting, a login is refused as busy instead of queueing without bound.
"""

from __future__ import annotations

import asyncio
import math
import os
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, TypeVar

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from chatserver.clock import Clock
from chatserver.errors import RateLimited

__all__ = ["LoginThrottle", "Rule", "Throttle", "hash_password", "hasher", "verify"]

THREADS = max(1, min(4, os.cpu_count() or 1))
MAX_WAITING = 256
_pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="password")
_waiting = 0
T = TypeVar("T")


def hasher(cost: str) -> PasswordHasher:
    """The argon2 hasher for ``Config.password_hashing``. A hash names its own parameters,
    so hashes made at one cost verify under the other."""
    if cost == "standard":
        return PasswordHasher()
    if cost == "cheapest":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    raise ValueError(f"password_hashing must be 'standard' or 'cheapest', not {cost!r}")


async def verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    """Whether the password matches the hash, checked in the password pool."""
    return await _run(_verify, hasher, password_hash, password)


async def hash_password(hasher: PasswordHasher, password: str) -> str:
    return await _run(hasher.hash, password)


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def _run(fn: Callable[..., T], *args: object) -> T:
    global _waiting
    if _waiting >= MAX_WAITING:
        raise RateLimited("too many logins at once; retry in a moment", code="busy", retry_after=1)
    _waiting += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_pool, fn, *args)
    finally:
        _waiting -= 1


class Throttle(Protocol):
    """Failed logins counted per account and per address (either backend)."""

    async def check(self, account: str, address: str) -> None:
        """Raise RateLimited (with ``retry_after`` seconds) when either must wait still."""

    async def failed(self, account: str, address: str) -> None: ...

    async def succeeded(self, account: str) -> None: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class Rule:
    """How many failures are free and how the wait grows; one rule for both backends."""

    account_free: int = 5
    address_free: int = 20
    base: float = 1.0
    cap: float = 900.0
    # A key whose last failure is this old starts again from nothing.
    forget: float = 3600.0

    def free(self, kind: str) -> int:
        return self.account_free if kind == "account" else self.address_free

    def wait(self, kind: str, count: int, last: float, now: float) -> float:
        """Seconds still to wait after ``count`` failures, the last at ``last``."""
        over = count - self.free(kind)
        if over < 0 or now - last >= self.forget:
            return 0.0
        delay = min(self.cap, self.base * 2.0 ** min(over, 30))
        return last + delay - now

    def refuse(self, wait: float) -> None:
        if wait > 0:
            seconds = math.ceil(wait)
            raise RateLimited(f"too many failed logins; wait {seconds} s before the next try",
                              code="too_many_logins", retry_after=seconds)


class LoginThrottle:
    """Failed logins per key in this process, on the injected clock; bounded to ``max_keys`` keys."""

    def __init__(self, clock: Clock, rule: Rule | None = None, *, max_keys: int = 100_000) -> None:
        self._clock = clock
        self.rule = rule or Rule()
        self._max = max_keys
        # (kind, key) -> (failures, time of the last one); oldest first.
        self._failures: OrderedDict[tuple[str, str], tuple[int, float]] = OrderedDict()

    async def check(self, account: str, address: str) -> None:
        now = self._clock.monotonic()
        self.rule.refuse(max(self._wait(("account", account), now), self._wait(("address", address), now)))

    async def failed(self, account: str, address: str) -> None:
        now = self._clock.monotonic()
        for key in (("account", account), ("address", address)):
            count, last = self._failures.pop(key, (0, now))
            if now - last >= self.rule.forget:
                count = 0
            self._failures[key] = (count + 1, now)
        while len(self._failures) > self._max:
            self._failures.popitem(last=False)

    async def succeeded(self, account: str) -> None:
        self._failures.pop(("account", account), None)

    async def aclose(self) -> None:
        return None

    def _wait(self, key: tuple[str, str], now: float) -> float:
        entry = self._failures.get(key)
        return 0.0 if entry is None else self.rule.wait(key[0], entry[0], entry[1], now)
