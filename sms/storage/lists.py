"""SMS groups, subscriptions, dynamic groups, and the directory queries that expand selections."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import ANONYMOUS_ROLES, Folder, Group, GroupMember, Organisation, Person, User
from chatserver.errors import NotFound
from sms.models import (
    SmsDynamicGroup,
    SmsGroup,
    SmsGroupMember,
    SmsSavedFilter,
    SmsSubscription,
    SmsSubscriptionMember,
)

__all__ = [
    "LABELS",
    "dynamic_people",
    "get_owned",
    "group_members",
    "member_counts",
    "people_by_ids",
    "people_in",
    "subscription_members",
]

Owned = TypeVar(
    "Owned", SmsGroup, SmsSubscription, SmsDynamicGroup, SmsSavedFilter, Person, User, Organisation, Folder, Group
)

#: How an error names each kind of thing a selection can point at.
LABELS: dict[type[Any], str] = {
    SmsGroup: "SMS group",
    SmsSubscription: "SMS subscription",
    SmsDynamicGroup: "dynamic group",
    SmsSavedFilter: "saved filter",
    Person: "person",
    User: "colleague",
    Organisation: "organisation",
    Folder: "folder",
    Group: "group",
}


async def get_owned(s: AsyncSession, model: type[Owned], tenant_id: int, obj_id: int, *, code: str = "not_found") -> Owned:
    obj = await s.get(model, obj_id)
    # Visitors are users too (live chat) but never SMS recipients or colleagues.
    if obj is None or obj.tenant_id != tenant_id or (model is User and obj.role in ANONYMOUS_ROLES):  # type: ignore[attr-defined]
        raise NotFound(f"no {LABELS[model]} with id {obj_id}", code=code)
    return obj


async def group_members(s: AsyncSession, group_id: int) -> list[SmsGroupMember]:
    q = select(SmsGroupMember).where(SmsGroupMember.group_id == group_id).order_by(SmsGroupMember.id)
    return list((await s.execute(q)).scalars())


async def member_counts(s: AsyncSession, model: type[Any], ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    col = model.group_id if model is SmsGroupMember else model.subscription_id
    q = select(col, func.count()).where(col.in_(ids)).group_by(col)
    if model is SmsSubscriptionMember:
        q = q.where(SmsSubscriptionMember.opted_out_at.is_(None))
    return {int(k): int(n) for k, n in (await s.execute(q)).all()}


async def subscription_members(s: AsyncSession, subscription_id: int) -> list[tuple[SmsSubscriptionMember, str]]:
    q = (
        select(SmsSubscriptionMember, Person.name)
        .join(Person, Person.id == SmsSubscriptionMember.person_id)
        .where(SmsSubscriptionMember.subscription_id == subscription_id)
        .order_by(Person.name, Person.id)
    )
    return [(m, name) for m, name in (await s.execute(q)).all()]


async def people_by_ids(s: AsyncSession, tenant_id: int, ids: list[int]) -> list[Person]:
    if not ids:
        return []
    q = select(Person).where(Person.tenant_id == tenant_id, Person.id.in_(ids))
    return list((await s.execute(q)).scalars())


async def people_in(s: AsyncSession, tenant_id: int, kind: str, obj_id: int) -> list[Person]:
    """The persons of an organisation, folder or directory group, by name."""
    q = select(Person).where(Person.tenant_id == tenant_id)
    if kind == "organisation":
        q = q.where(Person.organisation_id == obj_id)
    elif kind == "folder":
        q = q.where(Person.folder_id == obj_id)
    else:
        q = q.join(GroupMember, GroupMember.person_id == Person.id).where(GroupMember.group_id == obj_id)
    return list((await s.execute(q.order_by(Person.name, Person.id))).scalars())


# Text fields a rule may test, and id fields (equality only).
TEXT_FIELDS = {"name": Person.name, "function": Person.function, "email": Person.email,
               "kind": Person.kind, "mobile": Person.mobile}
ID_FIELDS = {"organisation_id": Person.organisation_id, "folder_id": Person.folder_id}


async def dynamic_people(s: AsyncSession, tenant_id: int, rules: list[dict[str, Any]]) -> list[Person]:
    """The persons for whom every rule holds, now (rules were validated when saved)."""
    q = select(Person).where(Person.tenant_id == tenant_id)
    for rule in rules:
        field, op, value = rule["field"], rule["op"], rule["value"]
        if field in TEXT_FIELDS:
            col = func.lower(TEXT_FIELDS[field])
            text = str(value).lower()
            q = q.where(col == text) if op == "equals" else q.where(col.like(f"%{text}%"))
        elif field in ID_FIELDS:
            q = q.where(ID_FIELDS[field] == value)
        elif field == "group_id":
            members = select(GroupMember.person_id).where(GroupMember.group_id == value)
            q = q.where(Person.id.in_(members))
    return list((await s.execute(q.order_by(Person.name, Person.id))).scalars())
