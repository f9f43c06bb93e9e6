"""``chatserver sms-worker``: the SMS dispatcher as a process of its own (CHATSERVER_SMS_WORKER=off
on the hubs). Apart from :mod:`sms.dispatcher` because it builds the process's Services
through the composition root, which lists this feature."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from chatserver import services
from chatserver.api import metrics_port
from chatserver.bus import Bus
from chatserver.bus.memory import MemoryBus
from chatserver.clock import SystemClock
from chatserver.config import Config
from chatserver.db.engine import make_engine
from chatserver.db.migrate import upgrade
from chatserver.metrics import LoopLag
from chatserver.presence.memory import MemoryPresence
from sms.config import SmsConfig
from sms.dispatcher import Dispatcher
from sms.gateways import build_gateway

__all__ = ["run_worker"]

log = logging.getLogger(__name__)


async def run_worker(config: Config, *, stop: asyncio.Event | None = None) -> None:
    """``chatserver sms-worker``: the dispatcher as its own process, until SIGTERM/SIGINT or ``stop``.

    It shares the hub's database; with ``CHATSERVER_REDIS_URL`` its events reach the
    hubs' clients live over Redis, and a hub's ``sms.wake`` reaches it (it has no
    connections of its own).
    """
    if config.create_schema:
        await upgrade(config.database_url, services.schema())
    engine = make_engine(config.database_url)
    bus: Bus
    if config.redis_url:
        from chatserver.bus.redis import RedisBus

        bus = RedisBus(config.redis_url, config.node_id)
    else:
        bus = MemoryBus(config.node_id)
    # No hub: this process has no connections. Its bus listens only so that ``sms.wake``
    # from a hub reaches the dispatcher (MemoryPresence: nobody is connected here).
    svc = services.build(config, engine, bus, MemoryPresence(), SystemClock())
    await bus.start(svc.local.deliver)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    dispatcher = Dispatcher.from_config(svc, build_gateway(svc.config.section(SmsConfig), svc))
    task = dispatcher.start()
    metrics = await metrics_port.serve(svc) if config.metrics_port else None
    # The worker's own loop lag, for its scraper (docs/operations.md): a timer only if scraped.
    loop_lag = LoopLag() if metrics is not None else None
    log.info("sms worker: %s gateway, %s/s", dispatcher.gateway.name, dispatcher.limiter.rate)
    try:
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
    finally:
        if loop_lag is not None:
            loop_lag.stop()
        if metrics is not None:
            metrics.close()
        await dispatcher.stop()
        stopper = getattr(bus, "stop", None)
        if stopper is not None:
            await stopper()
        await services.close(svc)
