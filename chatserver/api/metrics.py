"""``GET /metrics``: this node's metrics in Prometheus' text format, for its scraper only.

Off the public internet by default: a scrape is answered only when it carries
``Authorization: Bearer <CHATSERVER_METRICS_TOKEN>``, or comes straight (no forwarding
header) from an address in ``CHATSERVER_METRICS_ALLOW``. With neither set, /metrics
answers 403 to everyone. A reverse proxy on the node's own host makes every request
come from 127.0.0.1, so a request that a proxy forwarded (``X-Forwarded-For``,
``Forwarded``, ``X-Real-IP``) never passes on its address; only the token lets it in.
What is counted: chatserver.metrics; docs/operations.md lists the names.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Mapping

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from chatserver.actions.context import Services
from chatserver.config import Config
from chatserver.forwarded import in_networks
from chatserver.metrics import BUS_LAG, CONNECTIONS

__all__ = ["allowed", "exposition", "routes"]

log = logging.getLogger(__name__)

_FORWARDING = ("x-forwarded-for", "forwarded", "x-real-ip")
# A scrape does not wait on a slow database: a feature's gauge keeps its last value.
_SCRAPE_TIMEOUT_SECONDS = 2.0


def allowed(headers: Mapping[str, str], peer: str, config: Config) -> bool:
    """The scraper's token, or a direct request from an allowed address (``headers`` by
    lowercase name)."""
    if config.metrics_token:
        header = headers.get("authorization", "")
        given = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if given and hmac.compare_digest(given.encode(), config.metrics_token.encode()):
            return True
    if config.metrics_allow and not any(h in headers for h in _FORWARDING):
        return in_networks(peer, config.metrics_allow)
    return False


async def exposition(svc: Services, connections: int | None) -> bytes:
    """The scrape's body: the gauges read now (``connections`` where this process has a hub)."""
    if connections is not None:
        CONNECTIONS.set(connections)
    await _scrape_gauges(svc)
    return generate_latest(REGISTRY)


async def _scrape_gauges(svc: Services) -> None:
    BUS_LAG.set(float(svc.bus.health().get("lag_seconds", 0.0)))
    # The features' gauges read from the database (Services.metrics_scrapes: SMS's outbox).
    for name, scrape in svc.metrics_scrapes.items():
        try:
            async with asyncio.timeout(_SCRAPE_TIMEOUT_SECONDS), svc.read() as s:
                await scrape(svc, s)
        except Exception as exc:  # noqa: BLE001 - a scrape still answers with what it has
            log.warning("metrics: could not read %s: %s", name, type(exc).__name__)


async def metrics(request: Request) -> Response:
    """Prometheus metrics of this node (bearer CHATSERVER_METRICS_TOKEN or CHATSERVER_METRICS_ALLOW)."""
    svc: Services = request.app.state.services
    if not allowed(request.headers, request.client.host if request.client else "", svc.config):
        headers = {"WWW-Authenticate": "Bearer"} if svc.config.metrics_token else {}
        return JSONResponse({"error": {"code": "forbidden", "message": "metrics are for this node's scraper only"}},
                            status_code=401 if svc.config.metrics_token else 403, headers=headers)
    body = await exposition(svc, request.app.state.hub.count())
    return Response(body, media_type=CONTENT_TYPE_LATEST)


routes = [Route("/metrics", metrics)]
