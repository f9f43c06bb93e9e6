"""Services shared by every action, and the transaction that publishes after commit.

``Services`` is built by :func:`chatserver.services.build` for ``serve`` and for every
worker process alike; it knows nothing of the hub. What an action publishes goes to
``local`` (this node: the hub's connections where there is a hub, listeners by type)
and to the bus (every other node). Parts built once per process (the send batcher,
the connection batchers, a feature's own) are registered with :meth:`Services.provide`
and found with :meth:`Services.get`; the core never imports a feature to find them.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chatserver.bus import Bus, Delivery
from chatserver.bus.local import LocalRouter
from chatserver.clock import Clock
from chatserver.config import Config
from chatserver.presence import PresenceStore
from chatserver.storage import events

T = TypeVar("T")
# Colleagues (tenant_id, user_id) whose first connection opened or last one closed.
ConnectionsChanged = Callable[["Services", list[tuple[int, int]]], Awaitable[None]]
# One connection of a user closed: (services, user, conn_id).
ConnectionClosed = Callable[["Services", Any, str], Awaitable[None]]
# A user's setting changed: (services, tenant_id, setting name).
UserSettingChanged = Callable[["Services", int, str], Awaitable[None]]
# May a user of a feature's role open a socket from an origin the server does not allow
# (a live-chat visitor from their site's page): (services, user, origin).
OriginCheck = Callable[["Services", Any, str], Awaitable[bool]]
# A feature's part of the demo: (services, the demo's users by username, its records by title).
DemoSeed = Callable[["Services", Any, Any], Awaitable[None]]
# What a record's timeline shows of its entries of one kind beyond the summary, for a viewer:
# (services, session, viewer, entries) -> {entry id: details} (chatserver.actions.records).
TimelineDetails = Callable[["Services", AsyncSession, Any, list[Any]], Awaitable[dict[int, dict[str, Any]]]]
# Sets a feature's gauges from the database when /metrics is scraped: (services, session).
MetricsScrape = Callable[["Services", AsyncSession], Awaitable[None]]


# Set while this task holds the SQLite write lock, so a nested transaction does not wait on itself.
_holds_write_lock: contextvars.ContextVar[bool] = contextvars.ContextVar("holds_write_lock", default=False)


@dataclass
class Tx:
    """An open transaction: the session, the time of the change and what to publish."""

    session: AsyncSession
    now: datetime
    pending: list[Delivery] = field(default_factory=list)

    async def emit_durable(self, user_ids: list[int], type_: str, data: dict[str, Any] | list[dict[str, Any]]) -> dict[int, int]:
        """Append an event to each user's stream now; it is published after the commit."""
        if not user_ids:
            return {}
        seqs = await events.append(self.session, user_ids, type_, data, self.now)
        if isinstance(data, list):
            for uid, d in zip(user_ids, data, strict=True):
                self.pending.append(Delivery(users=[uid], type=type_, data=d, seqs=[seqs[uid]]))
        else:
            self.pending.append(Delivery(users=list(user_ids), type=type_, data=data, seqs=[seqs[u] for u in user_ids]))
        return seqs

    def emit_ephemeral(self, user_ids: list[int], type_: str, data: dict[str, Any], *,
                       conns: list[str] | None = None) -> None:
        """Publish after the commit, not stored; ``conns``: only to those connections of the users."""
        if user_ids:
            self.pending.append(Delivery(users=list(user_ids), type=type_, data=data, conns=conns))


@dataclass
class Services:
    config: Config
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bus: Bus
    presence: PresenceStore
    clock: Clock
    # This node's deliveries (the hub's connections in `serve`; listeners in any process).
    local: LocalRouter = field(default_factory=LocalRouter)
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    # SQLite has one writer at a time: writers of this process queue here in order
    # instead of meeting SQLITE_BUSY and sleeping in its busy handler (which made a
    # send wait up to 100 ms per retry under load; docs/benchmarks.md, step 1).
    _write_lock: asyncio.Lock | None = field(default=None, init=False, repr=False)
    # Parts built once per process, by type (provide / get).
    _parts: dict[type, Any] = field(default_factory=dict, init=False, repr=False)
    # Hooks features register (chatserver.services.build): the core calls them, never the feature.
    on_connections_changed: list[ConnectionsChanged] = field(default_factory=list, init=False, repr=False)
    on_connection_closed: list[ConnectionClosed] = field(default_factory=list, init=False, repr=False)
    on_user_setting_changed: list[UserSettingChanged] = field(default_factory=list, init=False, repr=False)
    # The features' parts of the demo (Feature.demo), seeded after the demo's records.
    demo_seeds: list[DemoSeed] = field(default_factory=list, init=False, repr=False)
    # By a user's role: whether another origin may open that user's socket (the gateway asks).
    origin_checks: dict[str, OriginCheck] = field(default_factory=dict, init=False, repr=False)
    # By a timeline entry's kind: a feature fills in its own kinds (a recording's player link).
    timeline_details: dict[str, TimelineDetails] = field(default_factory=dict, init=False, repr=False)
    # By name: what a feature adds to /health (the SMS dispatcher's gateway and counts).
    health_details: dict[str, Callable[[], Any]] = field(default_factory=dict, init=False, repr=False)
    # By name: a feature's gauges read when /metrics is scraped (the SMS outbox's depth).
    metrics_scrapes: dict[str, MetricsScrape] = field(default_factory=dict, init=False, repr=False)

    def provide(self, part: object) -> None:
        """Register a part built once per process, found by its type with :meth:`get`."""
        self._parts[type(part)] = part

    def get(self, kind: type[T]) -> T:
        part = self._parts.get(kind)
        if part is None:
            raise LookupError(f"{kind.__name__} was not provided: build Services with chatserver.services.build")
        assert isinstance(part, kind)
        return part

    def _serialise_writes(self) -> asyncio.Lock | None:
        if self.engine.dialect.name != "sqlite" or _holds_write_lock.get():
            return None
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        return self._write_lock

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Hold this process's turn to write (SQLite's writers queue here; nothing to hold
        on PostgreSQL, or when this task holds it already)."""
        lock = self._serialise_writes()
        if lock is None:
            yield
            return
        async with lock:
            token = _holds_write_lock.set(True)
            try:
                yield
            finally:
                _holds_write_lock.reset(token)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(self.writing())
            session = await stack.enter_async_context(self.sessions())
            async with session.begin():
                tx = Tx(session=session, now=self.clock.now())
                yield tx
        # Committed: only now may anyone hear of it.
        if tx.pending:
            await self.publish_many(tx.pending)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    async def publish(self, delivery: Delivery) -> None:
        """Deliver on this node at once, then to the other nodes."""
        await self.local.deliver(delivery)
        await self.bus.publish(delivery)

    async def publish_many(self, deliveries: list[Delivery]) -> None:
        """:meth:`publish` each, in order (per user, on this node and over the bus): two
        awaits for a batch of sends' events instead of two per event, and on Redis one
        round trip (docs/benchmarks.md, step 43)."""
        await self.local.deliver_many(deliveries)
        await self.bus.publish_many(deliveries)
