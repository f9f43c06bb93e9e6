"""Notification levels (IC-8): 0 off, 1 always, 2 only while the app is active.

Each kind of event that notifies has a setting of its own, declared by
``settings_registry.notify_level``: the core's (contact requests, contacts' status, chat
messages) in chatserver.settings_registry, a feature's with its settings (live chat's
``notify.livechat_message`` in livechat/settings.py).

The level travels in the event (``notify``); the client shows a notification by it. Do
not disturb turns every level to 0: the message arrives, silently (IC-5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import User
from chatserver.storage import settings as settings_store
from chatserver.storage.accounts import UserBrief


async def levels(s: AsyncSession, users: Sequence[User | UserBrief], name: str) -> dict[int, int]:
    by_tenant: dict[int, list[int]] = defaultdict(list)
    for u in users:
        by_tenant[u.tenant_id].append(u.id)
    values: dict[int, Any] = {}
    for tenant_id, ids in by_tenant.items():
        values.update(await settings_store.effective_many(s, tenant_id, ids, name))
    return levels_from(users, values)


def levels_from(users: Sequence[User | UserBrief], values: dict[int, Any]) -> dict[int, int]:
    """The levels given each user's value of the event's setting: Do not disturb makes it 0."""
    return {u.id: 0 if u.status == "dnd" else int(values[u.id]) for u in users}
