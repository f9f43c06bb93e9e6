"""What each REST operation takes and answers, declared once beside its route.

An :class:`ApiRoute` carries an :class:`Op`: its body's fields, its query and path
parameters (the same :class:`~chatserver.protocol.schema.Field` that socket messages
use), its success status and answer, the other statuses it gives and who may call it.
Two things read it, so they cannot drift apart:

- the input layer (:func:`check_request`) authenticates the caller as the route says
  and holds every request to it before the view runs: a path or query parameter out of its range, a body that is not a JSON object, a
  missing or mistyped field is a 400 naming the place; the view never sees it;
- /openapi.json (:mod:`chatserver.api.openapi`) is generated from it.

A view reads the checked body with ``_common.body(request)`` (parsed once, kept in the
request's scope) and its parameters with ``path_id`` and ``query_int``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chatserver.api import _common
from chatserver.errors import BadRequest
from chatserver.protocol import schema
from chatserver.protocol.schema import INT_MAX, Field

__all__ = ["ID", "ApiRoute", "Auth", "Guard", "Op", "check_request", "fits", "path_fields"]

View = Callable[[Request], Awaitable[Response]]
# Who may call: a colleague's bearer token, a website visitor's (live chat), any valid
# token of any role (colleague, visitor, video guest: the /ws ticket), or anyone; a
# feature may declare a kind of its own (a :class:`Guard`).
Auth = Literal["bearer", "visitor", "token", "none"]


@dataclass(frozen=True)
class Guard:
    """A kind of caller a feature declares (SMS: a provider that knows the callback URL's
    secret, sms.api.reports): its name and security scheme in /openapi.json, and its
    check, which raises a ChatError (a 403) for anyone else."""

    name: str
    scheme: Mapping[str, Any]
    check: Callable[[Request], None]

# An id in a path: a positive 64-bit integer (a database id).
ID = Field(int, minimum=1, maximum=INT_MAX)
# A path segment that is not an id (a room token, a setting's name).
SEGMENT = Field(str, min_length=1, max_length=200)


class Digits(Convertor[str]):
    """``{name:digits}``: an id segment that only digits match, for a route beside a
    literal one (``/api/contacts/{user_id:digits}`` and ``/api/contacts/recent``), so the
    literal path is not also the id route's (DELETE on it answers 405, not 400)."""

    regex = "[0-9]+"

    def convert(self, value: str) -> str:
        return value  # checked as declared by the input layer, as any path parameter

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("digits", Digits())


@dataclass(frozen=True)
class Op:
    # The JSON object the operation takes (its declared fields; others are ignored unless
    # ``closed``), or None when it reads no body.
    body: Mapping[str, Field] | None = None
    closed: bool = False
    query: Mapping[str, Field] = field(default_factory=dict)
    # Query parameters that must be there (absent or empty: 400 missing_field, and
    # ``required`` in the document); any other is optional, whatever its field says.
    required_query: tuple[str, ...] = ()
    # Path parameters that are not ids (``*_id`` names are :data:`ID`, others :data:`SEGMENT`).
    path: Mapping[str, Field] = field(default_factory=dict)
    status: int = 200
    # The success answer's fields (others may be present), or None: an object, undescribed.
    answers: Mapping[str, Field] | None = None
    # Statuses it gives besides the success and the refusals every operation of its kind
    # gives (openapi.py): 200 beside 201 for a resent duplicate, 429, 206 for a range.
    also: tuple[int, ...] = ()
    auth: Auth | Guard = "bearer"
    # The success answer's media type (None: no body, as a 204).
    media: str | None = "application/json"


def path_fields(route: Route, op: Op) -> dict[str, Field]:
    """The declared field of each of the route's path parameters."""
    return {name: op.path.get(name) or (ID if name.endswith("id") else SEGMENT) for name in route.param_convertors}


class ApiRoute(Route):
    """A REST route with its :class:`Op`: requests are checked against it before the view."""

    def __init__(self, path: str, view: View, method: str, op: Op | None = None) -> None:
        self.op = op or Op()
        self.view = view

        async def checked(request: Request) -> Response:
            await check_request(request, self.op, self.params)
            return await view(request)

        checked.__doc__ = view.__doc__
        super().__init__(path, checked, methods=[method], name=view.__name__)
        self.params = path_fields(self, self.op)


def fits(route: Route, path: str) -> bool:
    """Whether the path is one of the route's: it matches, and each parameter fits its
    declared field (``/api/contacts/recent`` is not ``/api/contacts/{user_id}``'s)."""
    match = route.path_regex.match(path)
    if match is None:
        return False
    if not isinstance(route, ApiRoute):
        return True
    try:
        for name, f in route.params.items():
            _parameter(f, match.group(name), name, "path parameter")
    except BadRequest:
        return False
    return True


async def check_request(request: Request, op: Op, params: Mapping[str, Field]) -> None:
    """Who calls first (a stranger learns nothing of a route's rules), then the input.
    A visitor route and a ``token`` route check the token in their view: their refusals
    carry CORS headers there."""
    if op.auth == "bearer":
        await _common.actor(request)
    elif isinstance(op.auth, Guard):
        op.auth.check(request)
    for name, f in params.items():
        _parameter(f, request.path_params[name], name, "path parameter")
    for name in op.required_query:
        if not request.query_params.get(name):
            raise BadRequest(f"{name} (query parameter) is required", code="missing_field", field=name)
    for name, f in op.query.items():
        value = request.query_params.get(name)
        if value:  # empty: absent, as for every query parameter
            _parameter(f, value, name, "query parameter")
    if op.body is not None:
        data = await _common.json_object(request)
        if op.closed:
            schema.check_closed(op.body, data)
        schema.check_fields(op.body, data)
        request.scope[_common.BODY_KEY] = data


def _parameter(f: Field, text: str, name: str, what: str) -> None:
    label = f"{name} ({what})"
    if f.type is int:
        code = "invalid_id" if what == "path parameter" else "invalid_value"
        value: Any = schema.whole_number(text, name, code=code, label=label)
    else:
        value = text
        problem = schema.text_problem(text)
        if problem is not None:
            raise BadRequest(f"{label} {problem}", code="invalid_value", field=name)
    schema.check_value(f, value, name, label=label)
