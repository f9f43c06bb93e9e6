"""What a record's page shows of an SMS on its timeline (chatserver.actions.records).

Registered on ``Services.timeline_details`` by the feature (sms.feature), so the core's
record page never imports SMS.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services, TimelineDetails
from chatserver.db.models import TimelineEntry, User
from chatserver.errors import ChatError
from sms.actions import access
from sms.actions.view import message_name
from sms.storage import messages as store

__all__ = ["DETAILS"]


async def _messages(svc: Services, s: AsyncSession, viewer: User, entries: list[TimelineEntry]
                    ) -> dict[int, dict[str, Any]]:
    """The message's name and state; ``can_open`` when the viewer may open its details (SM-9)."""
    rows = await store.messages_by_ids(s, viewer.tenant_id, [e.ref_id for e in entries if e.ref_id])
    try:
        admin = (await access.load(s, viewer)).admin
        enabled = True
    except ChatError:  # the SMS module is off for the viewer: the entry, not the message
        admin = enabled = False
    out = {}
    for e in entries:
        msg = rows.get(e.ref_id or 0)
        if msg is None:
            continue
        out[e.id] = {"name": message_name(msg), "status": msg.status, "recipients": msg.recipients_planned,
                     "send_at": msg.send_at.isoformat() if msg.send_at else None,
                     "can_open": enabled and (admin or msg.user_id == viewer.id)}
    return out


DETAILS: dict[str, TimelineDetails] = {"sms": _messages}
