"""A live-chat site's look as the REST contract checks it, and deleting a site.

``LOOK`` is part of the sites' body (livechat/api/rest.py): a colour ``#rrggbb``,
the side from a list, launcher texts of at most 40 characters, a language we speak. The
contract's 400 names the field (``look.colour``), which the console says in Dutch or
English; livechat.look stores it and answers what a visitor's widget shows.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, ok, path_id, services
from chatserver.api.contract import ApiRoute, Op
from chatserver.protocol.schema import Field
from livechat.actions import site_deletion
from livechat.api.answers import SITE_DELETED
from livechat.look import COLOUR, LANGUAGES, LAUNCHER_MAX, POSITIONS

__all__ = ["LOOK", "routes"]

LOOK = Field(dict, required=False, closed=True, shape={
    "colour": Field(str, required=False, max_length=7, pattern=COLOUR),
    "position": Field(str, required=False, choices=POSITIONS),
    "launcher": Field(dict, required=False, closed=True, shape={
        lang: Field(str, required=False, max_length=LAUNCHER_MAX) for lang in LANGUAGES}),
    "language": Field(str, required=False, choices=LANGUAGES),
})


async def delete_site(request: Request) -> Response:
    """Delete a site (key-users) with its visitors and their conversations."""
    user = await actor(request)
    return ok(await site_deletion.delete_site(services(request), user, path_id(request, "site_id")))


routes = [ApiRoute("/api/livechat/sites/{site_id}", delete_site, "DELETE", Op(answers=SITE_DELETED))]
