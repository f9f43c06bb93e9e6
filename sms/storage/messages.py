"""SMS messages and their outbox rows: the queries (rules live in sms/actions/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import Record, SettingValue, TimelineEntry, User
from chatserver.errors import NotFound
from sms.models import SmsMessage, SmsMessageRecord, SmsRecipient

__all__ = [
    "add_records",
    "admin_ids",
    "counts_by_state",
    "due_ids",
    "find_recipient",
    "get_message",
    "insert_recipients",
    "list_messages",
    "list_recipients",
    "mark_released",
    "record_ids",
    "records_of",
    "remove_record",
    "remove_timeline",
    "user_names",
]


async def get_message(s: AsyncSession, tenant_id: int, message_id: int, *, for_update: bool = False) -> SmsMessage:
    q = select(SmsMessage).where(SmsMessage.id == message_id)
    if for_update:
        q = q.with_for_update().execution_options(populate_existing=True)
    msg = (await s.execute(q)).scalar_one_or_none()
    if msg is None or msg.tenant_id != tenant_id:
        raise NotFound(f"no SMS message with id {message_id}")
    return msg


async def admin_ids(s: AsyncSession, tenant_id: int) -> list[int]:
    """The tenant's SMS-admins: users whose own ``sms.admin`` value is true (the default is false)."""
    q = select(SettingValue.user_id, SettingValue.value).where(
        SettingValue.tenant_id == tenant_id, SettingValue.name == "sms.admin", SettingValue.user_id.is_not(None)
    )
    return sorted(int(uid) for uid, value in (await s.execute(q)).all() if value is True)


