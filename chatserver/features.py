"""How a feature package plugs into the core: one :class:`Feature` per package.

A feature (``livechat``, ``sms``, ``signaling``, the webhooks) brings its REST routes,
its socket message types with their schemas and handlers, the kinds of user it serves
beyond colleagues (a live-chat visitor, a video guest), its settings (a section of the
config), and a ``setup`` that provides
its parts and registers its hooks on :class:`Services`, and its tables with their
migrations. The
composition root (:mod:`chatserver.services`) lists the features; the core imports
none of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute

from chatserver.actions.context import Services
from chatserver.config import Section
from chatserver.db.models import User
from chatserver.hub import Connection
from chatserver.protocol.events import Event
from chatserver.protocol.schema import Field
from chatserver.settings_registry import Setting

__all__ = ["Feature", "Handler"]

# A socket message's handler: the reply's data, or a ChatError.
Handler = Callable[[Services, Connection, User, dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Feature:
    name: str
    # Its settings, read from its own CHATSERVER_* variables (chatserver.config.Section);
    # callers ask ``svc.config.section(ThatType)``.
    config: type[Section] | None = None
    routes: Sequence[BaseRoute] = ()
    # Socket message types and what each must carry (protocol.schema).
    messages: Mapping[str, Mapping[str, Field]] = field(default_factory=dict)
    # Its settings (chatserver.settings_registry), declared when the services are built.
    settings: Sequence[Setting] = ()
    # Event types it sends and what each carries (protocol.events).
    events: Mapping[str, Event] = field(default_factory=dict)
    # Control types it publishes, which only a listener of its own hears and no client gets
    # (chatserver.bus.local): type -> what it says (beside protocol.events.CONTROL, the core's).
    control: Mapping[str, str] = field(default_factory=dict)
    # Handlers on colleagues' connections.
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    # Users of another role (``users.role``) whose connections have these types only
    # (with hello and ping): a video guest has the video types and nothing else.
    role_handlers: Mapping[str, Mapping[str, Handler]] = field(default_factory=dict)
    # Provide parts (Services.provide) and register hooks; called once per Services.
    setup: Callable[[Services], None] | None = None
    # Loops that run beside a serving node as long as it runs (a sweep, a timer that must
    # survive a restart); each must log and carry on rather than die (chatserver.maintenance).
    workers: Sequence[Callable[[Services], Coroutine[Any, Any, None]]] = ()
    # The demo's content of this feature (``serve --demo``), given the demo's colleagues by
    # username and its records by title (chatserver.demo_records).
    demo: Callable[[Services, Mapping[str, User], Mapping[str, int]], Awaitable[None]] | None = None
    # Pages served with ``serve --demo`` only (live chat's pretend company site).
    demo_routes: Sequence[BaseRoute] = ()
    # Its tables: the modules that declare them, by name (imported when alembic compares
    # them), and the directory of its migrations, a branch of its own (chatserver.db.registry).
    models: Sequence[str] = ()
    migrations: Path | None = None
