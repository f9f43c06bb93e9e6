"""Who receives a message: selections expanded into people, each with a verdict (SM-14..SM-16).

Run when a message is released (the people in its groups *then* count), when it is
composed (only to count them, for the limit and the cost), and for "why did X not
receive this?" before release. A person receives when they are in an included
selection and in no excluded one, have a valid mobile in an allowed country, are
subscribed when the message names a subscription, and their number is not already
receiving it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import ANONYMOUS_ROLES, Folder, Group, Organisation, Person, User
from chatserver.storage import settings as settings_store
from sms.actions.access import SmsSettings
from sms.models import SmsDynamicGroup, SmsGroup, SmsSubscription
from sms.rules.numbers import Reason, Verdict, check
from sms.storage import lists as lists_store

__all__ = ["Outcome", "resolve"]


@lru_cache(maxsize=65536)
def _check(raw: str, region: str, allowed: frozenset[str]) -> Verdict:
    # libphonenumber takes ~0.1 ms a number; a message is resolved for the preview, at
    # compose and at release, mostly for the same people, so remember recent answers.
    return check(raw, region, allowed)


@dataclass
class Outcome:
    """One person (or typed number) considered, and whether they receive the message."""

    key: tuple[str, Any]
    name: str
    raw_number: str
    person_id: int | None = None
    user_id: int | None = None
    number: str | None = None
    reason: str | None = None
    reason_text: str | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def included(self) -> bool:
        return self.reason is None

    def row(self, tenant_id: int, message_id: int, reference: str, now: datetime) -> dict[str, Any]:
        return {
            "tenant_id": tenant_id, "message_id": message_id, "person_id": self.person_id, "user_id": self.user_id,
            "name": self.name[:200], "number": self.number, "raw_number": self.raw_number[:64],
            "included": self.included, "reason": self.reason, "reason_text": self.reason_text,
            "reference": reference, "state": "pending" if self.included else "skipped", "attempts": 0,
            "next_attempt_at": None, "updated_at": now,
        }


_NAMED_KINDS: dict[str, type[SmsGroup | Organisation | Folder | Group | SmsDynamicGroup]] = {
    "sms_group": SmsGroup, "organisation": Organisation, "folder": Folder, "group": Group,
    "dynamic_group": SmsDynamicGroup,
}


async def _label(s: AsyncSession, kind: str, obj_id: int) -> str:
    model = _NAMED_KINDS[kind]
    obj: Any = await s.get(model, obj_id)
    return f"{lists_store.LABELS[model]} '{obj.name}'" if obj is not None else f"{lists_store.LABELS[model]} {obj_id}"


def _person(p: Person, source: str) -> Outcome:
    # The mobile field first; a number in "phone" still counts when it is a mobile.
    raw = p.mobile or p.phone or ""
    return Outcome(key=("person", p.id), name=p.name, raw_number=raw, person_id=p.id, sources=[source])


async def _expand(s: AsyncSession, tenant_id: int, item: dict[str, Any], mobiles: dict[int, str]) -> list[Outcome]:
    """The people one selection item stands for now; a thing deleted since names nobody."""
    kind = item["type"]
    if kind == "number":
        number = item["number"]
        return [Outcome(key=("number", number), name=item.get("name") or number, raw_number=number,
                        sources=["typed number"])]
    obj_id = int(item["id"])
    if kind == "person":
        people = await lists_store.people_by_ids(s, tenant_id, [obj_id])
        return [_person(p, "chosen person") for p in people]
    if kind == "user":
        user = await s.get(User, obj_id)
        if user is None or user.tenant_id != tenant_id or user.role in ANONYMOUS_ROLES:
            return []
        return [Outcome(key=("user", user.id), name=user.display_name, raw_number=mobiles.get(user.id, ""),
                        user_id=user.id, sources=["chosen colleague"])]
    label = await _label(s, kind, obj_id)
    if kind == "sms_group":
        group = await s.get(SmsGroup, obj_id)
        if group is None or group.tenant_id != tenant_id:
            return []
        out: list[Outcome] = []
        members = await lists_store.group_members(s, obj_id)
        by_id = {p.id: p for p in await lists_store.people_by_ids(
            s, tenant_id, [m.person_id for m in members if m.person_id is not None])}
        users = {u.id: u for u in await lists_store.colleagues_by_ids(
            s, tenant_id, [m.user_id for m in members if m.user_id])}
        for m in members:
            if m.kind == "person" and m.person_id is not None and m.person_id in by_id:
                out.append(_person(by_id[m.person_id], label))
            elif m.kind == "user" and m.user_id is not None and m.user_id in users:
                u = users[m.user_id]
                out.append(Outcome(key=("user", u.id), name=u.display_name, raw_number=mobiles.get(u.id, ""),
                                   user_id=u.id, sources=[label]))
            elif m.kind == "custom":
                out.append(Outcome(key=("number", m.number), name=m.name or m.number, raw_number=m.number,
                                   sources=[label]))
        return out
    if kind == "dynamic_group":
        dyn = await s.get(SmsDynamicGroup, obj_id)
        if dyn is None or dyn.tenant_id != tenant_id:
            return []
        return [_person(p, label) for p in await lists_store.dynamic_people(s, tenant_id, list(dyn.rules))]
    return [_person(p, label) for p in await lists_store.people_in(s, tenant_id, kind, obj_id)]


async def _subscribed(s: AsyncSession, subscription_id: int) -> tuple[str, dict[int, datetime | None]]:
    sub = await s.get(SmsSubscription, subscription_id)
    name = sub.name if sub is not None else str(subscription_id)
    return name, await lists_store.opt_states(s, subscription_id)


async def resolve(
    s: AsyncSession,
    tenant_id: int,
    selection: list[dict[str, Any]],
    subscription_id: int | None,
    settings: SmsSettings,
) -> list[Outcome]:
    """Every person the included selections name, in order, each with its verdict."""
    # Colleagues' own mobile numbers are a user setting; read them once for all, and
    # only when a selection can name colleagues.
    mobiles: dict[int, str] = {}
    if any(item["type"] in ("user", "sms_group") for item in selection):
        user_ids = await lists_store.colleague_ids(s, tenant_id)
        mobiles = {uid: str(v or "") for uid, v in (await settings_store.effective_many(
            s, tenant_id, user_ids, "user.mobile")).items()}

    included: dict[tuple[str, Any], Outcome] = {}
    excluded: dict[tuple[str, Any], str] = {}
    excluded_numbers: dict[str, str] = {}
    for item in selection:
        for o in await _expand(s, tenant_id, item, mobiles):
            if item.get("mode", "include") == "exclude":
                excluded.setdefault(o.key, o.sources[0])
                verdict = _check(o.raw_number, settings.default_country, settings.allowed_countries)
                if verdict.ok and verdict.e164:
                    excluded_numbers.setdefault(verdict.e164, o.sources[0])
            elif o.key in included:
                included[o.key].sources.extend(o.sources)
            else:
                included[o.key] = o

    sub_name, members = "", dict[int, datetime | None]()
    if subscription_id is not None:
        sub_name, members = await _subscribed(s, subscription_id)

    taken: dict[str, str] = {}
    for o in included.values():
        verdict = _check(o.raw_number, settings.default_country, settings.allowed_countries)
        o.number = verdict.e164
        if o.key in excluded or (verdict.e164 and verdict.e164 in excluded_numbers):
            by = excluded.get(o.key) or excluded_numbers[verdict.e164 or ""]
            o.reason, o.reason_text = "excluded", f"{o.name} is in an excluded selection ({by})."
        elif not verdict.ok:
            if verdict.reason is Reason.COUNTRY_NOT_ALLOWED:
                o.reason = "country_not_allowed"
                o.reason_text = f"{o.name}: {verdict.message}"
            elif verdict.reason is Reason.EMPTY:
                o.reason, o.reason_text = "no_valid_mobile", f"{o.name} has no mobile number."
            else:
                o.reason = "no_valid_mobile"
                o.reason_text = f"{o.name} has no valid mobile number: {verdict.message}"
        elif subscription_id is not None and o.person_id is not None and (
            o.person_id not in members or members[o.person_id] is not None
        ):
            opted = members.get(o.person_id)
            when = f" (opted out on {opted.date().isoformat()})" if opted is not None else ""
            o.reason, o.reason_text = "not_subscribed", f"{o.name} is not subscribed to '{sub_name}'{when}."
        elif verdict.e164 in taken:
            o.reason = "duplicate_number"
            o.reason_text = f"{verdict.e164} already receives this message (as {taken[verdict.e164]})."
        else:
            taken[verdict.e164 or ""] = o.name
    return list(included.values())
