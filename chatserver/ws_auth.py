"""Who opens a WebSocket: a one-use ticket, the Authorization header, or ``?token=``.

A browser cannot set a header on a WebSocket, so it opens ``/ws?ticket=...`` with a
ticket from ``POST /api/ws/ticket`` (``chatserver.actions.tickets``): its long-lived
token never stands in a URL, where proxies we do not control would log it. Other clients
send ``Authorization: Bearer``. ``?token=`` is what browsers did before: deprecated, kept
for API clients unless ``CHATSERVER_WS_QUERY_TOKEN=0`` (our own logs redact it either way).
"""

from __future__ import annotations

from starlette.websockets import WebSocket

from chatserver.actions import tickets
from chatserver.actions.accounts import authenticate_session
from chatserver.actions.context import Services
from chatserver.errors import Unauthorized
from chatserver.metrics import WS_AUTH
from chatserver.storage.accounts import TokenSession, token_digest

__all__ = ["authenticate"]


def _token(ws: WebSocket, query_allowed: bool) -> tuple[str | None, str]:
    """The token given, and where: ``header`` or ``query_token``."""
    header = ws.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), "header"
    token = ws.query_params.get("token")
    if token is not None and not query_allowed:
        raise Unauthorized("a token in the URL is not taken here: open /ws?ticket= with a ticket from "
                           "POST /api/ws/ticket, or send the Authorization header", code="query_token_refused")
    return token, "query_token"


async def authenticate(svc: Services, ws: WebSocket) -> tuple[TokenSession, str]:
    """The connection's token session and that token's digest (its revocation closes the
    socket). Raises TicketRefused for a ticket unknown, used or expired (close 4002: the
    client fetches another), Unauthorized for a token that is not valid (4001)."""
    ticket = ws.query_params.get("ticket")
    if ticket is not None:
        opened = await tickets.redeem(svc, ticket)
        WS_AUTH.labels("ticket").inc()
        return opened.session, opened.token_digest
    token, how = _token(ws, svc.config.ws_query_token)
    session = await authenticate_session(svc, token)
    # Counted so an operator sees whether any client still sends ?token= before refusing it.
    WS_AUTH.labels(how).inc()
    return session, token_digest(token or "")
