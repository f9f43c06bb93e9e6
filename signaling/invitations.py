"""A call's link by e-mail (VC-3; VC-2's invitations build on it): the organisation's own
text (the ``video.invitation_text`` setting, edited by the key-user) with its
placeholders filled, sent through :mod:`chatserver.mail`."""

from __future__ import annotations

import re
from typing import Any

from chatserver import mail
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import NotFound
from chatserver.storage import settings as settings_store
from signaling import storage

__all__ = ["PLACEHOLDERS", "fill", "send_link"]

PLACEHOLDERS = ("name", "organiser", "title", "link", "when", "consent")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """The template with each known ``{placeholder}`` replaced; anything else left as written
    (no format(): a key-user's text must not reach into the values' attributes)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def check_email(address: str) -> str:
    return mail.check_address(address)


async def send_link(svc: Services, actor: User, token: str, email: str, name: str, base_url: str) -> dict[str, Any]:
    """Send the room's link to ``email``: a colleague of the room's organisation may."""
    email = check_email(email)
    async with svc.transaction() as tx:
        s = tx.session
        room = await storage.room_by_token(s, token)
        if room.tenant_id != actor.tenant_id:
            raise NotFound("no such call", code="no_such_room")
        texts = await settings_store.tenant_values(s, room.tenant_id)  # the organisation's, else the defaults
        body = fill(str(texts["video.invitation_text"]), {
            "name": name.strip() or email, "organiser": actor.display_name, "title": room.title,
            "link": f"{base_url.rstrip('/')}/v/{room.token}", "when": "",
            "consent": str(texts["video.consent_text"]) if room.recorded else "",
        })
        how = await mail.deliver(svc.config, s, mail.Mail(to=email, subject=f"Videogesprek: {room.title}", body=body),
                                 tenant_id=room.tenant_id, now=tx.now)
    return {"sent": how, "to": email}
