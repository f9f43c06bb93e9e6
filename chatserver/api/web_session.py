"""The web pages' session: the login token in an httpOnly cookie, and the CSRF rule.

A page of ours (the app, the console, the video pages) logs in with ``"session":
"cookie"``: the server sets the login token as a cookie that scripts cannot read
(``HttpOnly``), that travels only over TLS when the page came over TLS (``Secure``, and
then the ``__Host-`` name, which no subdomain can set), and that no other site's page
or link sends (``SameSite=Strict``). The answer carries the user and the session's CSRF
token, never the login token.

A cookie is sent by the browser whoever wrote the request, so a request authenticated by
the cookie that changes something (POST, PUT, PATCH, DELETE) must prove it comes from
our page: an ``X-CSRF-Token`` header with the token derived from the session (an HMAC of
a fixed label keyed with the login token: only who holds the login token, or read it from
our own answers, can write it; another site can neither read our answers nor set a
custom header without a CORS preflight we never grant), and an ``Origin``, when the
browser sends one, of this server. A request with ``Authorization: Bearer`` is an API
client's: it carries its token by hand, which no other site can make a browser do, and
no CSRF rule applies to it. Why this pattern: docs/security.md, "Web session".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from chatserver.config import Config
from chatserver.errors import Forbidden
from chatserver.forwarded import is_secure

__all__ = ["CSRF_HEADER", "clear_cookie", "cookie_token", "csrf_token", "from_our_origin", "require_proof",
           "set_cookie"]

CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Over TLS the cookie has the __Host- prefix: the browser then takes it only with Secure,
# Path=/ and no Domain, so a page of a subdomain cannot plant a session of its choosing.
_NAME = "chat_session"
_SECURE_NAME = "__Host-chat_session"
_LABEL = b"chatserver web session csrf v1"


def _secure(request: Request, config: Config) -> bool:
    peer = request.client.host if request.client else ""
    return is_secure(request.url.scheme, request.headers, peer, config.trusted_proxies)


def _name(request: Request, config: Config) -> str:
    return _SECURE_NAME if _secure(request, config) else _NAME


def csrf_token(token: str) -> str:
    """The session's CSRF token: keyed with the login token, so it is bound to the session
    (it changes at every login and dies with the session) and tells nothing of the token."""
    digest = hmac.new(token.encode(), _LABEL, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def cookie_token(request: Request, config: Config) -> str | None:
    """The login token the session cookie holds, if the request carries one."""
    return request.cookies.get(_name(request, config)) or None


def from_our_origin(request: Request, config: Config) -> bool:
    """Whether the request's Origin is this server's own (scheme, host and port). Over TLS
    an http page of the same host is another origin."""
    origin = request.headers.get("origin", "")
    parts = urlsplit(origin)
    schemes = ("https",) if _secure(request, config) else ("http", "https")
    return parts.scheme in schemes and parts.netloc == request.headers.get("host", "")


def require_proof(request: Request, token: str, config: Config) -> None:
    """Refuse (403) a cookie-authenticated request that changes something without the
    session's CSRF token, or that a page of another origin sent."""
    if request.method not in UNSAFE:
        return
    if "origin" in request.headers and not from_our_origin(request, config):
        raise Forbidden("a request signed in by the session cookie must come from this server's own pages",
                        code="csrf_origin")
    given = request.headers.get(CSRF_HEADER)
    if not given:
        raise Forbidden("the X-CSRF-Token header is missing: a request signed in by the session cookie "
                        "that changes something must carry the session's CSRF token (GET /api/auth/session)",
                        code="csrf_missing")
    if not hmac.compare_digest(given.encode(), csrf_token(token).encode()):
        raise Forbidden("the X-CSRF-Token header is not this session's CSRF token", code="csrf_invalid")


def set_cookie(request: Request, response: Response, token: str, config: Config) -> None:
    """The session cookie, living as long as its token (a reload or a restarted browser
    stays signed in until the token expires or is revoked)."""
    secure = _secure(request, config)
    response.set_cookie(_name(request, config), token, max_age=int(config.token_ttl_hours * 3600), path="/",
                        secure=secure, httponly=True, samesite="strict")
    # An answer that sets a session is nobody's to keep.
    response.headers["Cache-Control"] = "no-store"


def clear_cookie(request: Request, response: Response, config: Config) -> None:
    response.delete_cookie(_name(request, config), path="/", secure=_secure(request, config), httponly=True,
                           samesite="strict")
