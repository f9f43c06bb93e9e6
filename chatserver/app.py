"""The application factory: every route, the middleware and the lifespan, in one place."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from chatserver import __version__, demo_mail, log_redact, services
from chatserver.actions import presence as presence_actions
from chatserver.actions.login_guard_redis import throttle_for
from chatserver.api import accounts as accounts_api
from chatserver.api import chat as chat_api
from chatserver.api import contract
from chatserver.api import directory as directory_api
from chatserver.api import health as health_api
from chatserver.api import metrics as metrics_api
from chatserver.api import openapi as openapi_api
from chatserver.api import tickets as tickets_api
from chatserver.body_limit import BodyLimit
from chatserver.bus import Bus
from chatserver.bus.memory import MemoryBus
from chatserver.clock import Clock, SystemClock
from chatserver.config import Config
from chatserver.db import checkpoint
from chatserver.db.engine import make_engine
from chatserver.db.migrate import upgrade
from chatserver.errors import ChatError
from chatserver.gateway import WebSocketShortcut, handler_tables, websocket_endpoint
from chatserver.logs import RequestId
from chatserver.maintenance import prune_loop
from chatserver.metrics import LoopLag
from chatserver.presence import PresenceStore
from chatserver.presence.memory import MemoryPresence
from chatserver.protocol import events, schema
from chatserver.protocol.session import CloseCode
from chatserver.security_headers import SecurityHeaders

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"


async def app_page(request: Request) -> Response:
    return FileResponse(STATIC / "app" / "index.html")


async def console_page(request: Request) -> Response:
    return FileResponse(STATIC / "console" / "index.html")


async def root(request: Request) -> Response:
    return RedirectResponse("/app")


async def chat_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ChatError)
    return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Every method of the path, not only those of the route that matched first (a
        # path's methods may be spread over several routes).
        headers["Allow"] = ", ".join(sorted(_methods_of(request)))
    return JSONResponse({"error": {"code": "http_error", "message": exc.detail}}, status_code=exc.status_code,
                        headers=headers)


def _methods_of(request: Request) -> set[str]:
    path = request.url.path
    matching = [r for r in request.app.routes if isinstance(r, Route) and r.path_regex.match(path)]
    # Routes whose declared parameters the path fits (DELETE /api/contacts/{user_id} is no
    # method of /api/contacts/recent), else every match.
    fitting = [r for r in matching if contract.fits(r, path)] or matching
    return {m for r in fitting for m in r.methods or ()}


def _backends(config: Config, clock: Clock) -> tuple[Bus, PresenceStore]:
    if not config.redis_url:
        return MemoryBus(config.node_id), MemoryPresence()
    from chatserver.bus.redis import RedisBus
    from chatserver.presence.redis import RedisPresence

    return (
        RedisBus(config.redis_url, config.node_id),
        RedisPresence(config.redis_url, config.node_id, ttl=config.node_ttl_seconds, clock=clock),
    )


GC_THRESHOLDS = (10_000, 20, 100)


def create_app(config: Config | None = None, *, clock: Clock | None = None) -> Starlette:
    config = services.configure(config or Config.from_env())
    clock = clock or SystemClock()
    features = services.features()
    for feature in features:
        schema.register(feature.messages)
        events.register(feature.events)
    log_redact.install()  # no token in uvicorn's access log

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if config.create_schema:
            await upgrade(config.database_url, services.schema())
        # SQLite on a file: its log is folded back by a background checkpointer, not by
        # whichever commit crosses the threshold (db.checkpoint).
        db_file = checkpoint.database_file(config.database_url)
        checkpointer = checkpoint.Checkpointer(db_file) if db_file else None
        engine = make_engine(config.database_url,
                             autocheckpoint=checkpoint.WRITER_AUTOCHECKPOINT if checkpointer else None,
                             synchronous=config.sqlite_synchronous)
        bus, presence = _backends(config, clock)
        svc = services.build(config, engine, bus, presence, clock)
        hub = services.attach_hub(svc)
        app.state.services = svc
        app.state.hub = hub
        app.state.login_throttle = login_throttle = throttle_for(config, clock)
        if hasattr(presence, "on_offline"):
            presence.on_offline = lambda users: presence_actions.nodes_lost(svc, users)
        if hasattr(presence, "on_online"):
            # A node taken for dead that was only stalled: its users come back.
            presence.on_online = lambda users: presence_actions.nodes_back(svc, users)

        async def resume() -> None:
            # Redis came back: it may have lost some messages and our presence entries.
            # Catch up first: it needs only the database, and must not be skipped when
            # the reassert fails on a connection Redis just dropped (the presence
            # heartbeat writes missing entries again anyway).
            hub.catch_up_all()
            await presence.reassert([(c.user_id, c.id) for c in hub.all()])

        bus.on_resume(resume)
        await bus.start(svc.local.deliver)
        await presence.start()
        if config.demo:
            from chatserver.demo import seed

            await seed(svc)
        pruner = asyncio.create_task(prune_loop(svc), name="event-pruner")
        workers = [asyncio.create_task(work(svc), name=f"{feature.name}-{work.__name__}")
                   for feature in features for work in feature.workers]
        app.state.checkpointer = checkpointer
        checkpoints = asyncio.create_task(checkpointer.run(), name="wal-checkpoints") if checkpointer else None
        # How late the loop runs, for /metrics: a busy CPU or a call that blocks it (docs/operations.md).
        loop_lag = LoopLag()
        log.info("chatserver %s node %s ready", __version__, config.node_id)
        # What exists now (modules, the ORM's mappers, compiled statements) lives as long as
        # the process: out of the collector's sight, a full collection no longer walks it.
        # Full collections were the longest pauses under load (113 ms; docs/benchmarks.md).
        gc.collect()
        gc.freeze()
        # Young collections every 10,000 allocations instead of 700, and a full one at most
        # every 100 middle ones: under load a full collection (15-25 ms with 500
        # connections open) came every few seconds, and every message in flight waited it
        # out (docs/benchmarks.md, step 25). Cycles are rare here (step 15): memory holds.
        gc.set_threshold(*GC_THRESHOLDS)
        try:
            yield
        finally:
            loop_lag.stop()
            pruner.cancel()
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            if checkpoints is not None:
                checkpoints.cancel()
                await asyncio.gather(checkpoints, return_exceptions=True)
            for conn in hub.all():
                await conn.close(CloseCode.GOING_AWAY, "server shutting down")
            await presence.stop()
            await bus.stop()
            await login_throttle.aclose()
            await services.close(svc)

    routes = [
        Route("/", root),
        *health_api.routes,  # /health, /health/live, /health/ready
        *metrics_api.routes,  # /metrics, for the scraper only
        Route("/openapi.json", openapi_api.serve),  # generated from the routes' declarations
        Route("/app", app_page),
        Route("/console", console_page),
        WebSocketRoute("/ws", websocket_endpoint),
        *([Route("/demo/mail", demo_mail.page), *(r for feature in features for r in feature.demo_routes)]
          if config.demo else []),
        *accounts_api.routes,
        *tickets_api.routes,  # /api/ws/ticket: what a browser opens /ws with
        *chat_api.routes,
        *(route for feature in features for route in feature.routes),  # before the catch-all
        *directory_api.routes,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={ChatError: chat_error, HTTPException: http_error},
        middleware=[
            Middleware(WebSocketShortcut),  # /ws without the router's frames per connection
            Middleware(RequestId),  # X-Request-ID, and the id on every log line of the request
            Middleware(BodyLimit, max_bytes=config.max_body_bytes),
            Middleware(SecurityHeaders),  # CSP, nosniff, Referrer-Policy, frame-ancestors
            # Text answers compressed where the client accepts it (the widget: 23 KB to 8).
            Middleware(GZipMiddleware, minimum_size=1000),
        ],
    )
    app.state.handlers = handler_tables(features)
    return app
