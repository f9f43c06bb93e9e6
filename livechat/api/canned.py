"""Canned responses over REST (operators and key-users; docs/livechat.md)."""

from __future__ import annotations

from chatserver.protocol.schema import Field
from livechat.actions import canned
from livechat.api.lists import list_routes

__all__ = ["routes"]

routes = list_routes(
    "/api/livechat/canned", "canned",
    listing=canned.list_visible, create=canned.create, update=canned.update,
    delete=canned.delete,
    docs=(
        "The organisation's canned responses and the caller's own, by shortcut.",
        'Add one: {"scope": "organisation" (key-users) | "personal", "shortcut", "text"}.',
        'Change one\'s shortcut or text: {"shortcut"?, "text"?}.',
        "Delete one (the organisation's: key-users; one's own: its operator).",
    ),
    bodies=(canned.CREATE, canned.UPDATE),
    # actions.canned.canned_dict
    item={"id": Field(int), "scope": Field(str, choices=("organisation", "personal")), "shortcut": Field(str),
          "text": Field(str), "updated_at": Field(str)},
)
