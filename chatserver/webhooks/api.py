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


# manage.hook_dict; the signing secret only in the answer that created it.
_HOOK = {"id": Field(int), "url": Field(str), "events": Field(list, items=Field(str)), "active": Field(bool),
         "created_at": Field(str)}
# manage.deliveries: what was posted, when, how often, and what came back.
_DELIVERY = Field(dict, shape={
    "id": Field(int), "event": Field(str), "conversation_id": Field(int, nullable=True), "status": Field(str),
    "attempts": Field(int, minimum=0), "created_at": Field(str), "next_at": Field(str),
    "delivered_at": Field(str, nullable=True), "last_status": Field(int, nullable=True),
    "last_error": Field(str, nullable=True)})

routes = [
    ApiRoute("/api/webhooks", list_hooks, "GET", Op(answers={"webhooks": Field(list, items=Field(dict, shape=_HOOK))})),
    ApiRoute("/api/webhooks", create_hook, "POST", Op(body=manage.CREATE, status=201,
                                                     answers={**_HOOK, "secret": Field(str)})),
    ApiRoute("/api/webhooks/{hook_id}", update_hook, "PUT", Op(body=manage.UPDATE, answers=_HOOK)),
    ApiRoute("/api/webhooks/{hook_id}", delete_hook, "DELETE", Op(answers={})),
    ApiRoute("/api/webhooks/{hook_id}/deliveries", hook_deliveries, "GET", Op(
        answers={"deliveries": Field(list, items=_DELIVERY)})),
]
