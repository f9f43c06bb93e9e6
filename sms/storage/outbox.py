"""The outbox's SQL: the ``sms_recipients`` rows the dispatcher claims, updates and settles.

The rules (which move is allowed, when to retry, what to publish) live in
:mod:`sms.actions.outbox`; every write here is one conditional UPDATE so two processes
changing a row at once cannot overwrite each other (see there).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sms.models import SmsMessage, SmsRecipient

__all__ = [
    "authors",
    "by_reference",
    "claimable",
    "has_due",
    "load",
    "messages",
    "stale_submitting",
    "unknown_of",
    "unknown_since",
    "update_rows",
]


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        SmsRecipient.state == "pending",
        or_(SmsRecipient.next_attempt_at.is_(None), SmsRecipient.next_attempt_at <= now),
        SmsMessage.status == "sending",
    ]


async def has_due(s: AsyncSession, now: datetime) -> bool:
    q = (select(SmsRecipient.id).join(SmsMessage, SmsMessage.id == SmsRecipient.message_id)
         .where(*_due(now)).limit(1))
    return (await s.execute(q)).first() is not None


async def claimable(s: AsyncSession, now: datetime, limit: int) -> list[int]:
    """Up to ``limit`` due rows of messages being sent, highest priority first, locked."""
    q = (
        select(SmsRecipient.id)
        .join(SmsMessage, SmsMessage.id == SmsRecipient.message_id)
        .where(*_due(now))
        .order_by(SmsMessage.priority.desc(), SmsRecipient.id)
        .limit(limit)
        # Several dispatchers (PostgreSQL) each take different rows; SQLite ignores it.
        .with_for_update(skip_locked=True, of=SmsRecipient)
    )
    return [row_id for (row_id,) in (await s.execute(q)).all()]


async def update_rows(s: AsyncSession, where: list[Any], values: dict[str, Any], now: datetime) -> int:
    """One conditional UPDATE; how many rows it changed."""
    result = await s.execute(
        update(SmsRecipient).where(*where).values(**values, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def load(s: AsyncSession, row_ids: Iterable[int], *, where: Iterable[Any] = ()) -> list[SmsRecipient]:
    """The rows as they are now (not as this session last saw them), by id."""
    ids = sorted(row_ids)
    if not ids:
        return []
    return list((await s.execute(
        select(SmsRecipient).where(SmsRecipient.id.in_(ids), *where).order_by(SmsRecipient.id)
        .execution_options(populate_existing=True)
    )).scalars())


async def messages(s: AsyncSession, message_ids: Iterable[int]) -> dict[int, SmsMessage]:
    return {m.id: m for m in (await s.execute(
        select(SmsMessage).where(SmsMessage.id.in_(set(message_ids)))
    )).scalars()}


async def authors(s: AsyncSession, message_ids: Iterable[int]) -> dict[int, int]:
    return {int(mid): int(uid) for mid, uid in (await s.execute(
        select(SmsMessage.id, SmsMessage.user_id).where(SmsMessage.id.in_(set(message_ids)))
    )).all()}


async def stale_submitting(s: AsyncSession, before: datetime) -> list[tuple[int, str, str | None]]:
    """Rows left ``submitting`` since before ``before``: (id, reference, gateway)."""
    rows = (await s.execute(
        select(SmsRecipient.id, SmsRecipient.reference, SmsRecipient.gateway)
        .where(SmsRecipient.state == "submitting", SmsRecipient.updated_at < before)
        .order_by(SmsRecipient.id)
    )).all()
    return [(int(i), ref, gw) for i, ref, gw in rows]


async def unknown_of(s: AsyncSession, gateway: str, limit: int) -> list[tuple[str, str | None]]:
    """A gateway's ``unknown`` rows, the longest waiting first: (reference, provider id)."""
    rows = (await s.execute(
        select(SmsRecipient.reference, SmsRecipient.provider_id)
        .where(SmsRecipient.state == "unknown", SmsRecipient.gateway == gateway)
        .order_by(SmsRecipient.updated_at, SmsRecipient.id).limit(limit)
    )).all()
    return [(ref, pid) for ref, pid in rows]


async def unknown_since(s: AsyncSession, deadline: datetime, limit: int) -> list[int]:
    """Rows ``unknown`` since ``deadline`` or longer, of any gateway."""
    return [int(i) for i in (await s.execute(
        select(SmsRecipient.id)
        .where(SmsRecipient.state == "unknown", SmsRecipient.updated_at <= deadline)
        .order_by(SmsRecipient.id).limit(limit)
    )).scalars().all()]


async def by_reference(s: AsyncSession, reference: str | None, provider_id: str | None) -> int | None:
    """The included row a delivery report is about, by our reference or else the provider's id."""
    if reference:
        match = SmsRecipient.reference == reference
    elif provider_id:
        match = SmsRecipient.provider_id == provider_id
    else:
        return None
    found = (await s.execute(
        select(SmsRecipient.id).where(match, SmsRecipient.included.is_(True)).limit(1)
    )).scalar_one_or_none()
    return None if found is None else int(found)
