"""What every view needs: the services, the caller, a JSON body, typed parameters."""

from __future__ import annotations

from typing import Any, overload

from starlette.requests import Request
from starlette.responses import JSONResponse

from chatserver.actions.accounts import authenticate
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import BadRequest, Forbidden


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


async def actor(request: Request) -> User:
    """The colleague calling; a website visitor's or a video guest's token is refused
    (each is valid for its own routes and socket messages only)."""
    user = await authenticate(services(request), bearer(request))
    if user.role == "visitor":
        raise Forbidden("a visitor token is valid only for the live-chat visitor routes", code="visitor_token")
    if user.role == "guest":
        raise Forbidden("a guest token is valid only in its video call", code="guest_token")
    return user


async def visitor(request: Request) -> User:
    """The website visitor calling a visitor route; a colleague's token is refused."""
    user = await authenticate(services(request), bearer(request))
    if user.role != "visitor":
        raise Forbidden("this route is for website visitors", code="visitors_only")
    return user


async def body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > 16 * 1024 * 1024:
        raise BadRequest("request body is over 16 MiB", code="too_large")
    try:
        import json

        data = json.loads(raw or b"{}")
    except ValueError as exc:
        raise BadRequest(f"body is not valid JSON: {exc}", code="invalid_json") from None
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object", code="invalid_json")
    if b"\\u0000" in raw and _has_nul(data):
        # No database keeps it in text: PostgreSQL refuses it, SQLite's JSON functions cut
        # the text there. Refused here, for every field, as protocol.schema does on a socket.
        raise BadRequest("body contains a NUL character (\\u0000)", code="invalid_value")
    return data


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def path_id(request: Request, name: str) -> int:
    value = request.path_params[name]
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a whole number", code="invalid_id") from None
    return number


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
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"query parameter {name} must be a whole number", code="invalid_value") from None


def ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)
