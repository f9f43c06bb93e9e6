"""Private notes over REST (operators; docs/livechat.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, body, ok, path_id, services
from chatserver.api.contract import ApiRoute, Op
from chatserver.protocol.schema import Field
from livechat.actions import notes
from livechat.events import NOTE

__all__ = ["routes"]


async def add_note(request: Request) -> Response:
    """A private note in the conversation, for operators only: {"body", "client_msg_id"}."""
    user = await actor(request)
    conv_id = path_id(request, "conv_id")
    return ok(await notes.add(services(request), user, conv_id, await body(request)), 201)


routes = [ApiRoute("/api/livechat/conversations/{conv_id}/notes", add_note, "POST",
                   Op(body=notes.NOTE, status=201, answers={
                       "note": Field(dict, shape=NOTE), "duplicate": Field(bool)}))]
