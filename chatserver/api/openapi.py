"""/openapi.json: the REST API, generated from the routes' declarations (api.contract).

Every ``/api/`` route is an :class:`~chatserver.api.contract.ApiRoute` (a test fails on
one that is not), core and features alike (``Feature.routes``): the document lists what
the input layer enforces, because both read the same :class:`~chatserver.api.contract.Op`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from chatserver import __version__
from chatserver.api.contract import ApiRoute, Guard, Op
from chatserver.protocol.json_schema import field_schema, object_schema

__all__ = ["document", "serve"]

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}},
    }},
}
_WHY = {
    400: "Bad input: the error names the field (details.field) and what is wrong with it",
    401: "No token, or one that is not valid (expired, revoked, unknown)",
    403: "Not allowed: role, setting, or a token of another kind",
    404: "No such thing (another organisation's or user's ids are not found either)",
    409: "The state does not allow it now",
    413: "The body is larger than the server takes",
    429: "Too many attempts: try again after Retry-After seconds",
}
_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "A colleague's token, from POST /api/auth/login"},
    "visitor": {"type": "http", "scheme": "bearer",
                "description": "A website visitor's token, from POST /api/livechat/visit (live chat)"},
    "token": {"type": "http", "scheme": "bearer",
              "description": "Any valid token: a colleague's, a website visitor's or a video guest's"},
}
_MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


def _statuses(method: str, op: Op) -> set[int]:
    """What an operation of this kind can answer besides its success."""
    codes = {400, 403, 404, *op.also}
    if op.auth in ("bearer", "visitor", "token"):
        codes.add(401)
    if method in _MUTATING:
        codes.add(409)
    if op.body is not None:
        codes.add(413)
    return codes - {op.status}


def _scheme_name(op: Op) -> str:
    return op.auth.name if isinstance(op.auth, Guard) else op.auth


def _operation(route: ApiRoute, method: str) -> dict[str, Any]:
    op = route.op
    doc = (route.view.__doc__ or "").strip()
    lines = doc.splitlines()
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": field_schema(f)} for name, f in route.params.items()
    ] + [
        {"name": name, "in": "query", "required": name in op.required_query, "schema": field_schema(f)}
        for name, f in op.query.items()
    ]
    success: dict[str, Any] = {"description": "OK"}
    if op.media == "application/json":
        answer = object_schema(op.answers) if op.answers is not None else {"type": "object"}
        success["content"] = {op.media: {"schema": answer}}
    elif op.media is not None:
        success["content"] = {op.media: {"schema": {"type": "string", "format": "binary"}}}
    responses: dict[str, Any] = {str(op.status): success}
    for code in sorted(_statuses(method, op)):
        if code < 400:  # another success (a resent duplicate answers 200, a range 206)
            responses[str(code)] = {**success, "description": "OK"}
            continue
        error: dict[str, Any] = {"description": _WHY.get(code, "Refused"),
                                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if code == 429:
            error["headers"] = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "string"}}}
        responses[str(code)] = error
    out: dict[str, Any] = {
        "operationId": re.sub(r"[^a-z0-9]+", "_", f"{method} {route.path}".lower()).strip("_"),
        "summary": lines[0] if lines else route.name,
        "parameters": parameters,
        "responses": responses,
        "security": [] if op.auth == "none" else [{_scheme_name(op): []}],
    }
    if len(lines) > 1:
        out["description"] = " ".join(line.strip() for line in lines[1:])
    if op.body is not None:
        out["requestBody"] = {
            "required": any(f.required for f in op.body.values()),
            "content": {"application/json": {"schema": object_schema(op.body, request=True, closed=op.closed)}},
        }
    return out


def document(routes: Iterable[BaseRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemes = dict(_SCHEMES)
    for route in routes:
        if not isinstance(route, ApiRoute):
            continue
        if isinstance(route.op.auth, Guard):
            schemes[route.op.auth.name] = dict(route.op.auth.scheme)
        template = re.sub(r"\{(\w+)(:\w+)?\}", r"{\1}", route.path)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            paths.setdefault(template, {})[method.lower()] = _operation(route, method)
    return {
        "openapi": "3.1.0",
        "info": {"title": "chatserver", "version": __version__,
                 "description": (
                     "The REST API; the WebSocket protocol is in docs/protocol.md. Besides each "
                     "operation's own rules, every value anywhere in a request obeys these: an integer "
                     "fits a signed 64-bit integer, a number is finite, text is valid UTF-8 without NUL, "
                     "objects and lists nest at most 32 deep; else 400 naming the place."
                 )},
        "components": {"securitySchemes": schemes, "schemas": {"Error": _ERROR}},
        "security": [{"bearer": []}],
        "paths": paths,
    }


async def serve(request: Request) -> Response:
    """The document, made once per application from its routes."""
    state = request.app.state
    doc = getattr(state, "openapi", None)
    if doc is None:
        doc = state.openapi = document(request.app.routes)
    return JSONResponse(doc)
