"""Every opening of a live-chat conversation, for the reports: a row when a visitor's
first message creates it or a message reopens it, closed when it is resolved."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from livechat.models import LiveConversation, LiveOpening

__all__ = ["opened", "resolved"]


async def opened(s: AsyncSession, conv: LiveConversation, now: datetime) -> None:
    """Call in the transaction that creates or reopens ``conv``."""
    s.add(LiveOpening(tenant_id=conv.tenant_id, conversation_id=conv.id, opened_at=now))
    await s.flush()


async def resolved(s: AsyncSession, conv: LiveConversation, now: datetime) -> None:
    """Call in the transaction that resolves ``conv``: its open opening ends, in the hands
    of the operator who has it."""
    q = (
        select(LiveOpening)
        .where(LiveOpening.conversation_id == conv.id, LiveOpening.resolved_at.is_(None))
        .order_by(LiveOpening.opened_at.desc(), LiveOpening.id.desc())
        .limit(1)
    )
    row = (await s.execute(q)).scalar_one_or_none()
    if row is None:  # opened before openings were kept and not copied in: start it now
        row = LiveOpening(tenant_id=conv.tenant_id, conversation_id=conv.id, opened_at=conv.opened_at)
        s.add(row)
    row.resolved_at, row.operator_id = now, conv.operator_id
    await s.flush()
