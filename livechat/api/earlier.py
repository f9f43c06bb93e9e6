"""A returning visitor's earlier conversations over REST (operators; docs/livechat.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, ok, path_id, services
from chatserver.api.contract import ApiRoute, Op
from livechat.actions import earlier as earlier_actions  # beside the route earlier()
from livechat.api.answers import EARLIER

__all__ = ["routes"]


async def earlier(request: Request) -> Response:
    """Other conversations of visitors with this visitor's e-mail address in the organisation."""
    user = await actor(request)
    return ok(await earlier_actions.earlier(services(request), user, path_id(request, "conv_id")))


routes = [ApiRoute("/api/livechat/conversations/{conv_id}/earlier", earlier, "GET", Op(answers=EARLIER))]
