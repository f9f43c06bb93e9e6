"""Saved searches of the SMS list with the columns the user chose (SM-9); each user sees only their own."""

from __future__ import annotations

from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import BadRequest, NotFound
from sms.actions import access, inputs
from sms.actions.queries import parse_day
from sms.actions.view import iso
from sms.models import MESSAGE_STATUSES, SmsSavedFilter
from sms.storage import lists as lists_store

__all__ = ["COLUMNS", "create", "listing", "remove", "update"]

COLUMNS = ("name", "subject", "body", "user_name", "originator", "send_at", "status", "recipients_planned",
           "recipients_sent", "parts", "sms_count", "credits_charged", "approved", "created_at")
_QUERY_KEYS = {"q", "status", "user_id", "from", "to"}
DEFAULT_COLUMNS = ["name", "send_at", "status", "user_name", "recipients_sent"]


def _query(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) - _QUERY_KEYS:
        raise BadRequest(f"query must be an object with only {', '.join(sorted(_QUERY_KEYS))}",
                         code="invalid_value", field="query")
    status = raw.get("status")
    if status and any(s not in MESSAGE_STATUSES for s in str(status).split(",")):
        raise BadRequest(f"status must be among {', '.join(MESSAGE_STATUSES)}", code="invalid_value", field="query")
    for key in ("q", "from", "to"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise BadRequest(f"query.{key} must be text", code="wrong_type", field="query")
    # A saved filter must work when used: check its dates and author now.
    parse_day(raw.get("from"), "query.from")
    parse_day(raw.get("to"), "query.to")
    user_id = raw.get("user_id")
    if user_id is not None and (isinstance(user_id, bool) or not isinstance(user_id, int)):
        raise BadRequest("query.user_id must be a user id", code="wrong_type", field="query")
    return {k: v for k, v in raw.items() if v not in (None, "")}


def _columns(raw: Any) -> list[str]:
    if raw is None:
        return list(DEFAULT_COLUMNS)
    if not isinstance(raw, list) or not raw or any(c not in COLUMNS for c in raw):
        raise BadRequest(f"columns must be a non-empty list among {', '.join(COLUMNS)}",
                         code="invalid_value", field="columns")
    return list(dict.fromkeys(raw))


def _out(f: SmsSavedFilter) -> dict[str, Any]:
    return {"id": f.id, "name": f.name, "query": f.query, "columns": f.columns, "created_at": iso(f.created_at)}


async def _own(s: Any, actor: access.SmsActor, filter_id: int) -> SmsSavedFilter:
    f = await lists_store.get_owned(s, SmsSavedFilter, actor.tenant_id, filter_id)
    if f.user_id != actor.user.id:
        raise NotFound(f"no saved filter with id {filter_id}")
    return f


async def listing(svc: Services, user: User) -> dict[str, Any]:
    async with svc.read() as s:
        await access.load(s, user)
        return {"items": [_out(f) for f in await lists_store.saved_filters(s, user.id)], "columns": list(COLUMNS)}


async def create(svc: Services, user: User, data: dict[str, Any]) -> dict[str, Any]:
    name = inputs.optional_text(data, "name", 100)
    if not name:
        raise BadRequest("name is required", code="missing_field", field="name")
    async with svc.transaction() as tx:
        await access.load(tx.session, user)
        f = SmsSavedFilter(tenant_id=user.tenant_id, user_id=user.id, name=name, query=_query(data.get("query")),
                           columns=_columns(data.get("columns")), created_at=tx.now)
        tx.session.add(f)
        await tx.session.flush()
        return _out(f)


async def update(svc: Services, user: User, filter_id: int, data: dict[str, Any]) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        f = await _own(tx.session, actor, filter_id)
        if "name" in data:
            name = inputs.optional_text(data, "name", 100)
            if not name:
                raise BadRequest("name is required", code="missing_field", field="name")
            f.name = name
        if "query" in data:
            f.query = _query(data["query"])
        if "columns" in data:
            f.columns = _columns(data["columns"])
        await tx.session.flush()
        return _out(f)


async def remove(svc: Services, user: User, filter_id: int) -> dict[str, Any]:
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        await tx.session.delete(await _own(tx.session, actor, filter_id))
    return {"deleted": filter_id}
