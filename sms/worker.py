"""The dispatcher beside a serving node (``CHATSERVER_SMS_WORKER=embedded``, the default).

Run as one of the feature's workers (``Feature.workers``): the app starts it with the
node and cancels it at shutdown, when the dispatcher stops cleanly (rows it was
submitting are settled by the next start's recovery). With ``CHATSERVER_SMS_WORKER=off``
it does nothing: ``chatserver sms-worker`` (sms.dispatcher.run_worker) sends instead.
"""

from __future__ import annotations

import asyncio
from typing import Any

from chatserver.actions.context import Services
from sms.config import SmsConfig
from sms.dispatcher import Dispatcher
from sms.gateways import build_gateway

__all__ = ["DispatcherSlot", "dispatch"]


class DispatcherSlot:
    """This process's dispatcher once its worker runs: what /health shows, what tests wait for."""

    def __init__(self) -> None:
        self.dispatcher: Dispatcher | None = None
        self._set = asyncio.Event()

    def set(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._set.set()

    def health(self) -> dict[str, Any] | None:
        return self.dispatcher.health() if self.dispatcher is not None else None

    async def started(self) -> Dispatcher:
        """The dispatcher, once it has recovered and may begin its first round."""
        await self._set.wait()
        assert self.dispatcher is not None
        await self.dispatcher.started()
        return self.dispatcher


async def dispatch(svc: Services) -> None:
    config = svc.config.section(SmsConfig)
    if config.worker != "embedded":
        return
    # Built here, not in the feature's setup: a gateway may open a client (Spryng's HTTP
    # pool) that only a process that sends should hold.
    dispatcher = Dispatcher.from_config(svc, build_gateway(config, svc))
    svc.get(DispatcherSlot).set(dispatcher)
    dispatcher.start()
    try:
        await asyncio.Event().wait()  # until the app cancels its workers
    finally:
        await dispatcher.stop()
