"""Private notes' SQL: an operator's notes in a conversation, apart from its messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from livechat.models import LiveNote

__all__ = ["add", "by_client_id", "note_dict", "notes_of"]


async def add(
    s: AsyncSession, conversation_id: int, author_id: int, author_name: str, body: str, client_msg_id: str,
    now: datetime,
) -> LiveNote:
    note = LiveNote(conversation_id=conversation_id, author_id=author_id, author_name=author_name, body=body,
                    client_msg_id=client_msg_id, created_at=now)
    s.add(note)
    await s.flush()
    return note


async def by_client_id(s: AsyncSession, author_id: int, client_msg_id: str) -> LiveNote | None:
    q = select(LiveNote).where(LiveNote.author_id == author_id, LiveNote.client_msg_id == client_msg_id)
    return (await s.execute(q)).scalar_one_or_none()


async def notes_of(s: AsyncSession, conversation_id: int, limit: int = 1000) -> list[LiveNote]:
    """The last ``limit`` notes, oldest first."""
    q = select(LiveNote).where(LiveNote.conversation_id == conversation_id).order_by(LiveNote.id.desc()).limit(limit)
    return list(reversed(list((await s.execute(q)).scalars())))


def note_dict(n: LiveNote) -> dict[str, Any]:
    return {
        "id": n.id,
        "conversation_id": n.conversation_id,
        "author_id": n.author_id,
        "author_name": n.author_name,
        "body": n.body,
        "created_at": n.created_at.isoformat(),
        "client_msg_id": n.client_msg_id,
    }
