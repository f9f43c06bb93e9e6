"""Health for load balancers and operators: liveness apart from readiness.

* ``GET /health/live``: the process answers (its event loop runs). Nothing else is
  asked, so a database or Redis outage never gets a healthy process restarted.
* ``GET /health/ready``: may this node take traffic? It needs its database (503
  ``unavailable`` when a ``SELECT 1`` fails or takes over two seconds). Redis down is
  ``degraded``, still 200: the node keeps serving its own clients and storing every
  message, and only cross-node delivery and presence wait until Redis is back (the
  bus catches up from storage then). Dropping every node from the balancer for that
  would turn a delay into an outage.
* ``GET /health``: the readiness answer, as it always was there, with the details.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from chatserver import __version__
from chatserver.actions.context import Services

__all__ = ["routes"]

DATABASE_TIMEOUT_SECONDS = 2.0


async def live(request: Request) -> Response:
    """Liveness: the process answers."""
    return JSONResponse({"status": "alive", "version": __version__})


async def _database(svc: Services) -> dict[str, Any]:
    async def ping() -> None:
        async with svc.read() as s:
            await s.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(ping(), DATABASE_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means the same to a balancer: not ready
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


async def ready(request: Request) -> Response:
    """Readiness: 200 ``ok`` or ``degraded`` (Redis down: cross-node delivery delayed), 503 without a database."""
    svc: Services = request.app.state.services
    bus = svc.bus.health()
    database = await _database(svc)
    problems = []
    if not bus.get("connected"):
        problems.append("bus not connected: delivery to other nodes and their presence are delayed")
    if not database["ok"]:
        status = "unavailable"
        problems.insert(0, "database not reachable")
    else:
        status = "degraded" if problems else "ok"
    return JSONResponse(
        {"status": status, "problems": problems, "ok": status == "ok", "version": __version__,
         "node": svc.config.node_id, "connections": request.app.state.hub.count(), "database": database, "bus": bus,
         **{name: details() for name, details in svc.health_details.items()}},
        status_code=503 if status == "unavailable" else 200,
    )


routes = [
    Route("/health", ready),
    Route("/health/live", live),
    Route("/health/ready", ready),
]
