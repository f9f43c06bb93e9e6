"""Checking what a composer sends: text, sender, date, selection (SM-2..SM-6, SM-14).

Each check raises a :class:`BadRequest`/:class:`NotFound` with a stable code and a
sentence for the user, before anything is stored, so a refused message costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import Folder, Group, Organisation, Person, Record, User
from chatserver.errors import BadRequest, NotFound
from sms.actions.access import SmsActor, SmsSettings
from sms.models import SmsDynamicGroup, SmsGroup, SmsSubscription
from sms.rules.numbers import InvalidNumber, normalise
from sms.rules.segments import Measure, measure
from sms.rules.senders import InvalidSender, Sender, resolve_sender
from sms.storage import lists as lists_store

__all__ = [
    "ID_TYPES",
    "MAX_BODY",
    "SELECTION_TYPES",
    "clean_body",
    "clean_number",
    "clean_priority",
    "clean_record_ids",
    "clean_selection",
    "clean_send_at",
    "clean_sender",
    "clean_subject",
    "clean_subscription",
    "optional_text",
]

#: Selection types that name a stored thing by id, and the table it is in.
ID_TYPES: dict[str, type[Any]] = {
    "sms_group": SmsGroup,
    "user": User,
    "person": Person,
    "organisation": Organisation,
    "folder": Folder,
    "group": Group,
    "dynamic_group": SmsDynamicGroup,
}
SELECTION_TYPES = ("number", *ID_TYPES)
MAX_SELECTION = 1000
# Far above 255 parts; refuse a pasted book before measuring it.
MAX_BODY = 40_000
# A client's "now" reaches us a little later; older than this is the past.
PAST_GRACE = timedelta(seconds=60)
MAX_AHEAD = timedelta(days=2 * 366)


def optional_text(data: dict[str, Any], name: str, max_length: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be text", code="wrong_type", field=name)
    value = value.strip()
    if len(value) > max_length:
        raise BadRequest(f"{name} is longer than {max_length} characters", code="too_long", field=name)
    return value


def clean_subject(data: dict[str, Any]) -> str:
    return optional_text(data, "subject", 200)


def clean_body(data: dict[str, Any], settings: SmsSettings) -> tuple[str, Measure]:
    body = data.get("body")
    if body is None:
        raise BadRequest("body is required: the text of the SMS", code="missing_field", field="body")
    if not isinstance(body, str):
        raise BadRequest("body must be text", code="wrong_type", field="body")
    if len(body) > MAX_BODY:
        raise BadRequest("The message is far too long for an SMS.", code="invalid_text", reason="too_long")
    m = measure(body, allow_long=settings.allow_long)
    if not m.allowed:
        raise BadRequest(m.message, code="invalid_text", reason=str(m.reason), parts=m.parts, remaining=m.remaining)
    return body, m


def clean_sender(data: dict[str, Any], actor: SmsActor) -> tuple[Sender, str]:
    """The originator and its kind ('default' | 'own_number') from the checkbox."""
    own = data.get("from_own_number", False)
    if not isinstance(own, bool):
        raise BadRequest("from_own_number must be true or false", code="wrong_type", field="from_own_number")
    st = actor.settings
    try:
        sender = resolve_sender(
            from_own_number=own, default_sender=st.default_sender, own_mobile=actor.mobile,
            default_region=st.default_country, allowed_regions=st.allowed_countries,
        )
    except InvalidSender as exc:
        raise BadRequest(exc.message, code="invalid_sender", reason=str(exc.reason)) from None
    return sender, "own_number" if own else "default"


def clean_send_at(data: dict[str, Any], now: datetime) -> datetime | None:
    """``None`` (send now) or an aware UTC time not in the past; nothing else is ever stored."""
    value = data.get("send_at")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRequest("send_at must be a date and time as text, e.g. 2026-11-24T10:00:00+01:00",
                         code="invalid_date", field="send_at")
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadRequest(f"send_at {value!r} is not a valid date and time; use e.g. 2026-11-24T10:00:00+01:00",
                         code="invalid_date", field="send_at") from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise BadRequest(f"send_at {value!r} has no time zone; add one, e.g. +01:00 or Z",
                         code="invalid_date", field="send_at")
    when = when.astimezone(UTC)
    if when < now - PAST_GRACE:
        raise BadRequest(f"send_at {value!r} is in the past; choose a later time or send now",
                         code="date_in_past", field="send_at")
    if when > now + MAX_AHEAD:
        raise BadRequest(f"send_at {value!r} is more than two years ahead", code="invalid_date", field="send_at")
    return when


def clean_priority(data: dict[str, Any]) -> int:
    value = data.get("priority", 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise BadRequest("priority must be a whole number from 0 to 100", code="invalid_value", field="priority")
    return value


def clean_number(raw: Any, settings: SmsSettings, *, index: int | None = None) -> str:
    """A typed number as E.164, or 400 ``invalid_number`` saying why (SM-4, SM-15)."""
    where = f"recipient {index + 1}: " if index is not None else ""
    if not isinstance(raw, str):
        raise BadRequest(f"{where}number must be text", code="invalid_number", index=index, reason="not_a_number")
    try:
        return normalise(raw, settings.default_country, settings.allowed_countries)
    except InvalidNumber as exc:
        raise BadRequest(where + exc.message, code="invalid_number", index=index, number=raw,
                         reason=str(exc.reason)) from None


@dataclass(frozen=True)
class _Item:
    type: str
    mode: str
    id: int | None = None
    number: str | None = None
    name: str = ""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "mode": self.mode}
        if self.id is not None:
            out["id"] = self.id
        if self.number is not None:
            out["number"] = self.number
            if self.name:
                out["name"] = self.name
        return out


async def clean_selection(s: AsyncSession, actor: SmsActor, raw: Any) -> list[dict[str, Any]]:
    """The selection as stored: every item well-formed and every id of this tenant."""
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise BadRequest("recipients must be a list of selections", code="invalid_selection", field="recipients")
    if len(raw) > MAX_SELECTION:
        raise BadRequest(f"at most {MAX_SELECTION} selections per message", code="invalid_selection")
    items: list[_Item] = []
    for i, entry in enumerate(raw):
        where = f"recipient {i + 1}"
        if not isinstance(entry, dict):
            raise BadRequest(f"{where} must be an object", code="invalid_selection", index=i)
        kind = entry.get("type")
        if kind not in SELECTION_TYPES:
            raise BadRequest(f"{where}: type must be one of {', '.join(SELECTION_TYPES)}",
                             code="invalid_selection", index=i)
        mode = entry.get("mode", "include")
        if mode not in ("include", "exclude"):
            raise BadRequest(f"{where}: mode must be include or exclude", code="invalid_selection", index=i)
        if kind == "number":
            e164 = clean_number(entry.get("number"), actor.settings, index=i)
            name = entry.get("name") or ""
            if not isinstance(name, str) or len(name) > 200:
                raise BadRequest(f"{where}: name must be text of at most 200 characters",
                                 code="invalid_selection", index=i)
            items.append(_Item("number", mode, number=e164, name=name.strip()))
            continue
        obj_id = entry.get("id")
        if isinstance(obj_id, bool) or not isinstance(obj_id, int):
            raise BadRequest(f"{where}: id must be a whole number", code="invalid_selection", index=i)
        try:
            await lists_store.get_owned(s, ID_TYPES[kind], actor.tenant_id, obj_id, code="unknown_selection")
        except NotFound as exc:
            exc.message = f"{where}: {exc.message}"
            exc.args = (exc.message,)
            exc.details.update(index=i, type=kind, id=obj_id)
            raise
        items.append(_Item(kind, mode, id=obj_id))
    # The same item twice is one item; order kept so rows come out as the user listed them.
    unique = list(dict.fromkeys(items))
    return [item.as_json() for item in unique]


async def clean_subscription(s: AsyncSession, actor: SmsActor, data: dict[str, Any]) -> int | None:
    value = data.get("subscription_id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest("subscription_id must be a whole number", code="wrong_type", field="subscription_id")
    await lists_store.get_owned(s, SmsSubscription, actor.tenant_id, value, code="unknown_selection")
    return value


async def clean_record_ids(s: AsyncSession, actor: SmsActor, raw: Any) -> list[int]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, int) and not isinstance(r, bool) for r in raw):
        raise BadRequest("record_ids must be a list of record ids", code="wrong_type", field="record_ids")
    ids = list(dict.fromkeys(raw))
    for rid in ids:
        record = await s.get(Record, rid)
        if record is None or record.tenant_id != actor.tenant_id:
            raise NotFound(f"no record with id {rid}")
    return ids
