"""Reading the SMS module: composer settings, preview, list, detail, queue, why-not, picker (SM-3, SM-9, SM-12, SM-15)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import Folder, Group, Organisation, Person, Record, User
from chatserver.errors import BadRequest, NotFound
from chatserver.protocol import schema
from sms.actions import access, inputs
from sms.actions.resolve import resolve
from sms.actions.view import recipient_dict, summaries
from sms.models import (
    MESSAGE_STATUSES,
    RECIPIENT_STATES,
    SmsDynamicGroup,
    SmsGroup,
    SmsSavedFilter,
)
from sms.rules.numbers import check
from sms.rules.segments import cost, measure
from sms.storage import credits as credits_store
from sms.storage import lists as lists_store
from sms.storage import messages as store

__all__ = [
    "compose_from_record",
    "parse_day",
    "config",
    "detail",
    "listing",
    "preview",
    "queue",
    "recipients",
    "search",
    "why",
]


async def config(svc: Services, user: User) -> dict[str, Any]:
    """What the composer needs to know before the user types."""
    async with svc.read() as s:
        actor = await access.load(s, user)
        balance = await credits_store.balance(s, actor.tenant_id)
    st = actor.settings
    own = check(actor.mobile, st.default_country, st.allowed_countries) if actor.mobile else None
    return {
        "enabled": True, "admin": actor.admin, "key_user": actor.key_user, "allow_long": st.allow_long,
        "max_single": 140, "recipient_limit": st.recipient_limit, "default_sender": st.default_sender,
        "own_number": own.e164 if own else None, "default_country": st.default_country,
        "allowed_countries": sorted(st.allowed_countries), "balance": balance,
    }


async def preview(svc: Services, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Characters left, parts and cost as the user types; never stores anything."""
    async with svc.read() as s:
        actor = await access.load(s, user)
        body = data.get("body", "")
        if not isinstance(body, str) or len(body) > inputs.MAX_BODY:
            raise BadRequest("body must be text of reasonable length", code="wrong_type", field="body")
        m = measure(body, allow_long=actor.settings.allow_long)
        count = 0
        if data.get("recipients"):
            selection = await inputs.clean_selection(s, actor, data.get("recipients"))
            subscription_id = await inputs.clean_subscription(s, actor, data)
            outcomes = await resolve(s, actor.tenant_id, selection, subscription_id, actor.settings)
            count = sum(1 for o in outcomes if o.included)
        balance = await credits_store.balance(s, actor.tenant_id)
    return {
        "encoding": str(m.encoding), "units": m.units, "parts": m.parts, "remaining": m.remaining,
        "part_limit": m.part_limit, "allowed": m.allowed, "reason": str(m.reason) if m.reason else None,
        "message": m.message, "non_gsm": list(m.non_gsm), "recipients": count, "cost": cost(m.parts, count),
        "limit": actor.settings.recipient_limit, "needs_approval": count > actor.settings.recipient_limit,
        "balance": balance,
    }


def parse_day(value: Any, name: str, *, end: bool = False) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a date such as 2026-11-01", code="invalid_date", field=name)
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            # A whole day: "to" includes it, so the bound is the next midnight.
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start + timedelta(days=1) if end else start
        when = datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} {value!r} is not a valid date", code="invalid_date", field=name) from None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def _statuses(value: Any) -> list[str] | None:
    if not value:
        return None
    items = [v.strip() for v in str(value).split(",") if v.strip()] if isinstance(value, str) else value
    if not isinstance(items, list) or any(v not in MESSAGE_STATUSES for v in items):
        raise BadRequest(f"status must be among {', '.join(MESSAGE_STATUSES)}", code="invalid_value", field="status")
    return items


