"""People, organisations, folders, groups and records with their timeline (AC-4)."""

from __future__ import annotations

from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import Folder, Group, Organisation, Person, Record, User
from chatserver.errors import BadRequest
from chatserver.storage import directory

PERSON_KINDS = ("candidate", "contact_person")
RECORD_KINDS = ("candidate", "contact_person", "vacancy", "organisation", "appointment")
MAX_IMPORT = 20000
_PERSON_FIELDS = {"kind", "name", "function", "phone", "mobile", "email", "organisation_id", "folder_id", "external_ref"}


def _text(data: dict[str, Any], name: str, *, required: bool = False, max_length: int = 200) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be text", code="wrong_type", field=name)
    value = value.strip()
    if required and not value:
        raise BadRequest(f"{name} is required", code="missing_field", field=name)
    if len(value) > max_length:
        raise BadRequest(f"{name} is longer than {max_length} characters", code="too_long", field=name)
    return value


def _optional_id(data: dict[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"{name} must be an id (a whole number)", code="wrong_type", field=name)
    return value


async def _clean_person(s: Any, actor: User, data: dict[str, Any], index: int | None = None) -> dict[str, Any]:
    where = f"row {index}: " if index is not None else ""
    try:
        unknown = set(data) - _PERSON_FIELDS
        if unknown:
            raise BadRequest(f"unknown fields: {', '.join(sorted(unknown))}", code="unknown_field")
        kind = data.get("kind", "candidate")
        if kind not in PERSON_KINDS:
            raise BadRequest(f"kind must be one of {', '.join(PERSON_KINDS)}", code="invalid_value", field="kind")
        row = {
            "tenant_id": actor.tenant_id,
            "kind": kind,
            "name": _text(data, "name", required=True),
            "function": _text(data, "function", max_length=120),
            "phone": _text(data, "phone", max_length=40),
            "mobile": _text(data, "mobile", max_length=40),
            "email": _text(data, "email", max_length=254),
            "external_ref": _text(data, "external_ref", max_length=120),
            "organisation_id": _optional_id(data, "organisation_id"),
            "folder_id": _optional_id(data, "folder_id"),
        }
    except BadRequest as exc:
        exc.message = where + exc.message
        exc.args = (exc.message,)
        raise
    return row


async def _check_refs(s: Any, actor: User, rows: list[dict[str, Any]]) -> None:
    for ref in {r["organisation_id"] for r in rows if r["organisation_id"] is not None}:
        await directory.get_owned(s, Organisation, actor.tenant_id, ref)
    for ref in {r["folder_id"] for r in rows if r["folder_id"] is not None}:
        await directory.get_owned(s, Folder, actor.tenant_id, ref)


async def create_person(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    async with svc.transaction() as tx:
        row = await _clean_person(tx.session, actor, data)
        await _check_refs(tx.session, actor, [row])
        person = await directory.add(tx.session, Person(**row, created_at=tx.now))
        return directory.to_dict(person)


async def import_people(svc: Services, actor: User, rows: list[Any]) -> dict[str, Any]:
    """Import many people at once, all or nothing: one bad row names itself and stores none."""
    if not isinstance(rows, list) or not rows:
        raise BadRequest("people must be a non-empty list", code="wrong_type")
    if len(rows) > MAX_IMPORT:
        raise BadRequest(f"at most {MAX_IMPORT} people per import", code="too_many")
    async with svc.transaction() as tx:
        clean = []
        for i, data in enumerate(rows):
            if not isinstance(data, dict):
                raise BadRequest(f"row {i}: must be an object", code="wrong_type")
            row = await _clean_person(tx.session, actor, data, i)
            row["created_at"] = tx.now
            clean.append(row)
        await _check_refs(tx.session, actor, clean)
        count = await directory.bulk_insert_people(tx.session, clean)
    return {"imported": count}


async def create_named(svc: Services, actor: User, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Create an organisation, folder or group: they only have a name."""
    models: dict[str, type[Organisation] | type[Folder] | type[Group]] = {
        "organisations": Organisation, "folders": Folder, "groups": Group,
    }
    name = _text(data, "name", required=True)
    async with svc.transaction() as tx:
        obj = models[kind](tenant_id=actor.tenant_id, name=name, created_at=tx.now)
        tx.session.add(obj)
        await tx.session.flush()
        return directory.to_dict(obj)


async def add_group_members(svc: Services, actor: User, group_id: int, person_ids: Any) -> dict[str, Any]:
    if not isinstance(person_ids, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in person_ids):
        raise BadRequest("person_ids must be a list of ids", code="wrong_type")
    async with svc.transaction() as tx:
        await directory.get_owned(tx.session, Group, actor.tenant_id, group_id)
        wanted = sorted(set(person_ids))
        if await directory.count_people_in_tenant(tx.session, actor.tenant_id, wanted) != len(wanted):
            raise BadRequest("some person_ids do not exist", code="unknown_person")
        await directory.add_group_members(tx.session, group_id, wanted)
        members = await directory.group_member_ids(tx.session, group_id)
    return {"group_id": group_id, "person_ids": sorted(members)}


async def create_record(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    kind = data.get("kind")
    if kind not in RECORD_KINDS:
        raise BadRequest(f"kind must be one of {', '.join(RECORD_KINDS)}", code="invalid_value", field="kind")
    async with svc.transaction() as tx:
        person_id = _optional_id(data, "person_id")
        if person_id is not None:
            await directory.get_owned(tx.session, Person, actor.tenant_id, person_id)
        record = Record(
            tenant_id=actor.tenant_id, kind=kind, title=_text(data, "title", required=True, max_length=300),
            person_id=person_id, created_at=tx.now,
        )
        record = await directory.add(tx.session, record)
        return directory.to_dict(record)


async def get(svc: Services, actor: User, kind: str, obj_id: int) -> dict[str, Any]:
    model = directory.KINDS[kind]
    async with svc.read() as s:
        obj = await directory.get_owned(s, model, actor.tenant_id, obj_id)
        out = directory.to_dict(obj)
        if model is Group:
            out["person_ids"] = sorted(await directory.group_member_ids(s, obj_id))
    return out


async def listing(svc: Services, actor: User, kind: str, query: str, limit: int, offset: int) -> dict[str, Any]:
    if not 1 <= limit <= 500 or offset < 0:
        raise BadRequest("limit must be 1..500 and offset 0 or more", code="invalid_value")
    async with svc.read() as s:
        rows, total = await directory.list_of(s, directory.KINDS[kind], actor.tenant_id, query=query, limit=limit, offset=offset)
    return {"items": [directory.to_dict(r) for r in rows], "total": total}

