"""Writing an event into the delivery outbox, inside the transaction of the change it reports.

Called by the action layer (live chat's ``livechat.actions.view``) with its open transaction: the
event is stored for each of the organisation's active webhooks that asked for it, and is
delivered after the commit by :mod:`chatserver.webhooks.delivery`; a rollback takes it back.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import select

from chatserver.actions.context import Tx
from chatserver.webhooks.models import Webhook, WebhookDelivery

__all__ = ["EVENTS", "record"]

# What a webhook may ask for (docs/webhooks.md).
EVENTS = ("conversation.created", "conversation.updated", "message.created")


async def record(tx: Tx, tenant_id: int, event: str, data: dict[str, Any], *, conversation_id: int) -> int:
    """Queue ``event`` about a conversation for the organisation's webhooks that want it;
    how many were queued. (The conversation's id lets erasing a visitor's data find them.)"""
    assert event in EVENTS, event
    hooks = (await tx.session.execute(
        select(Webhook.id, Webhook.events).where(Webhook.tenant_id == tenant_id, Webhook.active.is_(True))
    )).all()
    wanted = [hook_id for hook_id, events in hooks if event in events]
    for hook_id in wanted:
        # The id lets a receiver drop a delivery it already had (a retry after a lost answer).
        body = json.dumps({"id": secrets.token_hex(12), "event": event, "created_at": tx.now.isoformat(),
                           "organisation_id": tenant_id, "data": data}, separators=(",", ":"))
        tx.session.add(WebhookDelivery(webhook_id=hook_id, event=event, conversation_id=conversation_id, body=body, status="pending", attempts=0,
                                       next_at=tx.now, created_at=tx.now))
    return len(wanted)
