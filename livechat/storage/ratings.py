"""Ratings' SQL: visitors' scores of resolved chats, the latest per conversation, averages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from livechat.models import LiveRating

__all__ = ["add", "average", "by_operator", "latest", "rating_dict"]


async def add(
    s: AsyncSession, tenant_id: int, conversation_id: int, operator_id: int | None, score: int, comment: str,
    now: datetime,
) -> LiveRating:
    row = LiveRating(tenant_id=tenant_id, conversation_id=conversation_id, operator_id=operator_id, score=score,
                     comment=comment, created_at=now)
    s.add(row)
    await s.flush()
    return row


async def latest(s: AsyncSession, conversation_ids: list[int]) -> dict[int, LiveRating]:
    """Each conversation's latest rating (only rated ones appear)."""
    if not conversation_ids:
        return {}
    last = (
        select(func.max(LiveRating.id))
        .where(LiveRating.conversation_id.in_(conversation_ids))
        .group_by(LiveRating.conversation_id)
    )
    rows = (await s.execute(select(LiveRating).where(LiveRating.id.in_(last)))).scalars()
    return {r.conversation_id: r for r in rows}


async def average(s: AsyncSession, tenant_id: int) -> tuple[float | None, int]:
    """(mean score, number of ratings) of the organisation's chats."""
    q = select(func.avg(LiveRating.score), func.count()).where(LiveRating.tenant_id == tenant_id)
    mean, count = (await s.execute(q)).one()
    return (float(mean) if mean is not None else None), int(count)


async def by_operator(s: AsyncSession, tenant_id: int) -> dict[int, tuple[float, int]]:
    """{operator id: (mean score, number of ratings)} of the chats each operator had."""
    q = (
        select(LiveRating.operator_id, func.avg(LiveRating.score), func.count())
        .where(LiveRating.tenant_id == tenant_id, LiveRating.operator_id.is_not(None))
        .group_by(LiveRating.operator_id)
    )
    return {op: (float(mean), int(n)) for op, mean, n in (await s.execute(q)).all()}


def rating_dict(r: LiveRating) -> dict[str, Any]:
    return {"score": r.score, "comment": r.comment, "created_at": r.created_at.isoformat()}
