"""Connections opened and closed in batches: a reconnect storm is thousands at once.

Opening a connection asks storage whose token it is, where the user's stream stands
(``hello``) and who must hear that the user came online; closing one asks who must hear
they left. Asked once per connection, a storm of 5,000 queued some ten queries each on
the database pool and took 85 s to resume (docs/benchmarks.md, the storm). Here the
connections opening or closing at one moment share each query (:mod:`chatserver.batching`):
one token lookup, one stream read, one contacts read for all of them. With no storm a
batch holds one connection and costs what it did before.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chatserver.actions import presence
from chatserver.batching import Batcher
from chatserver.db.models import ANONYMOUS_ROLES, User
from chatserver.errors import Unauthorized
from chatserver.storage import accounts, events
from chatserver.storage.accounts import TokenSession
from chatserver.storage.events import StreamPosition

if TYPE_CHECKING:
    from chatserver.actions.context import Services
    from chatserver.hub import Replayed

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Change:
    """A user's first connection opened (``up``) or last one closed."""

    tenant_id: int
    user_id: int
    up: bool
    colleague: bool  # not a website visitor: may be a live-chat operator


class ConnectionWork:
    """The batchers of one Services (provided by ``chatserver.services.build``)."""

    def __init__(self, svc: Services) -> None:
        async def users(tokens: list[str]) -> list[TokenSession | BaseException]:
            return await _sessions_for_tokens(svc, tokens)

        async def positions(user_ids: list[int]) -> list[StreamPosition | BaseException]:
            return await _stream_positions(svc, user_ids)

        async def announce(changes: list[Change]) -> list[None | BaseException]:
            await _announce(svc, changes)
            return [None] * len(changes)

        self.tokens: Batcher[str, TokenSession] = Batcher(users, name="connect-auth")
        self.positions: Batcher[int, StreamPosition] = Batcher(positions, name="connect-hello")
        self.changes: Batcher[Change, None] = Batcher(announce, name="connect-presence")


def _work(svc: Services) -> ConnectionWork:
    return svc.get(ConnectionWork)


def replayer(svc: Services) -> Callable[[int, int, int], Awaitable[list[Replayed]]]:
    """The hub's :data:`~chatserver.hub.Replay`: a user's stored events after a seq, read
    by at most ``catch_up_concurrency`` connections at once (a resuming storm must not
    take every database connection)."""
    gate = asyncio.Semaphore(svc.config.catch_up_concurrency)

    async def replay(user_id: int, after_seq: int, limit: int) -> list[Replayed]:
        async with gate, svc.read() as s:
            return list(await events.since(s, user_id, after_seq, limit))

    return replay


async def session_for_token(svc: Services, token: str) -> TokenSession:
    """The user a bearer token belongs to and its expiry, or Unauthorized (``accounts.authenticate``)."""
    return await _work(svc).tokens.submit(token)


async def stream_position(svc: Services, user_id: int) -> StreamPosition:
    return await _work(svc).positions.submit(user_id)


async def opened(svc: Services, user: User, conn_id: str) -> None:
    """A connection is live: if it is the user's first anywhere, their contacts hear so."""
    if await svc.presence.add(user.id, conn_id):
        await _work(svc).changes.submit(Change(user.tenant_id, user.id, True, user.role not in ANONYMOUS_ROLES))


async def closed(svc: Services, user: User, conn_id: str) -> None:
    """A connection has ended: if it was the user's last anywhere, their contacts hear so."""
    for hook in svc.on_connection_closed:
        try:
            await hook(svc, user, conn_id)
        except Exception:  # noqa: BLE001 - a feature's failure must not keep the user online
            log.exception("connection-closed hook %s failed", getattr(hook, "__qualname__", hook))
    if await svc.presence.remove(user.id, conn_id):
        await _work(svc).changes.submit(Change(user.tenant_id, user.id, False, user.role not in ANONYMOUS_ROLES))


async def _sessions_for_tokens(svc: Services, tokens: list[str]) -> list[TokenSession | BaseException]:
    async with svc.read() as s:
        found = await accounts.sessions_for_tokens(s, tokens, svc.clock.now())
    return [
        found.get(t) or Unauthorized("the token is invalid, expired or revoked", code="invalid_token")
        for t in tokens
    ]


async def _stream_positions(svc: Services, user_ids: list[int]) -> list[StreamPosition | BaseException]:
    async with svc.read() as s:
        found = await events.stream_positions(s, user_ids)
    return [found.get(uid) or LookupError(f"no user with id {uid}") for uid in user_ids]


async def _announce(svc: Services, changes: list[Change]) -> None:
    await presence.announce_connections(svc, [(c.user_id, c.up) for c in changes])
    colleagues = [(c.tenant_id, c.user_id) for c in changes if c.colleague]
    for hook in svc.on_connections_changed:
        # A feature's hook (live chat: whether an operator is reachable, LC-3) must not
        # disturb the connections' own lives.
        try:
            await hook(svc, colleagues)
        except Exception:  # noqa: BLE001 - logged; only what that feature shows is late
            log.exception("connections hook %s failed", getattr(hook, "__qualname__", hook))
