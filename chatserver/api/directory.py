"""People, organisations, folders, groups, records and timelines over REST."""

from __future__ import annotations

from dataclasses import replace

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response

from chatserver.actions import chat, directory, records
from chatserver.api._common import actor, body, ok, path_id, query_int, services
from chatserver.api.contract import ID, ApiRoute, Op
from chatserver.protocol.events import CHAT_MESSAGE
from chatserver.protocol.schema import MESSAGES, NOT_BLANK, Field


def _kind(request: Request) -> str:
    # One of the route's declared kinds; /api/people and /api/records name theirs in the path.
    return str(request.path_params.get("kind") or request.url.path.split("/")[2])


async def listing(request: Request) -> Response:
    """List a collection of the caller's organisation; ``q`` filters by name."""
    user = await actor(request)
    return ok(
        await directory.listing(
            services(request), user, _kind(request), request.query_params.get("q", ""),
            query_int(request, "limit", 100), query_int(request, "offset", 0),
        )
    )


async def create_person(request: Request) -> Response:
    """Create a person (a candidate or a contact person)."""
    user = await actor(request)
    return ok(await directory.create_person(services(request), user, await body(request)), 201)


async def create_record(request: Request) -> Response:
    """Create a record: a candidate's, a vacancy, an appointment, ..."""
    user = await actor(request)
    return ok(await directory.create_record(services(request), user, await body(request)), 201)


async def create_named(request: Request) -> Response:
    """Create an organisation, folder or group: {"name"}."""
    user = await actor(request)
    return ok(await directory.create_named(services(request), user, request.path_params["kind"], await body(request)),
              201)


async def get_one(request: Request) -> Response:
    """One item by id."""
    user = await actor(request)
    return ok(await directory.get(services(request), user, _kind(request), path_id(request, "obj_id")))


async def import_people(request: Request) -> Response:
    """Bulk import: {"people": [{...}, ...]}, all or nothing, up to 20,000 at once."""
    user = await actor(request)
    data = await body(request)
    return ok(await directory.import_people(services(request), user, data["people"]), 201)


async def add_members(request: Request) -> Response:
    """Add people to a group: {"person_ids": [...]}."""
    user = await actor(request)
    data = await body(request)
    return ok(await directory.add_group_members(services(request), user, path_id(request, "obj_id"), data.get("person_ids")))


async def timeline(request: Request) -> Response:
    """A record with its person and its timeline, newest first (chats, SMS, video calls,
    appointments, recordings), each entry with ``details`` for its kind (a recording's
    player link, made out to the caller)."""
    user = await actor(request)
    return ok(await records.record_page(services(request), user, path_id(request, "obj_id")))


async def search(request: Request) -> Response:
    """The directory: colleagues, candidates, contact persons and records by a piece of their
    name (``q``; empty lists the first of each), ``kind`` one of them, ``limit`` per kind."""
    user = await actor(request)
    kind = request.query_params.get("kind") or None
    return ok(await records.search(services(request), user, request.query_params.get("q", ""), kind,
                                   query_int(request, "limit", 20)))


async def chat_about_record(request: Request) -> Response:
    """Message a contact about a record; the subject names it (IC-7). Body: {"to", "body", "client_msg_id"}."""
    user = await actor(request)
    clean = await body(request)
    result = await chat.send(
        services(request), user, clean["to"], clean["body"], clean["client_msg_id"],
        subject=clean.get("subject") or "", record_id=path_id(request, "obj_id"),
    )
    return ok(result, 201)


_KINDS = ("people", "organisations", "folders", "groups", "records")


_NAMED = ("organisations", "folders", "groups")  # they only have a name


class _Collection(Convertor[str]):
    """A path segment that is one of the collections, and nothing else matches: so
    ``/api/livechat/visit`` is no collection's item (its other methods answer 405, not 400)."""

    regex = "|".join(_KINDS)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class _Named(_Collection):
    """Only those with just a name: ``/api/people`` is its own path (a person's body)."""

    regex = "|".join(_NAMED)


register_url_convertor("collection", _Collection())
register_url_convertor("named", _Named())
_NAME = Field(str, max_length=200, pattern=NOT_BLANK)
_TEXT = Field(str, required=False, max_length=120)
_OPTIONAL_ID = Field(int, required=False, minimum=1)
PERSON = {
    "kind": Field(str, required=False, choices=directory.PERSON_KINDS), "name": _NAME, "function": _TEXT,
    "phone": Field(str, required=False, max_length=40), "mobile": Field(str, required=False, max_length=40),
    "email": Field(str, required=False, max_length=254), "external_ref": _TEXT,
    "organisation_id": _OPTIONAL_ID, "folder_id": _OPTIONAL_ID,
}
_RECORD = {"kind": Field(str, choices=directory.RECORD_KINDS), "title": Field(str, max_length=300, pattern=NOT_BLANK),
           "person_id": _OPTIONAL_ID}
_IDS = Field(list, items=ID, max_length=20_000)
# What the directory answers (storage.directory.to_dict: each column of the row).
_BASE = {"id": Field(int), "tenant_id": Field(int), "created_at": Field(str)}
_NAMED_OUT = {**_BASE, "name": Field(str)}  # an organisation, folder or group
_PERSON_OUT = {**_BASE, "kind": Field(str, choices=directory.PERSON_KINDS), "name": Field(str),
               "function": Field(str), "phone": Field(str), "mobile": Field(str), "email": Field(str),
               "organisation_id": Field(int, nullable=True), "folder_id": Field(int, nullable=True),
               "external_ref": Field(str)}
