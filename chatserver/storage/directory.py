"""People, organisations, folders, groups, records and their timelines (AC-4)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import bindparam, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import Folder, Group, GroupMember, Organisation, Person, Record, TimelineEntry
from chatserver.db.prepared import Prepared, Query
from chatserver.errors import NotFound

T = TypeVar("T", Organisation, Folder, Group, Person, Record)

KINDS: dict[str, type[Any]] = {
    "organisations": Organisation,
    "folders": Folder,
    "groups": Group,
    "people": Person,
    "records": Record,
}


async def get_owned(s: AsyncSession, model: type[T], tenant_id: int, obj_id: int) -> T:
    obj = await s.get(model, obj_id)
    if obj is None or obj.tenant_id != tenant_id:
        label = model.__tablename__.rstrip("s")
        raise NotFound(f"no {label} with id {obj_id}")
    return obj


async def add(s: AsyncSession, obj: T) -> T:
    s.add(obj)
    await s.flush()
    return obj


async def bulk_insert_people(s: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Insert many people in one statement per chunk (imports of thousands)."""
    for start in range(0, len(rows), 1000):
        await s.execute(insert(Person), rows[start : start + 1000])
    return len(rows)


async def list_of(
    s: AsyncSession, model: type[T], tenant_id: int, *, query: str = "", limit: int = 100, offset: int = 0
) -> tuple[list[T], int]:
    q = select(model).where(model.tenant_id == tenant_id)
    name_col = model.title if model is Record else model.name  # type: ignore[attr-defined]
    if query:
        pattern = f"%{query.lower()}%"
        if model is Person:
            q = q.where(or_(func.lower(Person.name).like(pattern), func.lower(Person.email).like(pattern)))
        else:
            q = q.where(func.lower(name_col).like(pattern))
    total = (await s.execute(select(func.count()).select_from(q.subquery()))).scalar_one()
    rows = (await s.execute(q.order_by(name_col, model.id).limit(limit).offset(offset))).scalars()
    return list(rows), int(total)


async def group_member_ids(s: AsyncSession, group_id: int) -> list[int]:
    q = select(GroupMember.person_id).where(GroupMember.group_id == group_id)
    return [pid for (pid,) in (await s.execute(q)).all()]


async def add_group_members(s: AsyncSession, group_id: int, person_ids: list[int]) -> None:
    existing = set(await group_member_ids(s, group_id))
    s.add_all(GroupMember(group_id=group_id, person_id=p) for p in person_ids if p not in existing)
    await s.flush()


async def count_people_in_tenant(s: AsyncSession, tenant_id: int, ids: list[int]) -> int:
    if not ids:
        return 0
    q = select(func.count(Person.id)).where(Person.tenant_id == tenant_id, Person.id.in_(ids))
    return int((await s.execute(q)).scalar_one())


async def add_timeline(
    s: AsyncSession,
    *,
    tenant_id: int,
    record_id: int,
    kind: str,
    summary: str,
    ref_id: int | None,
    actor_user_id: int | None,
    now: datetime,
) -> TimelineEntry:
    entry = TimelineEntry(
        tenant_id=tenant_id,
        record_id=record_id,
        kind=kind,
        summary=summary,
        ref_id=ref_id,
        actor_user_id=actor_user_id,
        created_at=now,
    )
    s.add(entry)
    await s.flush()
    return entry


_RECORD_BRIEFS = Prepared(select(Record.id, Record.tenant_id, Record.kind, Record.title).where(
    Record.id.in_(bindparam("ids", expanding=True))
))
_RECORD_BRIEFS_PG = "SELECT id, tenant_id, kind, title FROM records WHERE id = ANY($1::bigint[])"
_INSERT_TIMELINE = Prepared(insert(TimelineEntry), columns=["tenant_id", "record_id", "kind", "summary", "ref_id",
                                                            "actor_user_id", "created_at"])


def record_subjects_query(ids: list[int]) -> Query[dict[int, tuple[int, str]]]:
    """Records by id, whichever organisation's (the caller checks that it is the actor's):
    each one's organisation and the subject a message about it gets when it has none."""

    def read(rows: Sequence[Sequence[Any]]) -> dict[int, tuple[int, str]]:
        return {int(rid): (int(tenant_id), f"{kind.capitalize()}: {title}") for rid, tenant_id, kind, title in rows}

    return Query(_RECORD_BRIEFS if ids else None, {"ids": ids}, read, pg=(_RECORD_BRIEFS_PG, (ids,)))


def add_timeline_query(rows: list[dict[str, Any]], now: datetime) -> Query[None]:
    """Timeline entries (``tenant_id``, ``record_id``, ``kind``, ``summary``, ``ref_id``,
    ``actor_user_id``) made ``now``, in one executemany."""
    return Query(_INSERT_TIMELINE if rows else None, [{**r, "created_at": now} for r in rows], lambda _: None,
                 how="many")


async def timeline(s: AsyncSession, record_id: int, *, limit: int = 100) -> list[TimelineEntry]:
    q = (
        select(TimelineEntry)
        .where(TimelineEntry.record_id == record_id)
        .order_by(TimelineEntry.created_at.desc(), TimelineEntry.id.desc())
        .limit(limit)
    )
    return list((await s.execute(q)).scalars())


def to_dict(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in obj.__table__.columns:
        value = getattr(obj, col.key)
        out[col.key] = value.isoformat() if isinstance(value, datetime) else value
    return out
