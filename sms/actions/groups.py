"""SMS groups (SM-11), subscriptions (opt-in lists) and dynamic groups (SM-14), shared by a tenant's SMS users."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services
from chatserver.db.models import Folder, Group, Organisation, Person, User
from chatserver.errors import BadRequest, Conflict, NotFound
from chatserver.storage import settings as settings_store
from sms.actions import access, inputs
from sms.actions.view import iso
from sms.models import (
    SmsDynamicGroup,
    SmsGroup,
    SmsGroupMember,
    SmsSubscription,
    SmsSubscriptionMember,
)
from sms.storage import lists as lists_store

__all__ = [
    "add_members",
    "create_dynamic",
    "create_group",
    "create_subscription",
    "delete_owned",
    "dynamic_members",
    "get_dynamic",
    "get_group",
    "get_subscription",
    "list_dynamic",
    "list_groups",
    "list_subscriptions",
    "remove_member",
    "set_subscribed",
    "update_dynamic",
    "update_named",
]

_NAMED: dict[str, type[SmsGroup | SmsSubscription | SmsDynamicGroup]] = {
    "groups": SmsGroup, "subscriptions": SmsSubscription, "dynamic-groups": SmsDynamicGroup,
}


def _name(data: dict[str, Any]) -> str:
    name = inputs.optional_text(data, "name", 200)
    if not name:
        raise BadRequest("name is required", code="missing_field", field="name")
    return name


# --- SMS groups --------------------------------------------------------------------------


def _member(m: SmsGroupMember, names: dict[tuple[str, int], str], numbers: dict[tuple[str, int], str]) -> dict[str, Any]:
    ref = ("user", m.user_id) if m.kind == "user" else ("person", m.person_id)
    name = m.name if m.kind == "custom" else names.get(ref, "")  # type: ignore[arg-type]
    number = m.number if m.kind == "custom" else numbers.get(ref)  # type: ignore[arg-type]
    return {"id": m.id, "kind": m.kind, "name": name, "number": number or None, "user_id": m.user_id,
            "person_id": m.person_id}


async def _numbers(s: AsyncSession, tenant_id: int, members: list[SmsGroupMember]) -> dict[tuple[str, int], str]:
    """The number a send would use for each colleague and person (as sms.actions.resolve reads
    it: a colleague's own mobile setting, a person's mobile or else phone), so the group shows
    who has none before a message finds out."""
    out: dict[tuple[str, int], str] = {}
    user_ids = [m.user_id for m in members if m.user_id]
    if user_ids:
        for uid, value in (await settings_store.effective_many(s, tenant_id, user_ids, "user.mobile")).items():
            if value:
                out[("user", uid)] = str(value)
    person_ids = [m.person_id for m in members if m.person_id]
    if person_ids:
        for p in await lists_store.people_by_ids(s, tenant_id, person_ids):
            if p.mobile or p.phone:
                out[("person", p.id)] = p.mobile or p.phone or ""
    return out


async def _group_out(s: AsyncSession, group: SmsGroup) -> dict[str, Any]:
    members = await lists_store.group_members(s, group.id)
    names = await lists_store.names(s, [m.user_id for m in members if m.user_id],
                                  [m.person_id for m in members if m.person_id])
    numbers = await _numbers(s, group.tenant_id, members)
    return {"id": group.id, "name": group.name, "member_count": len(members), "created_at": iso(group.created_at),
            "members": [_member(m, names, numbers) for m in members]}


async def list_groups(svc: Services, user: User, text: str = "") -> dict[str, Any]:
    async with svc.read() as s:
        actor = await access.load(s, user)
        groups = await lists_store.groups_of(s, actor.tenant_id, text)
        counts = await lists_store.member_counts(s, SmsGroupMember, [g.id for g in groups])
    return {"items": [{"id": g.id, "name": g.name, "member_count": counts.get(g.id, 0),
                       "created_at": iso(g.created_at)} for g in groups]}


async def create_group(svc: Services, user: User, data: dict[str, Any]) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        group = SmsGroup(tenant_id=actor.tenant_id, name=_name(data), created_by=user.id, created_at=tx.now,
                         updated_at=tx.now)
        tx.session.add(group)
        await tx.session.flush()
        return await _group_out(tx.session, group)


async def get_group(svc: Services, user: User, group_id: int) -> dict[str, Any]:
    async with svc.read() as s:
        actor = await access.load(s, user)
        return await _group_out(s, await lists_store.get_owned(s, SmsGroup, actor.tenant_id, group_id))


async def add_members(svc: Services, user: User, group_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Add custom numbers, colleagues or persons; all or nothing, and nobody twice."""
    raw = data.get("members")
    if not isinstance(raw, list) or not raw:
        raise BadRequest("members must be a non-empty list", code="wrong_type", field="members")
    async with svc.transaction() as tx:
        s = tx.session
        actor = await access.load(s, user)
        group = await lists_store.get_owned(s, SmsGroup, actor.tenant_id, group_id)
        have = {(m.kind, m.user_id or m.person_id or m.number) for m in await lists_store.group_members(s, group.id)}
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                raise BadRequest(f"member {i + 1} must be an object", code="invalid_selection", index=i)
            if item.get("user_id") is not None:
                u = await lists_store.get_owned(s, User, actor.tenant_id, _id(item, "user_id", i), code="unknown_selection")
                row = SmsGroupMember(group_id=group.id, kind="user", user_id=u.id, created_at=tx.now)
                key: tuple[str, Any] = ("user", u.id)
            elif item.get("person_id") is not None:
                p = await lists_store.get_owned(s, Person, actor.tenant_id, _id(item, "person_id", i),
                                              code="unknown_selection")
                row = SmsGroupMember(group_id=group.id, kind="person", person_id=p.id, created_at=tx.now)
                key = ("person", p.id)
            else:
                number = inputs.clean_number(item.get("number"), actor.settings, index=i)
                name = inputs.optional_text(item, "name", 200) or number
                row = SmsGroupMember(group_id=group.id, kind="custom", name=name, number=number, created_at=tx.now)
                key = ("custom", number)
            if key not in have:
                have.add(key)
                s.add(row)
        group.updated_at = tx.now
        await s.flush()
        return await _group_out(s, group)


