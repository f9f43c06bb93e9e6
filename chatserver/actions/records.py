"""The directory screen and a record's page (AC-4, IC-7): find colleagues, candidates,
contact persons and records; a record with its person and its timeline, each entry with
what the page shows of it (the chat's people, the SMS's state, a recording's player link).

The kind the core knows (chat) is filled in here; a feature fills in its own through
``Services.timeline_details`` (SMS: a message's state; video: calls, appointments,
recordings), so the core never imports it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services
from chatserver.db.models import Organisation, Person, Record, TimelineEntry, User
from chatserver.errors import BadRequest
from chatserver.storage import chat, contacts, directory
from chatserver.storage import directory_search as search_store

__all__ = ["KINDS", "record_page", "search"]

# What the directory finds, in the order the screen shows them.
KINDS = ("colleague", "candidate", "contact_person", "record")


def _person(person: Person, organisation: str | None) -> dict[str, Any]:
    return {"id": person.id, "kind": person.kind, "name": person.name, "function": person.function,
            "phone": person.phone, "mobile": person.mobile, "email": person.email,
            "organisation": organisation or "", "external_ref": person.external_ref}


async def search(svc: Services, actor: User, query: str, kind: str | None, limit: int) -> dict[str, Any]:
    """Up to ``limit`` of each kind (or of one), by a piece of the name; everything when empty."""
    query = query.strip()
    if len(query) > 100:
        raise BadRequest("q is longer than 100 characters", code="too_long", field="q")
    if kind is not None and kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}", code="invalid_value", field="kind")
    if not 1 <= limit <= 100:
        raise BadRequest("limit must be between 1 and 100", code="invalid_value", field="limit")
    wanted = [kind] if kind else list(KINDS)
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in wanted}
    async with svc.read() as s:
        if "colleague" in out:
            mine = set(await contacts.contact_ids(s, actor.id))
            out["colleague"] = [
                {"type": "colleague", "id": u.id, "name": u.display_name, "function": u.function,
                 "is_contact": u.id in mine, "me": u.id == actor.id}
                for u in await search_store.colleagues(s, actor.tenant_id, query, limit)
            ]
        for person_kind in ("candidate", "contact_person"):
            if person_kind not in out:
                continue
            found = await search_store.people(s, actor.tenant_id, person_kind, query, limit)
            records = await search_store.person_records(s, [p.id for p, _ in found])
            out[person_kind] = [{"type": person_kind, **_person(p, org), "record_id": records.get(p.id)}
                                for p, org in found]
        if "record" in out:
            out["record"] = [{"type": "record", "id": r.id, "kind": r.kind, "name": r.title, "record_id": r.id}
                             for r in await search_store.records_without_person(s, actor.tenant_id, query, limit)]
    return {"query": query, "results": out}


async def record_page(svc: Services, actor: User, record_id: int) -> dict[str, Any]:
    """A record of the caller's organisation, its person, and its timeline (newest first)."""
    async with svc.read() as s:
        record = await directory.get_owned(s, Record, actor.tenant_id, record_id)
        person = None
        if record.person_id is not None:
            found = await s.get(Person, record.person_id)
            if found is not None:
                org = await s.get(Organisation, found.organisation_id) if found.organisation_id else None
                person = _person(found, org.name if org else None)
        entries = await directory.timeline(s, record.id)
        details = await _details(svc, s, actor, entries)
        names = await search_store.users_named(s, {e.actor_user_id for e in entries if e.actor_user_id})
    out = []
    for e in entries:
        body = directory.to_dict(e)
        body["actor_name"] = names.get(e.actor_user_id or 0, "")
        body["details"] = details.get(e.id, {})
        out.append(body)
    return {"record": directory.to_dict(record), "person": person, "entries": out}


async def _details(svc: Services, s: AsyncSession, viewer: User, entries: list[TimelineEntry]
                   ) -> dict[int, dict[str, Any]]:
    by_kind: dict[str, list[TimelineEntry]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, []).append(e)
    fill = {"chat": _chat_details, **svc.timeline_details}
    out: dict[int, dict[str, Any]] = {}
    for kind, some in by_kind.items():
        if kind in fill:
            out.update(await fill[kind](svc, s, viewer, some))
    return out


async def _chat_details(svc: Services, s: AsyncSession, viewer: User, entries: list[TimelineEntry]
                        ) -> dict[int, dict[str, Any]]:
    """Who wrote to whom, and for a party to it the colleague to open the conversation with."""
    found = await search_store.chat_messages(s, [e.ref_id for e in entries if e.ref_id])
    people = {uid for m, c in found.values() for uid in (m.sender_id, chat.other_party(c, m.sender_id))}
    names = await search_store.users_named(s, people)
    out = {}
    for e in entries:
        if e.ref_id not in found:
            continue
        msg, conv = found[e.ref_id]
        to = chat.other_party(conv, msg.sender_id)
        party = viewer.id in (msg.sender_id, to)
        out[e.id] = {"from": names.get(msg.sender_id, ""), "to": names.get(to, ""), "body": msg.body[:500],
                     "subject": msg.subject,
                     "open_with": (to if msg.sender_id == viewer.id else msg.sender_id) if party else None}
    return out
