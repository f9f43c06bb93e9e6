"""The SQL of a visitor's data on request (GDPR): what there is, and taking it out.

A visitor is a ``users`` row (role ``visitor``) with one conversation: deleting that row
takes the visitor's details, the conversation, its messages, notes, labels and ratings
with it (ON DELETE CASCADE; SQLite's foreign keys are on, db/engine.py). What refers to
the conversation elsewhere is handled here: the events in operators' streams, kept for
replay, and the webhook outbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import Token, User, UserEvent
from chatserver.storage import accounts
from chatserver.webhooks.models import Webhook, WebhookDelivery
from livechat.models import LiveConversation, LiveRating, Visitor

__all__ = ["by_email", "by_ids", "expired", "forget", "ratings_of", "scrub_streams", "tokens_of"]

# Event types whose data names a live-chat conversation (its id in ``conversation_id`` or
# ``conversation.id``): in operators' streams they become ``livechat.erased`` tombstones.
LIVECHAT_EVENTS = ("livechat.incoming", "livechat.updated", "livechat.message", "livechat.note")


async def by_ids(s: AsyncSession, tenant_id: int, conversation_ids: list[int]) -> list[LiveConversation]:
    q = select(LiveConversation).where(LiveConversation.tenant_id == tenant_id,
                                       LiveConversation.id.in_(conversation_ids))
    return list((await s.execute(q)).scalars())


async def by_email(s: AsyncSession, tenant_id: int, email: str) -> list[LiveConversation]:
    """Every conversation of a visitor who gave this e-mail address (any browser, any site)."""
    q = (select(LiveConversation).join(Visitor, Visitor.user_id == LiveConversation.visitor_user_id)
         .where(LiveConversation.tenant_id == tenant_id, func.lower(Visitor.email) == email.strip().lower())
         .order_by(LiveConversation.id))
    return list((await s.execute(q)).scalars())


async def expired(s: AsyncSession, resolved_before: datetime, tenant_id: int, limit: int = 100) -> list[int]:
    """Resolved conversations of the organisation resolved before the time: to be forgotten."""
    q = (select(LiveConversation.id)
         .where(LiveConversation.tenant_id == tenant_id, LiveConversation.state == "resolved",
                LiveConversation.resolved_at < resolved_before)
         .order_by(LiveConversation.id).limit(limit))
    return list((await s.execute(q)).scalars())


async def ratings_of(s: AsyncSession, conversation_id: int) -> list[dict[str, Any]]:
    rows = await s.scalars(select(LiveRating).where(LiveRating.conversation_id == conversation_id)
                           .order_by(LiveRating.id))
    return [{"score": r.score, "comment": r.comment, "created_at": r.created_at.isoformat()} for r in rows]


async def tokens_of(s: AsyncSession, user_ids: list[int]) -> list[tuple[int, str]]:
    """(user, token digest) of the visitors' live tokens: their sockets are closed."""
    rows = await s.execute(select(Token.user_id, Token.token_hash).where(Token.user_id.in_(user_ids),
                                                                        Token.revoked.is_(False)))
    return [(u, h) for u, h in rows.all()]


def _conversation_of(data: Any) -> int | None:
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("conversation_id"), int):
        return int(data["conversation_id"])
    conv = data.get("conversation")
    if isinstance(conv, dict) and isinstance(conv.get("id"), int):
        return int(conv["id"])
    return None


async def scrub_streams(s: AsyncSession, tenant_id: int, conversation_ids: set[int]) -> int:
    """Every live-chat event about these conversations in the organisation's colleagues'
    streams becomes ``livechat.erased`` with the conversation's id only: the seq stays (a
    stream has no holes), its content goes. How many were scrubbed."""
    colleagues = select(User.id).where(User.tenant_id == tenant_id, User.role != "visitor")
    rows = await s.execute(select(UserEvent.id, UserEvent.data)
                           .where(UserEvent.user_id.in_(colleagues), UserEvent.type.in_(LIVECHAT_EVENTS)))
    by_conv: dict[int, list[int]] = {}
    for event_id, data in rows.all():
        conv = _conversation_of(data)
        if conv in conversation_ids:
            by_conv.setdefault(conv, []).append(event_id)
    for conv, ids in by_conv.items():
        await s.execute(update(UserEvent).where(UserEvent.id.in_(ids))
                        .values(type="livechat.erased", data={"conversation_id": conv}))
    return sum(len(ids) for ids in by_conv.values())


async def forget(s: AsyncSession, tenant_id: int, convs: list[LiveConversation]) -> None:
    """Delete the visitors (and so everything of theirs) and their webhook deliveries."""
    ids = [c.id for c in convs]
    hooks = select(Webhook.id).where(Webhook.tenant_id == tenant_id)
    await s.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id.in_(hooks),
                                                  WebhookDelivery.conversation_id.in_(ids)))
    await accounts.delete_users(s, tenant_id, [c.visitor_user_id for c in convs], role="visitor")
