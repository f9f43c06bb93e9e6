"""Background upkeep that must never die silently: each loop logs and carries on."""

from __future__ import annotations

import asyncio
import logging

from chatserver.actions import tickets
from chatserver.actions.context import Services
from chatserver.storage import events

log = logging.getLogger(__name__)


async def prune_once(svc: Services) -> int:
    async with svc.transaction() as tx:
        removed = await events.prune(tx.session, svc.config.event_retention_per_user)
    if removed:
        log.info("pruned %d old events", removed)
    # Tickets are worth nothing after their 30 s; their rows go an hour later.
    await tickets.purge(svc)
    return removed


async def prune_loop(svc: Services, interval: float = 600.0) -> None:
    while True:
        try:
            await prune_once(svc)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("event pruning failed; retrying in %.0fs", interval)
        await asyncio.sleep(interval)
