"""Files over REST: sending one to a colleague (the raw bytes as the body, the name in the
query; live chat's sending routes are its own, livechat.api.files, with the
helpers here); a file's links; its bytes.

The body is read as it streams in and cut off at ``CHATSERVER_MAX_FILE_BYTES``; a body
declared larger is refused before a byte of it is read. The visitor's routes and a
file's links answer CORS for the calling origin, as the other visitor routes do: another
site's page can only use them with a token it holds (our session cookie is SameSite=Strict
and the answers never allow credentials), so echoing the origin grants nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from chatserver.actions.accounts import authenticate
from chatserver.api._common import (
    actor,
    credential,
    ok,
    path_id,
    preflight,
    query_int,
    services,
    signed_link,
)
from chatserver.api._common import cors as _cors
from chatserver.api.contract import ID, ApiRoute, Op
from chatserver.body_limit import Refusal
from chatserver.db.models import ANONYMOUS_ROLES, User
from chatserver.errors import BadRequest, ChatError, Forbidden, TooLarge
from chatserver.files import actions, links, rules, sending
from chatserver.files.blobs import too_large
from chatserver.files.links import VARIANTS
from chatserver.protocol.events import CHAT_MESSAGE, SENT_FILE
from chatserver.protocol.schema import Field
from chatserver.signed_links import LinkRefused, SignedLinks

__all__ = ["FILE", "SENT", "UPLOAD", "UPLOAD_REQUIRED", "refused", "routes", "upload"]

_CMID = Field(str, min_length=1, max_length=64)
_NAME = Field(str, min_length=1, max_length=255)
_UPLOAD = {"name": _NAME, "client_msg_id": _CMID}


def upload(request: Request) -> tuple[str, str, AsyncIterator[bytes]]:
    """The name, the client's message id and the body's chunks; a body declared over the
    limit is refused here, unread."""
    # Both there: the route's required_query (api.contract).
    name, cmid = request.query_params["name"], request.query_params["client_msg_id"]
    limit = services(request).config.max_file_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    return name, cmid, request.stream()


def refused(request: Request, exc: ChatError, *, cors: bool = False) -> Response:
    """A sending route's refusal; ``cors``: readable by the widget's page."""
    if isinstance(exc, TooLarge):
        # The rest of the body is not read: close the connection, as body_limit does.
        headers = {}
        if cors and request.headers.get("origin"):
            headers = {"Access-Control-Allow-Origin": request.headers["origin"], "Vary": "Origin"}
        return Refusal(exc, headers=headers)  # type: ignore[return-value]
    response = JSONResponse({"error": exc.to_dict()}, status_code=exc.status)
    return _cors(request, response) if cors else response


async def to_colleague(request: Request) -> Response:
    """Send a file to a contact (query: to, name, client_msg_id; body: the file's bytes)."""
    user = await actor(request)
    try:
        name, cmid, chunks = upload(request)
        to = query_int(request, "to", 0)  # there: the route's required_query
        result = await sending.to_colleague(services(request), user, to, name, cmid, chunks)
    except ChatError as exc:
        return refused(request, exc)
    return ok(result, 200 if result["duplicate"] else 201)


async def _viewer(request: Request) -> User:
    """Whoever calls with a token: a colleague or a website visitor (a guest is not told)."""
    return await authenticate(services(request), credential(request))


async def describe(request: Request) -> Response:
    """A file as its viewer may see it, with short-lived links to it and its thumbnail
    (a colleague's or a visitor's token)."""
    try:
        result = await actions.describe(services(request), await _viewer(request), path_id(request, "file_id"))
    except ChatError as exc:
        return _cors(request, JSONResponse({"error": exc.to_dict()}, status_code=exc.status))
    return _cors(request, ok(result))


async def content(request: Request) -> Response:
    """The file's bytes (``variant=thumb``: an image's thumbnail), with Range: by a signed
    link (``user``, ``expires``, ``signature``) or with a colleague's or visitor's token.
    Shown inline only for a re-encoded image; any other file is an attachment."""
    svc = services(request)
    file_id = path_id(request, "file_id")
    variant = request.query_params.get("variant") or "file"
    if variant not in VARIANTS:
        raise BadRequest(f"variant is one of {', '.join(VARIANTS)}", code="invalid_value", field="variant")
    link = signed_link(request)
    if link is not None:
        async with svc.read() as s:
            viewer = await s.get(User, link.user)
        # Gone, or a guest of a call (never given one): as a link that does not match.
        if viewer is None or (viewer.role in ANONYMOUS_ROLES and viewer.role != "visitor"):
            raise Forbidden("this link to the file is not valid", code="bad_signature")
        try:
            links.check(svc.get(SignedLinks), file_id, variant, viewer, link, svc.clock.now().timestamp())
        except LinkRefused as exc:
            raise Forbidden(str(exc), code=exc.code) from None
    else:
        viewer = await _viewer(request)
    opened = await actions.open_file(svc, viewer, file_id, variant)
    headers = {
        "Content-Disposition": rules.content_disposition(opened.name, inline=opened.inline),
        "Cache-Control": "private, no-store",
        # The widget shows a visitor's images on another site's page.
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    return FileResponse(opened.path, media_type=opened.type, headers=headers)


_PREFLIGHT = Op(auth="none", status=204, media=None)
# What a sending route takes in its query and answers (live chat's routes too).
UPLOAD = _UPLOAD
UPLOAD_REQUIRED = ("name", "client_msg_id")
# The file as its message describes it; null only when a resend's client_msg_id named an
# earlier message that is not a file (actions.send_file answers that message).
FILE = Field(dict, shape=SENT_FILE, nullable=True)
SENT = {"message": Field(dict, shape=CHAT_MESSAGE), "file": FILE, "duplicate": Field(bool)}
# actions.describe: the file with a signed link only its viewer can open, for a while.
_DESCRIBED = {**SENT_FILE, "url": Field(str), "expires": Field(int), "thumb_url": Field(str, nullable=True)}

routes = [
    ApiRoute("/api/chat/files", to_colleague, "POST", Op(
        query={"to": ID, **_UPLOAD}, required_query=("to", *UPLOAD_REQUIRED), status=201, answers=SENT,
        also=(200, 413))),
    # A colleague's or a visitor's token: the view checks it (a visitor's refusals carry CORS).
    ApiRoute("/api/files/{file_id}", describe, "GET", Op(auth="none", also=(401,), answers=_DESCRIBED)),
    ApiRoute("/api/files/{file_id}", preflight, "OPTIONS", _PREFLIGHT),
    # A signed link (user, expires, signature) or a token: the view checks either.
    ApiRoute("/api/files/{file_id}/content", content, "GET", Op(
        auth="none", media="application/octet-stream", also=(206, 401, 416),
        query={"variant": Field(str, choices=VARIANTS), "user": ID, "expires": Field(int, minimum=0),
               "signature": Field(str, max_length=200)})),
]