async def user_names(s: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    q = select(User.id, User.display_name).where(User.id.in_(ids))
    return {int(uid): name for uid, name in (await s.execute(q)).all()}


async def counts_by_state(s: AsyncSession, message_ids: list[int]) -> dict[int, dict[str, int]]:
    if not message_ids:
        return {}
    q = (
        select(SmsRecipient.message_id, SmsRecipient.state, func.count())
        .where(SmsRecipient.message_id.in_(message_ids))
        .group_by(SmsRecipient.message_id, SmsRecipient.state)
    )
    out: dict[int, dict[str, int]] = {}
    for mid, state, n in (await s.execute(q)).all():
        out.setdefault(int(mid), {})[state] = int(n)
    return out


async def record_ids(s: AsyncSession, message_ids: list[int]) -> dict[int, list[int]]:
    if not message_ids:
        return {}
    q = select(SmsMessageRecord.message_id, SmsMessageRecord.record_id).where(
        SmsMessageRecord.message_id.in_(message_ids)
    )
    out: dict[int, list[int]] = {}
    for mid, rid in (await s.execute(q.order_by(SmsMessageRecord.record_id))).all():
        out.setdefault(int(mid), []).append(int(rid))
    return out


async def records_of(s: AsyncSession, message_id: int) -> list[Record]:
    q = (
        select(Record)
        .join(SmsMessageRecord, SmsMessageRecord.record_id == Record.id)
        .where(SmsMessageRecord.message_id == message_id)
        .order_by(Record.id)
    )
    return list((await s.execute(q)).scalars())


async def add_records(s: AsyncSession, message_id: int, ids: list[int], now: datetime) -> list[int]:
    """Relate records not yet related; returns the ids newly related."""
    have = set((await record_ids(s, [message_id])).get(message_id, []))
    new = [rid for rid in ids if rid not in have]
    s.add_all(SmsMessageRecord(message_id=message_id, record_id=rid, created_at=now) for rid in new)
    await s.flush()
    return new


async def remove_record(s: AsyncSession, message_id: int, record_id: int) -> bool:
    res = await s.execute(
        delete(SmsMessageRecord).where(SmsMessageRecord.message_id == message_id, SmsMessageRecord.record_id == record_id)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


async def remove_timeline(s: AsyncSession, message_id: int, record_id: int | None = None) -> None:
    q = delete(TimelineEntry).where(TimelineEntry.kind == "sms", TimelineEntry.ref_id == message_id)
    if record_id is not None:
        q = q.where(TimelineEntry.record_id == record_id)
    await s.execute(q)


async def list_messages(
    s: AsyncSession,
    tenant_id: int,
    *,
    user_id: int | None,
    text: str = "",
    statuses: list[str] | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
    queue_order: bool = False,
) -> tuple[list[SmsMessage], int]:
    q = select(SmsMessage).where(SmsMessage.tenant_id == tenant_id)
    if user_id is not None:
        q = q.where(SmsMessage.user_id == user_id)
    if text:
        pattern = f"%{text.lower()}%"
        q = q.where(or_(func.lower(SmsMessage.subject).like(pattern), func.lower(SmsMessage.body).like(pattern)))
    if statuses:
        q = q.where(SmsMessage.status.in_(statuses))
    if created_from is not None:
        q = q.where(SmsMessage.created_at >= created_from)
    if created_to is not None:
        q = q.where(SmsMessage.created_at < created_to)
    total = int((await s.execute(select(func.count()).select_from(q.subquery()))).scalar_one())
    if queue_order:
        # "As soon as possible" first, then by the time they are due.
        order: list[Any] = [SmsMessage.send_at.is_not(None), SmsMessage.send_at, SmsMessage.priority.desc(), SmsMessage.id]
    else:
        order = [SmsMessage.created_at.desc(), SmsMessage.id.desc()]
    rows = (await s.execute(q.order_by(*order).limit(limit).offset(offset))).scalars()
    return list(rows), total


async def list_recipients(
    s: AsyncSession,
    message_id: int,
    *,
    state: str | None = None,
    included: bool | None = None,
    text: str = "",
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[SmsRecipient], int]:
    q = select(SmsRecipient).where(SmsRecipient.message_id == message_id)
    if state:
        q = q.where(SmsRecipient.state == state)
    if included is not None:
        q = q.where(SmsRecipient.included.is_(included))
    if text:
        pattern = f"%{text.lower()}%"
        q = q.where(or_(func.lower(SmsRecipient.name).like(pattern), SmsRecipient.number.like(pattern)))
    total = int((await s.execute(select(func.count()).select_from(q.subquery()))).scalar_one())
    rows = (await s.execute(q.order_by(SmsRecipient.id).limit(limit).offset(offset))).scalars()
    return list(rows), total


async def find_recipient(
    s: AsyncSession,
    message_id: int,
    *,
    person_id: int | None = None,
    user_id: int | None = None,
    number: str | None = None,
    raw_number: str | None = None,
    text: str = "",
) -> SmsRecipient | None:
    """The first row of a message for a person, colleague, number or name (the "why not" question)."""
    q = select(SmsRecipient).where(SmsRecipient.message_id == message_id)
    if person_id is not None:
        q = q.where(SmsRecipient.person_id == person_id)
    elif user_id is not None:
        q = q.where(SmsRecipient.user_id == user_id)
    elif number is not None or raw_number is not None:
        q = q.where(or_(SmsRecipient.number == number, SmsRecipient.raw_number == raw_number))
    else:
        q = q.where(func.lower(SmsRecipient.name).like(f"%{text.lower()}%"))
    # An included row answers first: "did X receive it" is yes if any row of X got it.
    return (await s.execute(q.order_by(SmsRecipient.included.desc(), SmsRecipient.id).limit(1))).scalars().first()


async def due_ids(s: AsyncSession, now: datetime) -> list[int]:
    """Messages whose time has come: scheduled, due, and approved when they needed approval."""
    q = (
        select(SmsMessage.id)
        .where(
            SmsMessage.status == "scheduled",
            or_(SmsMessage.send_at.is_(None), SmsMessage.send_at <= now),
            or_(SmsMessage.needs_approval.is_(False), SmsMessage.approved_at.is_not(None)),
        )
        .order_by(SmsMessage.priority.desc(), SmsMessage.send_at, SmsMessage.id)
    )
    return [int(mid) for (mid,) in (await s.execute(q)).all()]


async def mark_released(s: AsyncSession, message_id: int, now: datetime) -> bool:
    """Move a due message to 'sending'; False when another process released it first.

    The conditional UPDATE is the guard: on PostgreSQL a concurrent release waits on
    the row lock and then finds the status changed; SQLite has one writer at a time.
    """
    res = await s.execute(
        update(SmsMessage)
        .where(
            SmsMessage.id == message_id,
            SmsMessage.status == "scheduled",
            or_(SmsMessage.send_at.is_(None), SmsMessage.send_at <= now),
            or_(SmsMessage.needs_approval.is_(False), SmsMessage.approved_at.is_not(None)),
        )
        .values(status="sending")  # updated_at is set by the release, which compares it first
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


async def insert_recipients(s: AsyncSession, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 1000):
        await s.execute(insert(SmsRecipient), rows[start : start + 1000])


async def messages_by_ids(s: AsyncSession, tenant_id: int, ids: list[int]) -> dict[int, SmsMessage]:
    """The tenant's messages among ``ids`` (a record's timeline), by id."""
    if not ids:
        return {}
    found = await s.execute(select(SmsMessage).where(SmsMessage.id.in_(ids), SmsMessage.tenant_id == tenant_id))
    return {m.id: m for m in found.scalars()}
