"""Notification levels for the five events (IC-8): 0 off, 1 always, 2 only while the app is active.

The level travels in the event (``notify``); the client shows a notification by it. Do
not disturb turns every level to 0: the message arrives, silently (IC-5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import User
from chatserver.storage import settings as settings_store
from chatserver.storage.accounts import UserBrief

EVENTS = (
    "notify.contact_request",
    "notify.contact_approved",
    "notify.status_change",
    "notify.chat_message",
    "notify.livechat_message",
)


async def levels(s: AsyncSession, users: Sequence[User | UserBrief], name: str) -> dict[int, int]:
    by_tenant: dict[int, list[int]] = defaultdict(list)
    for u in users:
        by_tenant[u.tenant_id].append(u.id)
    out: dict[int, int] = {}
    for tenant_id, ids in by_tenant.items():
        out.update(await settings_store.effective_many(s, tenant_id, ids, name))
    for u in users:
        if u.status == "dnd":
            out[u.id] = 0
    return {uid: int(v) for uid, v in out.items()}
