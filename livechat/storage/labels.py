"""Labels' SQL: the organisation's labels and which conversations carry them.

A lookup by id takes the caller's tenant and answers NotFound for another tenant's rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.errors import NotFound
from livechat.models import ConversationLabel, Label

__all__ = [
    "add_to", "conversations_with", "create", "get", "label_ids_of", "labels_of", "remove", "remove_from", "same_name",
]


async def labels_of(s: AsyncSession, tenant_id: int) -> list[Label]:
    q = select(Label).where(Label.tenant_id == tenant_id).order_by(func.lower(Label.name), Label.id)
    return list((await s.execute(q)).scalars())


async def get(s: AsyncSession, label_id: int, tenant_id: int) -> Label:
    label = await s.get(Label, label_id)
    if label is None or label.tenant_id != tenant_id:
        raise NotFound(f"no label with id {label_id}", code="no_such_label")
    return label


async def same_name(s: AsyncSession, tenant_id: int, name: str, *, other_than: int | None = None) -> Label | None:
    q = select(Label).where(Label.tenant_id == tenant_id, func.lower(Label.name) == name.lower())
    if other_than is not None:
        q = q.where(Label.id != other_than)
    return (await s.execute(q.limit(1))).scalar_one_or_none()


async def create(s: AsyncSession, tenant_id: int, name: str, colour: str, now: datetime) -> Label:
    label = Label(tenant_id=tenant_id, name=name, colour=colour, created_at=now)
    s.add(label)
    await s.flush()
    return label


async def remove(s: AsyncSession, label: Label) -> None:
    """Delete a label; it leaves every conversation with it."""
    await s.execute(delete(ConversationLabel).where(ConversationLabel.label_id == label.id))
    await s.delete(label)
    await s.flush()


async def label_ids_of(s: AsyncSession, conversation_ids: list[int]) -> dict[int, list[int]]:
    """Each conversation's label ids (only those with a label appear)."""
    if not conversation_ids:
        return {}
    q = (
        select(ConversationLabel.conversation_id, ConversationLabel.label_id)
        .where(ConversationLabel.conversation_id.in_(conversation_ids))
        .order_by(ConversationLabel.label_id)
    )
    found: dict[int, list[int]] = {}
    for conv_id, label_id in (await s.execute(q)).all():
        found.setdefault(conv_id, []).append(label_id)
    return found


async def add_to(s: AsyncSession, conversation_id: int, label_id: int) -> bool:
    """Put the label on the conversation; False when it was there already."""
    if await s.get(ConversationLabel, (conversation_id, label_id)) is not None:
        return False
    s.add(ConversationLabel(conversation_id=conversation_id, label_id=label_id))
    await s.flush()
    return True


async def remove_from(s: AsyncSession, conversation_id: int, label_id: int) -> bool:
    row = await s.get(ConversationLabel, (conversation_id, label_id))
    if row is None:
        return False
    await s.delete(row)
    await s.flush()
    return True


def conversations_with(label_id: int) -> Select[int]:
    """The ids of the conversations that carry a label, to filter a list by."""
    return select(ConversationLabel.conversation_id).where(ConversationLabel.label_id == label_id)
