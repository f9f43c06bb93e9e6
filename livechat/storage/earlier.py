"""A returning visitor's earlier conversations: those of visitors of the same organisation
who gave the same e-mail address (a visitor token has one conversation, reopened when they
write again, so another conversation means another browser or a cleared one)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from livechat.models import LiveConversation, Visitor


async def by_email(
    s: AsyncSession, tenant_id: int, email: str, exclude_id: int, limit: int = 20
) -> list[LiveConversation]:
    """Newest first; the organisation is checked on both tables, so no other one's appear."""
    q = (
        select(LiveConversation)
        .join(Visitor, Visitor.user_id == LiveConversation.visitor_user_id)
        .where(
            LiveConversation.tenant_id == tenant_id,
            Visitor.tenant_id == tenant_id,
            func.lower(Visitor.email) == email.strip().lower(),
            LiveConversation.id != exclude_id,
        )
        .order_by(LiveConversation.created_at.desc(), LiveConversation.id.desc())
        .limit(limit)
    )
    return list((await s.execute(q)).scalars())

