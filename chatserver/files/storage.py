"""The SQL of sent files."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.errors import NotFound
from chatserver.files.models import SentFile

__all__ = ["add", "file_dict", "get", "of_livechat", "remove"]


async def add(s: AsyncSession, row: SentFile) -> SentFile:
    s.add(row)
    await s.flush()
    return row


async def get(s: AsyncSession, file_id: int) -> SentFile:
    row = await s.get(SentFile, file_id)
    if row is None:
        raise NotFound(f"no file with id {file_id}", code="file_not_found")
    return row


async def of_livechat(s: AsyncSession, tenant_id: int, conversation_ids: list[int]) -> list[SentFile]:
    """The files of these live-chat conversations of the organisation, oldest first."""
    if not conversation_ids:
        return []
    q = (select(SentFile).where(SentFile.tenant_id == tenant_id,
                                SentFile.livechat_conversation_id.in_(conversation_ids)).order_by(SentFile.id))
    return list((await s.execute(q)).scalars())


async def remove(s: AsyncSession, file_id: int) -> None:
    await s.execute(delete(SentFile).where(SentFile.id == file_id))


def file_dict(row: SentFile) -> dict[str, Any]:
    """What a message says of its file (``meta["file"]``) and what a viewer is told of it;
    where it is kept is never part of it."""
    return {"id": row.id, "name": row.name, "type": row.type, "size": row.size, "sha256": row.sha256,
            "image": row.image, "width": row.width, "height": row.height}
