"""Webhooks over REST, for key-users (docs/webhooks.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, body, ok, path_id, services
from chatserver.api.contract import ApiRoute, Op
from chatserver.protocol.schema import Field
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
    """Delete it; nothing more is posted to it."""
    user = await actor(request)
    return ok(await manage.remove(services(request), user, path_id(request, "hook_id")))


async def hook_deliveries(request: Request) -> Response:
    """Its delivery log, newest first."""
    user = await actor(request)
    return ok({"deliveries": await manage.deliveries(services(request), user, path_id(request, "hook_id"))})


routes = [
    ApiRoute("/api/webhooks", list_hooks, "GET", Op(answers={"webhooks": Field(list, items=Field(dict))})),
    ApiRoute("/api/webhooks", create_hook, "POST", Op(body=manage.CREATE, status=201)),
    ApiRoute("/api/webhooks/{hook_id}", update_hook, "PUT", Op(body=manage.UPDATE)),
    ApiRoute("/api/webhooks/{hook_id}", delete_hook, "DELETE"),
    ApiRoute("/api/webhooks/{hook_id}/deliveries", hook_deliveries, "GET", Op(
        answers={"deliveries": Field(list, items=Field(dict))})),
]
