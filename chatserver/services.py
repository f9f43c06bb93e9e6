"""The composition root: the one place that builds :class:`Services` for a process.

``chatserver serve`` builds them and then a :class:`~chatserver.hub.Hub` for its
connections (:func:`attach_hub`); a worker process (``chatserver sms-worker``, the
admin commands) builds the same Services and no hub: what it publishes still reaches
its own listeners (``services.local``) and, over the bus, every node's connections.

Here the core's parts that live as long as the process (the send batcher, the
connection batchers) are built, and the features plug their hooks into the core,
which never imports them.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from chatserver import settings_registry
from chatserver.actions import connections, login_guard, tickets
from chatserver.actions.chat_batch import SendBatcher
from chatserver.actions.context import Services
from chatserver.bus import Bus
from chatserver.clock import Clock
from chatserver.config import Config
from chatserver.db import registry
from chatserver.db.engine import make_sessionmaker
from chatserver.features import Feature
from chatserver.files.access import FileAccess
from chatserver.hub import Hub
from chatserver.presence import PresenceStore
from chatserver.signed_links import SignedLinks

__all__ = ["attach_hub", "build", "close", "configure", "features", "schema"]


def features() -> list[Feature]:
    """The feature packages this server runs (chatserver.features)."""
    from chatserver.files.feature import FEATURE as files
    from chatserver.webhooks.feature import FEATURE as webhooks
    from livechat.feature import FEATURE as livechat
    from signaling.feature import FEATURE as video
    from sms.feature import FEATURE as sms

    return [livechat, sms, video, webhooks, files]


def schema() -> registry.Schema:
    """The database this server runs on: the core's tables and migrations and every
    feature's (``chatserver migrate``, the start-up's upgrade, alembic's env.py)."""
    return registry.combine(registry.CORE, features())


def configure(config: Config) -> Config:
    """The config with every feature's settings read (Feature.config; a section already set
    is kept): once, at the start, so a bad value stops it rather than the first request."""
    return config.with_sections(*(config.section(f.config) for f in features() if f.config is not None))


def build(config: Config, engine: AsyncEngine, bus: Bus, presence: PresenceStore, clock: Clock) -> Services:
    """Services for any process; :func:`attach_hub` when it serves connections."""
    config = configure(config)
    svc = Services(config=config, engine=engine, sessions=make_sessionmaker(engine), bus=bus,
                   presence=presence, clock=clock, hasher=login_guard.hasher(config.password_hashing))
    svc.provide(SendBatcher(svc))
    svc.provide(connections.ConnectionWork(svc))
    svc.provide(tickets.TicketWork(svc))
    # Who may see a sent file: each kind of conversation's rule (chatserver.files.access).
    svc.provide(FileAccess())
    # Signed links (a sent file's, a recording's): one key, each kind a purpose of its own.
    svc.provide(SignedLinks.from_secret(config.secret_key, config.media_link_seconds,
                                        several_nodes=bool(config.redis_url)))
    for feature in features():
        settings_registry.declare(feature.settings)
        if feature.setup is not None:
            feature.setup(svc)
        if feature.demo is not None:
            svc.demo_seeds.append(feature.demo)
    return svc


async def close(svc: Services) -> None:
    """The last step of any process that built Services: what its parts keep given back
    (the send batcher's connections, kept between batches) and the engine's pool closed."""
    await svc.get(SendBatcher).aclose()
    await svc.engine.dispose()


def attach_hub(svc: Services) -> Hub:
    """This process's connections: deliveries published here or on the bus reach them."""
    hub = Hub(connections.replayer(svc))
    svc.local.connections = hub
    return hub