def _int(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
    """A whole-number query parameter, or 400 naming it (never a 500 for ``?limit=abc``)."""
    value = params.get(name)
    if value is None or value == "":
        return default
    # The same rule as every integer input (a saved filter's stored ones too): in range.
    return schema.whole_number(value if isinstance(value, str) else str(value), name)


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= 500 or offset < 0:
        raise BadRequest("limit must be 1..500 and offset 0 or more", code="invalid_value")


async def listing(svc: Services, user: User, params: dict[str, Any]) -> dict[str, Any]:
    """Own messages (SMS-admins: the tenant's), newest first, with search and filters (SM-9)."""
    limit, offset = _int(params, "limit", 50) or 0, _int(params, "offset", 0) or 0
    _page(limit, offset)
    async with svc.read() as s:
        actor = await access.load(s, user)
        query: dict[str, Any] = {}
        if params.get("filter_id") is not None:
            saved = await lists_store.get_owned(s, SmsSavedFilter, actor.tenant_id, _int(params, "filter_id") or 0)
            if saved.user_id != user.id:
                raise NotFound(f"no saved filter with id {saved.id}")
            query.update(saved.query or {})
        query.update({k: v for k, v in params.items() if v not in (None, "") and k not in ("limit", "offset")})
        if actor.admin:
            user_id = _int(query, "user_id")
        else:
            user_id = user.id  # others always see only their own
        rows, total = await store.list_messages(
            s, actor.tenant_id, user_id=user_id, text=str(query.get("q") or ""),
            statuses=_statuses(query.get("status")), created_from=parse_day(query.get("from"), "from"),
            created_to=parse_day(query.get("to"), "to", end=True), limit=limit, offset=offset,
        )
        return {"items": await summaries(s, rows), "total": total}


async def queue(svc: Services, user: User, status: str | None, limit: int, offset: int) -> dict[str, Any]:
    """The SMS queue (SM-12): waiting messages of the tenant, the soonest first; SMS-admins only."""
    _page(limit, offset)
    async with svc.read() as s:
        actor = await access.load(s, user)
        access.require_admin(actor, "see the SMS queue")
        statuses = _statuses(status) or ["awaiting_approval", "scheduled"]
        rows, total = await store.list_messages(
            s, actor.tenant_id, user_id=None, statuses=statuses, limit=limit, offset=offset, queue_order=True
        )
        return {"items": await summaries(s, rows), "total": total}


async def detail(svc: Services, user: User, message_id: int) -> dict[str, Any]:
    async with svc.read() as s:
        actor = await access.load(s, user)
        msg = await access.visible_message(s, actor, message_id)
        out = (await summaries(s, [msg]))[0]
        rows, _ = await store.list_recipients(s, msg.id, limit=200)
        names = await store.user_names(s, {msg.approved_by} if msg.approved_by else set())
        out.update(
            selection=msg.selection,
            records=[{"id": r.id, "kind": r.kind, "title": r.title} for r in await store.records_of(s, msg.id)],
            recipients=[recipient_dict(r) for r in rows],
            approver_name=names.get(msg.approved_by) if msg.approved_by else None,
        )
    return out


async def recipients(svc: Services, user: User, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
    limit, offset = _int(params, "limit", 200) or 0, _int(params, "offset", 0) or 0
    _page(limit, offset)
    state = params.get("state") or None
    if state is not None and state not in RECIPIENT_STATES:
        raise BadRequest(f"state must be among {', '.join(RECIPIENT_STATES)}", code="invalid_value", field="state")
    included_raw = params.get("included")
    included = None if included_raw in (None, "") else str(included_raw).lower() == "true"
    async with svc.read() as s:
        actor = await access.load(s, user)
        msg = await access.visible_message(s, actor, message_id)
        rows, total = await store.list_recipients(
            s, msg.id, state=state, included=included, text=str(params.get("q") or ""), limit=limit, offset=offset
        )
    return {"items": [recipient_dict(r) for r in rows], "total": total}


async def why(svc: Services, user: User, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """Did X receive this message, and if not why (SM-15)? Before release: what would happen now.

    X is ``person_id``, ``user_id``, ``number`` (any notation) or ``q`` (part of the name).
    """
    person_id, user_id = _int(params, "person_id"), _int(params, "user_id")
    raw_number, text = str(params.get("number") or ""), str(params.get("q") or "").strip().lower()
    if person_id is None and user_id is None and not raw_number and not text:
        raise BadRequest("say who: person_id, user_id, number or q", code="missing_field")
    async with svc.read() as s:
        actor = await access.load(s, user)
        msg = await access.visible_message(s, actor, message_id)
        st = actor.settings
        number = check(raw_number, st.default_country, st.allowed_countries).e164 if raw_number else None

        def matches(pid: int | None, uid: int | None, name: str, e164: str | None, raw: str) -> bool:
            if person_id is not None:
                return pid == person_id
            if user_id is not None:
                return uid == user_id
            if raw_number:
                return (number is not None and e164 == number) or raw == raw_number
            return text in name.lower()

        released = msg.status in ("sending", "sent", "failed")
        if released:
            hit = await store.find_recipient(s, msg.id, person_id=person_id, user_id=user_id, number=number,
                                             raw_number=raw_number or None, text=text)
            if hit is not None:
                return {"released": True, "received": hit.included, "reason": hit.reason,
                        "reason_text": hit.reason_text, "recipient": recipient_dict(hit)}
        else:
            settings = await access.tenant_sms_settings(s, actor.tenant_id)
            outcomes = await resolve(s, actor.tenant_id, list(msg.selection or []), msg.subscription_id, settings)
            found = next((o for o in outcomes if matches(o.person_id, o.user_id, o.name, o.number, o.raw_number)),
                         None)
            if found is not None:
                return {"released": False, "received": found.included, "reason": found.reason,
                        "reason_text": found.reason_text, "recipient": None}
    return {"released": released, "received": False, "reason": "not_selected",
            "reason_text": "Nobody by that name or number is in the message's included selections.",
            "recipient": None}


async def compose_from_record(svc: Services, user: User, record_id: int) -> dict[str, Any]:
    """The composer's start when sending from a dossier (SM-8): its person preselected."""
    async with svc.read() as s:
        actor = await access.load(s, user)
        record = await s.get(Record, record_id)
        if record is None or record.tenant_id != actor.tenant_id:
            raise NotFound(f"no record with id {record_id}")
        picks: list[dict[str, Any]] = []
        if record.person_id is not None:
            person = await s.get(Person, record.person_id)
            if person is not None:
                verdict = check(person.mobile or person.phone, actor.settings.default_country,
                                actor.settings.allowed_countries)
                picks.append({"type": "person", "id": person.id, "name": person.name, "number": verdict.e164,
                              "mode": "include"})
    return {"record": {"id": record.id, "kind": record.kind, "title": record.title},
            "recipients": picks, "record_ids": [record.id]}


_SEARCH_TYPES = ("person", "user", "sms_group", "organisation", "folder", "group", "dynamic_group")


async def search(svc: Services, user: User, text: str, types: str | None) -> dict[str, Any]:
    """The recipient picker: people, colleagues and every kind of group by name."""
    wanted = [t for t in (types or ",".join(_SEARCH_TYPES)).split(",") if t]
    if any(t not in _SEARCH_TYPES for t in wanted):
        raise BadRequest(f"types must be among {', '.join(_SEARCH_TYPES)}", code="invalid_value", field="types")
    pattern = f"%{text.lower().strip()}%"
    items: list[dict[str, Any]] = []
    async with svc.read() as s:
        actor = await access.load(s, user)
        st = actor.settings
        if "person" in wanted:
            for p in await lists_store.people_named(s, actor.tenant_id, pattern, 10):
                v = check(p.mobile or p.phone, st.default_country, st.allowed_countries)
                items.append({"type": "person", "id": p.id, "name": p.name, "number": v.e164, "detail": p.kind})
        if "user" in wanted:
            found = await lists_store.colleagues_named(s, actor.tenant_id, pattern, 10)
            from chatserver.storage import settings as settings_store

            mobiles = await settings_store.effective_many(s, actor.tenant_id, [u.id for u in found], "user.mobile")
            for u in found:
                v = check(str(mobiles.get(u.id) or ""), st.default_country, st.allowed_countries)
                items.append({"type": "user", "id": u.id, "name": u.display_name, "number": v.e164,
                              "detail": u.function})
        named: list[tuple[str, type[Any]]] = [("sms_group", SmsGroup), ("organisation", Organisation),
                                              ("folder", Folder), ("group", Group), ("dynamic_group", SmsDynamicGroup)]
        for kind, model in named:
            if kind not in wanted:
                continue
            for obj in await lists_store.named_like(s, model, actor.tenant_id, pattern, 10):
                items.append({"type": kind, "id": obj.id, "name": obj.name, "number": None,
                              "detail": lists_store.LABELS[model]})
    return {"items": items}
