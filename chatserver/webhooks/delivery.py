"""Posting the outbox: a worker on every node, each delivery claimed by one of them.

A due delivery is claimed by raising its attempt count where it still has the count read
(a compare-and-set: two nodes never post the same try) and moving ``next_at`` a lease
ahead, so one whose node died mid-post is tried again after the lease. A 2xx answer
delivers it; anything else (an error status, a refused connection, a timeout, no answer
within 10 s) schedules the next try with growing backoff, and after the last it is
``failed``. Receivers get each event at least once and drop repeats by its ``id``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select, update

from chatserver.actions.context import Services
from chatserver.webhooks import signing
from chatserver.webhooks.models import Webhook, WebhookDelivery

__all__ = ["MAX_ATTEMPTS", "deliver_due", "delivery_loop"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10.0
LEASE = timedelta(seconds=60)  # longer than a post can take
MAX_BACKOFF_SECONDS = 6 * 3600
BATCH = 20


async def delivery_loop(svc: Services, interval: float = 1.0) -> None:
    """Deliver what is due, every ``interval`` seconds, as long as the node serves."""
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as http:
        while True:
            try:
                while await deliver_due(svc, http) == BATCH:
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("webhook deliveries failed; trying again in %.0fs", interval)
            await asyncio.sleep(interval)


async def deliver_due(svc: Services, http: httpx.AsyncClient) -> int:
    """Claim and post up to a batch of due deliveries; how many were claimed."""
    now = svc.clock.now()
    async with svc.read() as s:
        due = (await s.execute(
            select(WebhookDelivery.id, WebhookDelivery.attempts)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_at <= now)
            .order_by(WebhookDelivery.next_at).limit(BATCH)
        )).all()
    claimed = 0
    for delivery_id, attempts in due:
        async with svc.transaction() as tx:
            got = await tx.session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id, WebhookDelivery.attempts == attempts,
                       WebhookDelivery.status == "pending")
                .values(attempts=attempts + 1, next_at=tx.now + LEASE)
            )
            if not getattr(got, "rowcount", 0):
                continue  # another node has it
            row = (await tx.session.execute(
                select(WebhookDelivery.body, WebhookDelivery.event, Webhook.id, Webhook.url, Webhook.secret)
                .join(Webhook, Webhook.id == WebhookDelivery.webhook_id).where(WebhookDelivery.id == delivery_id)
            )).one()
        claimed += 1
        body, event, hook_id, url, secret = row
        status, error = await _post(svc, http, url, secret, event, delivery_id, body.encode())
        await _settle(svc, delivery_id, attempts + 1, status, error)
        if error:
            log.info("webhook %s delivery %s try %d: %s", hook_id, delivery_id, attempts + 1, error)
    return claimed


async def _post(svc: Services, http: httpx.AsyncClient, url: str, secret: str, event: str, delivery_id: int,
                body: bytes) -> tuple[int | None, str | None]:
    """The receiver's status and what went wrong (None: delivered). Never logs the URL: its
    query may hold the receiver's own key."""
    if not svc.config.webhook_allow_private and await _resolves_private(urlsplit(url).hostname or ""):
        return None, "the address resolves to a loopback, private or link-local address"
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "chatserver-webhooks",
        "X-Chatserver-Event": event,
        "X-Chatserver-Delivery": str(delivery_id),
        signing.HEADER: signing.header(secret, int(time.time()), body),
    }
    try:
        response = await http.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        return None, f"no answer within {TIMEOUT_SECONDS:.0f} s"
    except httpx.HTTPError as exc:
        return None, f"could not connect ({type(exc).__name__})"
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


async def _resolves_private(host: str) -> bool:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False  # the post fails on its own and says so
    return any(not ipaddress.ip_address(info[4][0]).is_global for info in infos)


async def _settle(svc: Services, delivery_id: int, attempts: int, status: int | None, error: str | None) -> None:
    async with svc.transaction() as tx:
        values: dict[str, object] = {"last_status": status, "last_error": error}
        if error is None:
            values.update(status="delivered", delivered_at=tx.now)
        elif attempts >= MAX_ATTEMPTS:
            values.update(status="failed")
        else:
            wait = min(svc.config.webhook_backoff_seconds * 3 ** (attempts - 1), MAX_BACKOFF_SECONDS)
            values.update(next_at=tx.now + timedelta(seconds=wait))
        await tx.session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(**values))
