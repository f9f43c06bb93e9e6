"""Labels over REST: the organisation's list, and labels on conversations (docs/livechat.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, body, ok, path_id, services
from chatserver.api.contract import ApiRoute, Op
from chatserver.protocol.schema import Field
from livechat.actions import labels
from livechat.api.answers import CONVERSATION
from livechat.api.lists import list_routes

__all__ = ["routes"]


async def add_label(request: Request) -> Response:
    """Put a label on the conversation: {"label_id"}; answers the conversation."""
    user = await actor(request)
    conv_id = path_id(request, "conv_id")
    return ok(await labels.add(services(request), user, conv_id, await body(request)))


async def remove_label(request: Request) -> Response:
    """Take a label off the conversation; answers the conversation."""
    user = await actor(request)
    conv_id, label_id = path_id(request, "conv_id"), path_id(request, "label_id")
    return ok(await labels.remove(services(request), user, conv_id, label_id))


routes = [
    *list_routes(
        "/api/livechat/labels", "labels",
        listing=labels.list_labels, create=labels.create, update=labels.update,
        delete=labels.delete,
        docs=(
            "The organisation's labels, by name.",
            'Add a label (key-users): {"name", "colour": "#rrggbb"}.',
            'Rename or recolour a label (key-users): {"name"?, "colour"?}.',
            "Delete a label (key-users); it leaves every conversation.",
        ),
        bodies=(labels.CREATE, labels.UPDATE),
        item={"id": Field(int), "name": Field(str), "colour": Field(str)},  # actions.labels.label_dict
    ),
    ApiRoute("/api/livechat/conversations/{conv_id}/labels", add_label, "POST", Op(
        body=labels.ON_CONVERSATION, answers=CONVERSATION)),
    ApiRoute("/api/livechat/conversations/{conv_id}/labels/{label_id}", remove_label, "DELETE", Op(
        answers=CONVERSATION)),
]
