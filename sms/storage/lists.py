"""SMS groups, subscriptions, dynamic groups, and the directory queries that expand selections."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import ANONYMOUS_ROLES, Folder, Group, GroupMember, Organisation, Person, User
from chatserver.errors import NotFound
from sms.models import (
    SmsDynamicGroup,
    SmsGroup,
    SmsGroupMember,
    SmsMessage,
    SmsSavedFilter,
    SmsSubscription,
    SmsSubscriptionMember,
)

__all__ = [
    "LABELS",
    "colleague_ids",
    "colleagues_by_ids",
    "colleagues_named",
    "dynamic_groups_of",
    "dynamic_people",
    "get_owned",
    "group_members",
    "groups_of",
    "member_counts",
    "named_like",
    "names",
    "opt_states",
    "people_by_ids",
    "people_in",
    "people_named",
    "saved_filters",
    "subscribed_rows",
    "subscription_members",
    "subscriptions_of",
    "waiting_for_subscription",
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


# --- What the SMS screens list ------------------------------------------------------------


async def names(s: AsyncSession, user_ids: list[int], person_ids: list[int]) -> dict[tuple[str, int], str]:
    """The names of colleagues and people, by ("user" | "person", id)."""
    out: dict[tuple[str, int], str] = {}
    if user_ids:
        for uid, n in (await s.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))).all():
            out[("user", uid)] = n
    if person_ids:
        for pid, n in (await s.execute(select(Person.id, Person.name).where(Person.id.in_(person_ids)))).all():
            out[("person", pid)] = n
    return out


async def colleagues_by_ids(s: AsyncSession, tenant_id: int, ids: list[int]) -> list[User]:
    return list((await s.execute(select(User).where(User.tenant_id == tenant_id, User.id.in_(ids)))).scalars())


async def colleague_ids(s: AsyncSession, tenant_id: int) -> list[int]:
    return list((await s.execute(select(User.id).where(User.tenant_id == tenant_id))).scalars())


async def groups_of(s: AsyncSession, tenant_id: int, text: str = "") -> list[SmsGroup]:
    q = select(SmsGroup).where(SmsGroup.tenant_id == tenant_id)
    if text:
        q = q.where(func.lower(SmsGroup.name).like(f"%{text.lower()}%"))
    return list((await s.execute(q.order_by(SmsGroup.name, SmsGroup.id))).scalars())


async def subscriptions_of(s: AsyncSession, tenant_id: int) -> list[SmsSubscription]:
    q = select(SmsSubscription).where(SmsSubscription.tenant_id == tenant_id)
    return list((await s.execute(q.order_by(SmsSubscription.name, SmsSubscription.id))).scalars())


async def dynamic_groups_of(s: AsyncSession, tenant_id: int) -> list[SmsDynamicGroup]:
    q = select(SmsDynamicGroup).where(SmsDynamicGroup.tenant_id == tenant_id)
    return list((await s.execute(q.order_by(SmsDynamicGroup.name))).scalars())


async def subscribed_rows(s: AsyncSession, subscription_id: int, person_ids: list[int]
                          ) -> dict[int, SmsSubscriptionMember]:
    """The subscription's rows (joined or opted out) of these people, by person id."""
    q = select(SmsSubscriptionMember).where(SmsSubscriptionMember.subscription_id == subscription_id,
                                            SmsSubscriptionMember.person_id.in_(person_ids))
    return {m.person_id: m for m in (await s.execute(q)).scalars()}


async def opt_states(s: AsyncSession, subscription_id: int) -> dict[int, datetime | None]:
    """Every person of a subscription with when they opted out (None: subscribed)."""
    q = select(SmsSubscriptionMember.person_id, SmsSubscriptionMember.opted_out_at).where(
        SmsSubscriptionMember.subscription_id == subscription_id)
    return {int(pid): out for pid, out in (await s.execute(q)).all()}


async def waiting_for_subscription(s: AsyncSession, subscription_id: int) -> int:
    """Messages not yet released that go to a subscription's subscribers."""
    q = select(func.count()).select_from(SmsMessage).where(
        SmsMessage.subscription_id == subscription_id, SmsMessage.status.in_(("awaiting_approval", "scheduled")))
    return int((await s.execute(q)).scalar_one())


async def saved_filters(s: AsyncSession, user_id: int) -> list[SmsSavedFilter]:
    q = select(SmsSavedFilter).where(SmsSavedFilter.user_id == user_id).order_by(SmsSavedFilter.name)
    return list((await s.execute(q)).scalars())


# --- The recipient picker -----------------------------------------------------------------


async def people_named(s: AsyncSession, tenant_id: int, pattern: str, limit: int) -> list[Person]:
    """People whose name or mobile matches a LIKE ``pattern`` (lower case)."""
    q = select(Person).where(Person.tenant_id == tenant_id, or_(
        func.lower(Person.name).like(pattern), Person.mobile.like(pattern)))
    return list((await s.execute(q.order_by(Person.name).limit(limit))).scalars())


async def colleagues_named(s: AsyncSession, tenant_id: int, pattern: str, limit: int) -> list[User]:
    q = select(User).where(User.tenant_id == tenant_id, User.role.not_in(ANONYMOUS_ROLES),
                           func.lower(User.display_name).like(pattern))
    return list((await s.execute(q.order_by(User.display_name).limit(limit))).scalars())


async def named_like(s: AsyncSession, model: type[Owned], tenant_id: int, pattern: str, limit: int) -> list[Owned]:
    """Groups of any kind (SMS, dynamic, the directory's), organisations, folders by name."""
    q = select(model).where(model.tenant_id == tenant_id, func.lower(model.name).like(pattern))  # type: ignore[attr-defined]
    return list((await s.execute(q.order_by(model.name).limit(limit))).scalars())  # type: ignore[attr-defined]
