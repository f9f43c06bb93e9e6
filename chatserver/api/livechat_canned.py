"""Canned responses over REST (operators and key-users; docs/livechat.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chatserver.actions import livechat_canned
from chatserver.api._common import actor, body, ok, path_id, services

__all__ = ["routes"]


async def list_canned(request: Request) -> Response:
    """The organisation's canned responses and the caller's own, by shortcut."""
    user = await actor(request)
    return ok({"canned": await livechat_canned.list_visible(services(request), user)})


async def create_canned(request: Request) -> Response:
    """Add one: {"scope": "organisation" (key-users) | "personal", "shortcut", "text"}."""
    user = await actor(request)
    return ok(await livechat_canned.create(services(request), user, await body(request)), 201)


async def update_canned(request: Request) -> Response:
    """Change one's shortcut or text: {"shortcut"?, "text"?}."""
    user = await actor(request)
    canned_id = path_id(request, "canned_id")
    return ok(await livechat_canned.update(services(request), user, canned_id, await body(request)))


async def delete_canned(request: Request) -> Response:
    """Delete one (the organisation's: key-users; one's own: its operator)."""
    user = await actor(request)
    return ok(await livechat_canned.delete(services(request), user, path_id(request, "canned_id")))


routes = [
    Route("/api/livechat/canned", list_canned, methods=["GET"]),
    Route("/api/livechat/canned", create_canned, methods=["POST"]),
    Route("/api/livechat/canned/{canned_id}", update_canned, methods=["PUT"]),
    Route("/api/livechat/canned/{canned_id}", delete_canned, methods=["DELETE"]),
]
