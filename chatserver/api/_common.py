"""What every view needs: the services, the caller, a JSON body, typed parameters."""

from __future__ import annotations

from typing import Any, overload

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chatserver.actions.accounts import authenticate
from chatserver.actions.context import Services
from chatserver.actions.login_guard import LoginThrottle, Throttle
from chatserver.api import web_session
from chatserver.config import Config
from chatserver.db.models import User
from chatserver.errors import BadRequest, Forbidden, RateLimited
from chatserver.forwarded import in_networks
from chatserver.protocol import schema
from chatserver.signed_links import Link


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def client_ip(request: Request, config: Config) -> str:
    """The peer's address; behind a trusted proxy, the right-most forwarded address that is
    not itself a trusted proxy (the left part of X-Forwarded-For is whatever the client wrote)."""
    peer = request.client.host if request.client else ""
    if not config.trusted_proxies or not in_networks(peer, config.trusted_proxies):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not in_networks(hop, config.trusted_proxies):
            return hop
    return hops[0] if hops else peer


def login_throttle(request: Request) -> Throttle:
    """The app's failed-password counts (its lifespan builds them: in Redis when the bus is
    there); logins and video rooms' passwords share them."""
    state = request.app.state
    throttle: Throttle | None = getattr(state, "login_throttle", None)
    if throttle is None:
        throttle = state.login_throttle = LoginThrottle(services(request).clock)
    return throttle


def rate_limited(exc: RateLimited) -> JSONResponse:
    """A 429 that says, in Retry-After, when to try again."""
    return JSONResponse({"error": exc.to_dict()}, status_code=exc.status,
                        headers={"Retry-After": str(exc.details.get("retry_after", 1))})


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def credential(request: Request) -> str | None:
    """The caller's login token: the ``Authorization`` header's (an API client, the widget,
    a video guest: no CSRF rule, a browser never sends it by itself), else the web session
    cookie's, held to the CSRF rule when the request changes something (a 403 without the
    proof). The one place where a REST request's token is read (api.web_session)."""
    token = bearer(request)
    if token is not None:
        return token
    config = services(request).config
    token = web_session.cookie_token(request, config)
    if token is not None:
        web_session.require_proof(request, token, config)
    return token


# Where a request's checked parts are kept for its view (api.contract checks them first).
BODY_KEY = "chatserver.body"
USER_KEY = "chatserver.user"


async def actor(request: Request) -> User:
    """The colleague calling; a website visitor's or a video guest's token is refused
    (each is valid for its own routes and socket messages only). A ``bearer`` route
    (api.contract) has authenticated the caller before checking its input: kept here."""
    known = request.scope.get(USER_KEY)
    if known is not None:
        return known  # type: ignore[no-any-return]
    user = await authenticate(services(request), credential(request))
    if user.role == "visitor":
        raise Forbidden("a visitor token is valid only for the live-chat visitor routes", code="visitor_token")
    if user.role == "guest":
        raise Forbidden("a guest token is valid only in its video call", code="guest_token")
    request.scope[USER_KEY] = user
    return user


async def visitor(request: Request) -> User:
    """The website visitor calling a visitor route; a colleague's token is refused. Only
    the header: the widget never has a cookie session."""
    user = await authenticate(services(request), bearer(request))
    if user.role != "visitor":
        raise Forbidden("this route is for website visitors", code="visitors_only")
    return user


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object held to the rules every input obeys (protocol.schema): an
    integer out of range, a NUL, a lone surrogate or nesting too deep anywhere is a 400."""
    raw = await request.body()  # at most config.max_body_bytes: chatserver.body_limit
    data = schema.loads(raw or b"{}")
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object", code="invalid_json")
    schema.check_tree(data, "")
    return data


async def body(request: Request) -> dict[str, Any]:
    """The JSON object sent, held to the rules every input obeys (protocol.schema): any
    field of any request with an integer out of range, a NUL, a lone surrogate or nesting
    too deep is refused, naming the field, before a view or an action sees it. A route
    declared with a body (api.contract) has it checked against its fields and parsed already."""
    checked = request.scope.get(BODY_KEY)
    if checked is not None:
        return checked  # type: ignore[no-any-return]
    return await json_object(request)


def path_id(request: Request, name: str) -> int:
    return schema.whole_number(request.path_params[name], name, code="invalid_id")


@overload
def query_int(request: Request, name: str, default: int) -> int: ...


@overload
def query_int(request: Request, name: str, default: None) -> int | None: ...


def query_int(request: Request, name: str, default: int | None) -> int | None:
    # Typed per default so callers need no ``or default``, which turned an explicit,
    # invalid ``limit=0`` into the default instead of the 400 the actions give.
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    return schema.whole_number(value, name, label=f"query parameter {name}")


def ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def cors(request: Request, response: Response) -> Response:
    """The answer of a route the widget calls from its site's pages, readable there: the
    calling origin is echoed. Only for routes that need a token or that check the origin
    themselves: another site's page sends no session cookie (SameSite=Strict) and may not
    read a credentialed answer (no Allow-Credentials), so echoing it grants nothing a page
    could not do anyway.
    A refusal's Retry-After is readable there too (the widget backs off by it)."""
    origin = request.headers.get("origin")
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
        response.headers["Vary"] = "Origin"
    return response


async def preflight(request: Request) -> Response:
    """CORS preflight for the routes the widget calls."""
    response = Response(status_code=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
    response.headers["Access-Control-Max-Age"] = "600"
    return cors(request, response)


def signed_link(request: Request) -> Link | None:
    """A signed link's ``user``, ``expires`` and ``signature`` (a recording's, a sent
    file's), or None when the request has no signature (it carries a token instead)."""
    signature = request.query_params.get("signature")
    if signature is None:
        return None
    user_id, expires = query_int(request, "user", None), query_int(request, "expires", None)
    if user_id is None or expires is None:
        # Not a field the schema could require alone: the three go together.
        raise BadRequest("a signed link has user, expires and signature", code="incomplete_link",
                         field="user" if user_id is None else "expires")
    return Link(user_id, expires, signature)
