"""``POST /api/ws/ticket``: a one-use ticket that opens ``/ws?ticket=...`` (chatserver.actions.tickets).

Every token may ask (a colleague's, a website visitor's, a video guest's): whoever holds
the token may open a socket with it anyway. Our own pages ask with their session cookie
and its CSRF token (api.web_session), as every cookie-signed change. The widget asks
from its sites' pages, so the answer carries CORS for the calling origin; with the token
in a header (no other site's page sends our SameSite=Strict cookie), that grants a page
nothing it could not do without it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chatserver.actions import tickets
from chatserver.api._common import cors, credential, ok, preflight, rate_limited, services
from chatserver.api.contract import ApiRoute, Op
from chatserver.errors import ChatError, RateLimited
from chatserver.protocol.schema import Field

__all__ = ["routes"]


async def ticket(request: Request) -> Response:
    """A one-use ticket for /ws?ticket=, valid 30 seconds (CHATSERVER_WS_TICKET_SECONDS), for any token.
    Open the socket with it at once; reconnecting takes a new one. A browser's socket URL then
    carries no token (docs/protocol.md, "Connecting")."""
    try:
        answer: Response = ok(await tickets.issue(services(request), credential(request)))
    except RateLimited as exc:
        answer = rate_limited(exc)
    except ChatError as exc:
        answer = JSONResponse({"error": exc.to_dict()}, status_code=exc.status)
    # A ticket is a credential for its seconds: no cache keeps it.
    answer.headers["Cache-Control"] = "no-store"
    return cors(request, answer)


routes = [
    ApiRoute("/api/ws/ticket", ticket, "POST", Op(
        auth="token", also=(429,),
        answers={"ticket": Field(str, min_length=20, max_length=64),
                 "expires_in": Field(int, minimum=0)})),
    ApiRoute("/api/ws/ticket", preflight, "OPTIONS", Op(auth="none", status=204, media=None)),
]