def _id(item: dict[str, Any], name: str, index: int) -> int:
    value = item.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"member {index + 1}: {name} must be a whole number", code="invalid_selection", index=index)
    return value


async def remove_member(svc: Services, user: User, group_id: int, member_id: int) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        group = await lists_store.get_owned(tx.session, SmsGroup, actor.tenant_id, group_id)
        member = await tx.session.get(SmsGroupMember, member_id)
        if member is None or member.group_id != group.id:
            raise NotFound(f"no member with id {member_id} in this group")
        await tx.session.delete(member)
        group.updated_at = tx.now
        await tx.session.flush()
        return await _group_out(tx.session, group)


async def update_named(svc: Services, user: User, kind: str, obj_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Rename an SMS group or a subscription."""
    model: Any = _NAMED[kind]  # one of the kinds get_owned knows
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        obj = await lists_store.get_owned(tx.session, model, actor.tenant_id, obj_id)
        obj.name = _name(data)
        await tx.session.flush()
        if isinstance(obj, SmsGroup):
            obj.updated_at = tx.now
            return await _group_out(tx.session, obj)
        return await _subscription_out(tx.session, obj)


async def delete_owned(svc: Services, user: User, kind: str, obj_id: int) -> dict[str, Any]:
    """Delete an SMS group, subscription or dynamic group (the screen asks to confirm first)."""
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        model: Any = _NAMED[kind]
        obj = await lists_store.get_owned(tx.session, model, actor.tenant_id, obj_id)
        if isinstance(obj, SmsSubscription):
            # Deleting it would set the waiting messages' subscription to none, and they
            # would then go to everyone selected instead of only those who opted in.
            waiting = await lists_store.waiting_for_subscription(tx.session, obj.id)
            if waiting:
                raise Conflict(f"{waiting} waiting message(s) are for subscribers of '{obj.name}'; cancel or "
                               "change them before deleting it.", code="in_use", messages=waiting)
        await tx.session.delete(obj)
    return {"deleted": obj_id}


# --- Subscriptions -----------------------------------------------------------------------


async def _subscription_out(s: AsyncSession, sub: SmsSubscription) -> dict[str, Any]:
    members = await lists_store.subscription_members(s, sub.id)
    return {
        "id": sub.id, "name": sub.name, "created_at": iso(sub.created_at),
        "member_count": sum(1 for m, _ in members if m.opted_out_at is None),
        "members": [{"person_id": m.person_id, "name": name, "joined_at": iso(m.joined_at),
                     "opted_out_at": iso(m.opted_out_at)} for m, name in members],
    }


async def list_subscriptions(svc: Services, user: User) -> dict[str, Any]:
    async with svc.read() as s:
        actor = await access.load(s, user)
        subs = await lists_store.subscriptions_of(s, actor.tenant_id)
        counts = await lists_store.member_counts(s, SmsSubscriptionMember, [x.id for x in subs])
    return {"items": [{"id": x.id, "name": x.name, "member_count": counts.get(x.id, 0)} for x in subs]}


async def create_subscription(svc: Services, user: User, data: dict[str, Any]) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        sub = SmsSubscription(tenant_id=actor.tenant_id, name=_name(data), created_at=tx.now)
        tx.session.add(sub)
        await tx.session.flush()
        return await _subscription_out(tx.session, sub)


async def get_subscription(svc: Services, user: User, sub_id: int) -> dict[str, Any]:
    async with svc.read() as s:
        actor = await access.load(s, user)
        return await _subscription_out(s, await lists_store.get_owned(s, SmsSubscription, actor.tenant_id, sub_id))


async def set_subscribed(svc: Services, user: User, sub_id: int, data: dict[str, Any], *, joined: bool) -> dict[str, Any]:
    """Join persons to the list, or opt them out (kept, with the time, for "why not")."""
    ids = data.get("person_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise BadRequest("person_ids must be a non-empty list of ids", code="wrong_type", field="person_ids")
    async with svc.transaction() as tx:
        s = tx.session
        actor = await access.load(s, user)
        sub = await lists_store.get_owned(s, SmsSubscription, actor.tenant_id, sub_id)
        wanted = sorted(set(ids))
        found = {p.id for p in await lists_store.people_by_ids(s, actor.tenant_id, wanted)}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFound(f"no person with id {missing[0]}", code="unknown_selection", id=missing[0])
        rows = await lists_store.subscribed_rows(s, sub.id, wanted)
        for pid in wanted:
            row = rows.get(pid)
            if joined:
                if row is None:
                    s.add(SmsSubscriptionMember(subscription_id=sub.id, person_id=pid, joined_at=tx.now))
                elif row.opted_out_at is not None:
                    row.opted_out_at, row.joined_at = None, tx.now
            elif row is not None and row.opted_out_at is None:
                row.opted_out_at = tx.now
        await s.flush()
        return await _subscription_out(s, sub)


# --- Dynamic groups ----------------------------------------------------------------------

_TEXT_FIELDS = ("name", "function", "email", "kind", "mobile")
_ID_FIELDS: dict[str, type[Any]] = {"organisation_id": Organisation, "folder_id": Folder, "group_id": Group}


async def _rules(s: AsyncSession, tenant_id: int, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw or len(raw) > 20:
        raise BadRequest("rules must be a list of 1 to 20 rules", code="invalid_value", field="rules")
    out = []
    for i, rule in enumerate(raw):
        where = f"rule {i + 1}"
        if not isinstance(rule, dict):
            raise BadRequest(f"{where} must be an object", code="invalid_value", index=i)
        field, op, value = rule.get("field"), rule.get("op", "equals"), rule.get("value")
        if not isinstance(field, str):
            # A list or an object is not hashable: it cannot even be looked up in _ID_FIELDS.
            raise BadRequest(f"{where}: field must be text", code="wrong_type", index=i, rule=i + 1,
                             field=f"rules[{i}].field", reason="unknown_field")
        if field in _TEXT_FIELDS:
            if op not in ("equals", "contains") or not isinstance(value, str) or not value.strip():
                raise BadRequest(f"{where}: {field} takes op equals or contains and a non-empty text value",
                                 code="invalid_value", index=i, rule=i + 1, reason="text_rule")
            out.append({"field": field, "op": op, "value": value.strip()})
        elif field in _ID_FIELDS:
            if op != "equals" or isinstance(value, bool) or not isinstance(value, int):
                raise BadRequest(f"{where}: {field} takes op equals and an id", code="invalid_value", index=i,
                                 rule=i + 1, reason="id_rule")
            await lists_store.get_owned(s, _ID_FIELDS[field], tenant_id, value, code="unknown_selection")
            out.append({"field": field, "op": "equals", "value": value})
        else:
            fields = ", ".join((*_TEXT_FIELDS, *_ID_FIELDS))
            raise BadRequest(f"{where}: field must be one of {fields}", code="invalid_value", index=i,
                             rule=i + 1, reason="unknown_field")
    return out


def _dynamic_out(d: SmsDynamicGroup) -> dict[str, Any]:
    return {"id": d.id, "name": d.name, "rules": d.rules, "created_at": iso(d.created_at),
            "updated_at": iso(d.updated_at)}


async def list_dynamic(svc: Services, user: User) -> dict[str, Any]:
    async with svc.read() as s:
        actor = await access.load(s, user)
        return {"items": [_dynamic_out(d) for d in await lists_store.dynamic_groups_of(s, actor.tenant_id)]}


async def create_dynamic(svc: Services, user: User, data: dict[str, Any]) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        d = SmsDynamicGroup(tenant_id=actor.tenant_id, name=_name(data),
                            rules=await _rules(tx.session, actor.tenant_id, data.get("rules")),
                            created_at=tx.now, updated_at=tx.now)
        tx.session.add(d)
        await tx.session.flush()
        return _dynamic_out(d)


async def get_dynamic(svc: Services, user: User, dyn_id: int) -> dict[str, Any]:
    async with svc.read() as s:
        actor = await access.load(s, user)
        return _dynamic_out(await lists_store.get_owned(s, SmsDynamicGroup, actor.tenant_id, dyn_id))


async def update_dynamic(svc: Services, user: User, dyn_id: int, data: dict[str, Any]) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        d = await lists_store.get_owned(tx.session, SmsDynamicGroup, actor.tenant_id, dyn_id)
        if "name" in data:
            d.name = _name(data)
        if "rules" in data:
            d.rules = await _rules(tx.session, actor.tenant_id, data["rules"])
        d.updated_at = tx.now
        await tx.session.flush()
        return _dynamic_out(d)


async def dynamic_members(svc: Services, user: User, dyn_id: int) -> dict[str, Any]:
    """Who matches the rules now (a preview; a message evaluates them again when released)."""
    async with svc.read() as s:
        actor = await access.load(s, user)
        d = await lists_store.get_owned(s, SmsDynamicGroup, actor.tenant_id, dyn_id)
        people = await lists_store.dynamic_people(s, actor.tenant_id, list(d.rules))
    return {"items": [{"id": p.id, "name": p.name, "mobile": p.mobile} for p in people], "total": len(people)}
