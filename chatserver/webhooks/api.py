"""Webhooks over REST, for key-users (docs/webhooks.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chatserver.api._common import actor, body, ok, path_id, services
from chatserver.webhooks import manage

__all__ = ["routes"]


async def list_hooks(request: Request) -> Response:
    """The organisation's webhooks (without their secrets)."""
    return ok({"webhooks": await manage.list_all(services(request), await actor(request))})


async def create_hook(request: Request) -> Response:
    """Add one: {"url", "events"?: [...], "active"?}. The answer holds the signing secret, once."""
    user = await actor(request)
    return ok(await manage.create(services(request), user, await body(request)), 201)


async def update_hook(request: Request) -> Response:
    """Change its url, events or whether it is active."""
    user = await actor(request)
    return ok(await manage.update(services(request), user, path_id(request, "hook_id"), await body(request)))


async def delete_hook(request: Request) -> Response:
    user = await actor(request)
    return ok(await manage.remove(services(request), user, path_id(request, "hook_id")))


async def hook_deliveries(request: Request) -> Response:
    """Its delivery log, newest first."""
    user = await actor(request)
    return ok({"deliveries": await manage.deliveries(services(request), user, path_id(request, "hook_id"))})


routes = [
    Route("/api/webhooks", list_hooks, methods=["GET"]),
    Route("/api/webhooks", create_hook, methods=["POST"]),
    Route("/api/webhooks/{hook_id}", update_hook, methods=["PUT"]),
    Route("/api/webhooks/{hook_id}", delete_hook, methods=["DELETE"]),
    Route("/api/webhooks/{hook_id}/deliveries", hook_deliveries, methods=["GET"]),
]
