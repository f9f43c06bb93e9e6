"""Canned responses' SQL: the organisation's and each operator's own.

A lookup by id takes the caller's tenant and answers NotFound for another tenant's rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.errors import NotFound
from livechat.models import CannedResponse

__all__ = ["create", "delete", "get", "same_shortcut", "visible_to"]


async def visible_to(s: AsyncSession, tenant_id: int, user_id: int) -> list[CannedResponse]:
    """The organisation's and the user's own, by shortcut (the organisation's first on a tie)."""
    q = (
        select(CannedResponse)
        .where(
            CannedResponse.tenant_id == tenant_id,
            or_(CannedResponse.owner_id.is_(None), CannedResponse.owner_id == user_id),
        )
        .order_by(CannedResponse.shortcut, CannedResponse.owner_id.is_not(None), CannedResponse.id)
    )
    return list((await s.execute(q)).scalars())


async def get(s: AsyncSession, canned_id: int, tenant_id: int) -> CannedResponse:
    row = await s.get(CannedResponse, canned_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound(f"no canned response with id {canned_id}", code="no_such_canned")
    return row


async def same_shortcut(
    s: AsyncSession, tenant_id: int, owner_id: int | None, shortcut: str, *, other_than: int | None = None
) -> CannedResponse | None:
    """A response of the same list (the organisation's, or this owner's) with this shortcut."""
    owner = CannedResponse.owner_id.is_(None) if owner_id is None else CannedResponse.owner_id == owner_id
    q = select(CannedResponse).where(CannedResponse.tenant_id == tenant_id, owner, CannedResponse.shortcut == shortcut)
    if other_than is not None:
        q = q.where(CannedResponse.id != other_than)
    return (await s.execute(q.limit(1))).scalar_one_or_none()


async def create(
    s: AsyncSession, tenant_id: int, owner_id: int | None, shortcut: str, text: str, now: datetime
) -> CannedResponse:
    row = CannedResponse(tenant_id=tenant_id, owner_id=owner_id, shortcut=shortcut, text=text, created_at=now,
                         updated_at=now)
    s.add(row)
    await s.flush()
    return row


async def delete(s: AsyncSession, row: CannedResponse) -> None:
    await s.delete(row)
    await s.flush()
