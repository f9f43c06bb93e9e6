"""The ``chatserver`` command: serve, migrate, and organisation and user administration."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from chatserver import logs
from chatserver.config import Config

if TYPE_CHECKING:
    from chatserver.actions.context import Services
    from chatserver.db.models import User

T = TypeVar("T")


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from chatserver.app import create_app
    from chatserver.ws_protocol import uvicorn_options

    demo = args.demo or Config.from_env().demo
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    # The demo records calls too: its recorder, a process of its own as the Procfile's
    # `video:` line runs it, is started and stopped by the app's lifespan.
    config = Config.from_env(demo=demo, **({"demo_hub_url": f"http://{host}:{args.port}"} if demo else {}))
    app = create_app(config)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        **uvicorn_options(config),
        # uvicorn's loggers go to the root handler of chatserver.logs: one format, the
        # request and connection ids, redacted.
        log_config=None,
    )


def _video_recorder(args: argparse.Namespace) -> None:
    from signaling.recorder import run_recorder

    asyncio.run(run_recorder(Config.from_env(), args.hub_url))


def _sms_worker(args: argparse.Namespace) -> None:
    from sms.process import run_worker

    asyncio.run(run_worker(Config.from_env()))


def _migrate(args: argparse.Namespace) -> None:
    from chatserver import services
    from chatserver.db.migrate import upgrade

    config = Config.from_env()
    asyncio.run(upgrade(config.database_url, services.schema()))
    print("database is up to date")


async def _with_services(fn: Callable[[Services], Awaitable[T]]) -> T:
    # Imported here, not only under TYPE_CHECKING: the admin commands build one at run time.
    from chatserver import services
    from chatserver.bus.memory import MemoryBus
    from chatserver.clock import SystemClock
    from chatserver.db.engine import make_engine
    from chatserver.db.migrate import upgrade
    from chatserver.presence.memory import MemoryPresence

    config = Config.from_env()
    await upgrade(config.database_url, services.schema())
    engine = make_engine(config.database_url)
    svc = services.build(config, engine, MemoryBus(config.node_id), MemoryPresence(), SystemClock())
    try:
        return await fn(svc)
    finally:
        await services.close(svc)


def _create_tenant(args: argparse.Namespace) -> None:
    from chatserver.actions import accounts

    tenant = asyncio.run(_with_services(lambda svc: accounts.create_tenant(svc, args.slug, args.name)))
    print(f"tenant {tenant.slug} created with id {tenant.id}")


def _create_user(args: argparse.Namespace) -> None:
    from chatserver.actions import accounts
    from chatserver.storage import accounts as store

    password = args.password or getpass.getpass("password: ")

    async def run(svc: Services) -> User:
        async with svc.read() as s:
            tenant = await store.tenant_by_slug(s, args.tenant)
        if tenant is None:
            raise SystemExit(f"no tenant {args.tenant!r}")
        return await accounts.create_user(
            svc, tenant.id, username=args.username, password=password, display_name=args.name,
            email=args.email, function=args.function, role=args.role,
        )

    user = asyncio.run(_with_services(run))
    print(f"user {user.username} created with id {user.id}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="chatserver", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the hub (HTTP, REST and /ws)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="create the demo organisation and users")
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(fn=_serve)

    worker = sub.add_parser("sms-worker", help="run the SMS dispatcher as its own process (see CHATSERVER_SMS_*)")
    worker.set_defaults(fn=_sms_worker)

    recorder = sub.add_parser("video-recorder", help="record video calls, as a member of the calls (docs/video.md)")
    recorder.add_argument("--hub-url", default="http://127.0.0.1:8000", help="a hub node this process connects to")
    recorder.set_defaults(fn=_video_recorder)

    migrate = sub.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(fn=_migrate)

    tenant = sub.add_parser("create-tenant", help="create an organisation")
    tenant.add_argument("slug")
    tenant.add_argument("--name", default="")
    tenant.set_defaults(fn=_create_tenant)

    user = sub.add_parser("create-user", help="create a user in an organisation")
    user.add_argument("tenant", help="the organisation's slug")
    user.add_argument("username")
    user.add_argument("--name", required=True)
    user.add_argument("--password", help="asked for when not given")
    user.add_argument("--email", default="")
    user.add_argument("--function", default="")
    user.add_argument("--role", default="user", choices=["user", "key_user"])
    user.set_defaults(fn=_create_user)

    args = parser.parse_args(argv)
    logs.configure(Config.from_env().log_format, getattr(args, "log_level", "info"))
    try:
        args.fn(args)
    except KeyboardInterrupt:
        sys.exit(130)
