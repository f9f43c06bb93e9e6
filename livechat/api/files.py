"""Live chat's routes for sending a file (docs/files.md): an operator to the visitor, and
the visitor from the widget (CORS, as the other visitor routes). Reading a file is the
files package's (``GET /api/files/{id}``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, cors, ok, path_id, preflight, services, visitor
from chatserver.api.contract import ApiRoute, Op
from chatserver.errors import ChatError
from chatserver.files.api import FILE, UPLOAD, UPLOAD_REQUIRED, refused, upload
from livechat.actions import files
from livechat.api.answers import SENT as _REPLY
from livechat.api.answers import VISITOR_SENT as _WRITTEN

__all__ = ["routes"]

# A live-chat message (of kind "file") and its file.
_SENT = {**_REPLY, "file": FILE}
_VISITOR_SENT = {**_WRITTEN, "file": FILE}


async def by_operator(request: Request) -> Response:
    """Send a file to the visitor of a conversation (query: name, client_msg_id; body: the bytes)."""
    user = await actor(request)
    try:
        name, cmid, chunks = upload(request)
        result = await files.by_operator(services(request), user, path_id(request, "conversation_id"),
                                                  name, cmid, chunks)
    except ChatError as exc:
        return refused(request, exc)
    return ok(result, 200 if result["duplicate"] else 201)


async def by_visitor(request: Request) -> Response:
    """A website visitor sends a file in their conversation (visitor token; query: name,
    client_msg_id; body: the bytes)."""
    try:
        user = await visitor(request)
        name, cmid, chunks = upload(request)
        result = await files.by_visitor(services(request), user, name, cmid, chunks)
    except ChatError as exc:
        return refused(request, exc, cors=True)
    return cors(request, ok(result, 200 if result["duplicate"] else 201))


routes = [
    ApiRoute("/api/livechat/conversations/{conversation_id}/files", by_operator, "POST", Op(
        query=UPLOAD, required_query=UPLOAD_REQUIRED, status=201, answers=_SENT, also=(200, 409, 413))),
    ApiRoute("/api/livechat/visitor/files", by_visitor, "POST", Op(
        auth="visitor", query=UPLOAD, required_query=UPLOAD_REQUIRED, status=201, answers=_VISITOR_SENT,
        also=(200, 413))),
    ApiRoute("/api/livechat/visitor/files", preflight, "OPTIONS", Op(auth="none", status=204, media=None)),
]