_RECORD_OUT = {**_BASE, "kind": Field(str, choices=directory.RECORD_KINDS), "title": Field(str),
               "person_id": Field(int, nullable=True)}
_MEMBERS = {"group_id": Field(int), "person_ids": Field(list, items=Field(int))}
# One of any kind: the fields of its kind (a group's with its members' ids), the others absent.
_ANY_OUT = {**_BASE, **{name: replace(f, required=False) for name, f in (
    _PERSON_OUT | _RECORD_OUT | {"person_ids": _MEMBERS["person_ids"]}).items() if name not in _BASE}}

# actions.records._person: a person with their organisation's name.
_PERSON_BRIEF = {"id": Field(int), "kind": Field(str), "name": Field(str), "function": Field(str),
                 "phone": Field(str), "mobile": Field(str), "email": Field(str), "organisation": Field(str),
                 "external_ref": Field(str)}
# records.search: up to ``limit`` of each kind asked for (each a list; a kind not asked absent).
_PERSON_FOUND = {"type": Field(str), **_PERSON_BRIEF, "record_id": Field(int, nullable=True)}
_FOUND = {"query": Field(str), "results": Field(dict, shape={
    "colleague": Field(list, required=False, items=Field(dict, shape={
        "type": Field(str), "id": Field(int), "name": Field(str), "function": Field(str, nullable=True),
        "is_contact": Field(bool), "me": Field(bool)})),
    "candidate": Field(list, required=False, items=Field(dict, shape=_PERSON_FOUND)),
    "contact_person": Field(list, required=False, items=Field(dict, shape=_PERSON_FOUND)),
    "record": Field(list, required=False, items=Field(dict, shape={
        "type": Field(str), "id": Field(int), "kind": Field(str), "name": Field(str), "record_id": Field(int)}))})}
# records.record_page: the record, its person (none, or gone) and its timeline, newest first.
# An entry: its row (storage.directory.to_dict), who made it (actor_name, "" for none) and
# what the page shows of it, by its kind: the chat's in the core, a feature's through
# Services.timeline_details (SMS, video calls, appointments, recordings), so ``details`` is
# an object whose fields each kind decides ({} for a kind with none).
_TIMELINE_ENTRY = {**_BASE, "record_id": Field(int), "kind": Field(str), "summary": Field(str),
                   "ref_id": Field(int, nullable=True), "actor_user_id": Field(int, nullable=True),
                   "actor_name": Field(str), "details": Field(dict)}
_TIMELINE = {"record": Field(dict, shape=_RECORD_OUT), "person": Field(dict, shape=_PERSON_BRIEF, nullable=True),
             "entries": Field(list, items=Field(dict, shape=_TIMELINE_ENTRY))}

def _page(shape: dict[str, Field]) -> dict[str, Field]:
    return {"items": Field(list, items=Field(dict, shape=shape)), "total": Field(int)}


_LISTING = Op(query={"q": Field(str, max_length=200), "limit": Field(int, minimum=1, maximum=500),
                     "offset": Field(int, minimum=0)})

routes = [
    ApiRoute("/api/directory", search, "GET", Op(query={
        "q": Field(str, max_length=100), "kind": Field(str, choices=records.KINDS),
        "limit": Field(int, minimum=1, maximum=100)}, answers=_FOUND)),
    ApiRoute("/api/people/import", import_people, "POST", Op(
        body={"people": Field(list, min_length=1, max_length=directory.MAX_IMPORT,
                              items=Field(dict, shape=PERSON, closed=True))},
        status=201, answers={"imported": Field(int)})),
    ApiRoute("/api/groups/{obj_id}/members", add_members, "POST", Op(body={"person_ids": _IDS}, answers=_MEMBERS)),
    ApiRoute("/api/records/{obj_id}/timeline", timeline, "GET", Op(answers=_TIMELINE)),
    ApiRoute("/api/records/{obj_id}/chat", chat_about_record, "POST", Op(
        body={k: f for k, f in MESSAGES["chat.send"].items() if k != "record_id"}, status=201,
        answers={"message": Field(dict, shape=CHAT_MESSAGE), "duplicate": Field(bool)})),
    ApiRoute("/api/people", create_person, "POST", Op(body=PERSON, closed=True, status=201, answers=_PERSON_OUT)),
    ApiRoute("/api/records", create_record, "POST", Op(body=_RECORD, status=201, answers=_RECORD_OUT)),
    ApiRoute("/api/people", listing, "GET", replace(_LISTING, answers=_page(_PERSON_OUT))),
    ApiRoute("/api/records", listing, "GET", replace(_LISTING, answers=_page(_RECORD_OUT))),
    ApiRoute("/api/{kind:named}", listing, "GET", replace(_LISTING, path={"kind": Field(str, choices=_NAMED)},
                                                           answers=_page(_NAMED_OUT))),
    ApiRoute("/api/{kind:named}", create_named, "POST", Op(
        path={"kind": Field(str, choices=_NAMED)}, body={"name": _NAME}, status=201, answers=_NAMED_OUT)),
    ApiRoute("/api/{kind:collection}/{obj_id:digits}", get_one, "GET", Op(
        path={"kind": Field(str, choices=_KINDS)}, answers=_ANY_OUT)),
]
