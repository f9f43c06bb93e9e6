"""A visitor's data on request (GDPR) over REST, for key-users (docs/livechat.md).

Both take the request in the body, never in the URL: an e-mail address is personal data
and URLs end up in access logs.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, body, ok, services
from chatserver.api.contract import ApiRoute, Op
from livechat.actions import privacy
from livechat.api.answers import ERASED, EXPORT

__all__ = ["routes"]


async def export(request: Request) -> Response:
    """Everything kept about a visitor: {"conversation_id"} or {"email"}."""
    user = await actor(request)
    return ok(await privacy.export(services(request), user, await body(request)))


async def erase(request: Request) -> Response:
    """Erase a visitor's data: {"conversation_id"} or {"email"}; answers {"erased": n}."""
    user = await actor(request)
    return ok(await privacy.erase(services(request), user, await body(request)))


routes = [
    ApiRoute("/api/livechat/privacy/export", export, "POST", Op(body=privacy.REQUEST, answers=EXPORT)),
    ApiRoute("/api/livechat/privacy/erase", erase, "POST", Op(body=privacy.REQUEST, answers=ERASED)),
]
