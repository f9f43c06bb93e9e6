"""The directory screen's queries: colleagues, candidates, contact persons and records of one
organisation by a piece of their name (or function, e-mail), and what a record's page shows."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import ANONYMOUS_ROLES, Conversation, Message, Organisation, Person, Record, User

__all__ = ["chat_messages", "colleagues", "people", "person_records", "records_without_person", "users_named"]


def _like(query: str) -> str:
    # LIKE's own wildcards typed by the user are searched for as themselves.
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def colleagues(s: AsyncSession, tenant_id: int, query: str, limit: int) -> list[User]:
    q = select(User).where(User.tenant_id == tenant_id, User.role.not_in(ANONYMOUS_ROLES))
    if query:
        pattern = _like(query)
        q = q.where(or_(func.lower(User.display_name).like(pattern, escape="\\"),
                        func.lower(User.function).like(pattern, escape="\\")))
    return list((await s.execute(q.order_by(User.display_name, User.id).limit(limit))).scalars())


async def people(s: AsyncSession, tenant_id: int, kind: str, query: str, limit: int
                 ) -> list[tuple[Person, str | None]]:
    """Candidates or contact persons, with their organisation's name."""
    q = (select(Person, Organisation.name).outerjoin(Organisation, Organisation.id == Person.organisation_id)
         .where(Person.tenant_id == tenant_id, Person.kind == kind))
    if query:
        pattern = _like(query)
        q = q.where(or_(func.lower(Person.name).like(pattern, escape="\\"),
                        func.lower(Person.function).like(pattern, escape="\\"),
                        func.lower(Person.email).like(pattern, escape="\\")))
    rows = await s.execute(q.order_by(Person.name, Person.id).limit(limit))
    return [(person, org) for person, org in rows.all()]


async def person_records(s: AsyncSession, person_ids: list[int]) -> dict[int, int]:
    """Each person's record (the first made, when there are several)."""
    if not person_ids:
        return {}
    q = (select(Record.person_id, func.min(Record.id)).where(Record.person_id.in_(person_ids))
         .group_by(Record.person_id))
    return {pid: rid for pid, rid in (await s.execute(q)).all() if pid is not None}


async def records_without_person(s: AsyncSession, tenant_id: int, query: str, limit: int) -> list[Record]:
    """Records that are not a person's (vacancies, ...): a person's is reached by the person."""
    q = select(Record).where(Record.tenant_id == tenant_id, Record.person_id.is_(None))
    if query:
        q = q.where(func.lower(Record.title).like(_like(query), escape="\\"))
    return list((await s.execute(q.order_by(Record.title, Record.id).limit(limit))).scalars())


async def users_named(s: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await s.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {uid: name for uid, name in rows.all()}


async def chat_messages(s: AsyncSession, ids: list[int]) -> dict[int, tuple[Message, Conversation]]:
    if not ids:
        return {}
    rows = await s.execute(select(Message, Conversation).join(Conversation, Conversation.id == Message.conversation_id)
                           .where(Message.id.in_(ids)))
    return {m.id: (m, c) for m, c in rows.all()}

