"""People, organisations, folders, groups, records and timelines over REST."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chatserver.actions import chat, directory, records
from chatserver.api._common import actor, body, ok, path_id, query_int, services
from chatserver.errors import BadRequest


def _kind(request: Request) -> str:
    kind = str(request.path_params["kind"])
    if kind not in ("people", "organisations", "folders", "groups", "records"):
        raise BadRequest(f"unknown collection {kind!r}", code="unknown_collection")
    return kind


async def listing(request: Request) -> Response:
    """List a collection of the caller's organisation; ``q`` filters by name."""
    user = await actor(request)
    return ok(
        await directory.listing(
            services(request), user, _kind(request), request.query_params.get("q", ""),
            query_int(request, "limit", 100), query_int(request, "offset", 0),
        )
    )


async def create(request: Request) -> Response:
    """Create a person, organisation, folder, group or record."""
    user = await actor(request)
    kind = _kind(request)
    data = await body(request)
    svc = services(request)
    if kind == "people":
        return ok(await directory.create_person(svc, user, data), 201)
    if kind == "records":
        return ok(await directory.create_record(svc, user, data), 201)
    return ok(await directory.create_named(svc, user, kind, data), 201)


async def get_one(request: Request) -> Response:
    """One item by id."""
    user = await actor(request)
    return ok(await directory.get(services(request), user, _kind(request), path_id(request, "obj_id")))


async def import_people(request: Request) -> Response:
    """Bulk import: {"people": [{...}, ...]}, all or nothing, up to 20,000 at once."""
    user = await actor(request)
    data = await body(request)
    people = data.get("people")
    if not isinstance(people, list):
        raise BadRequest("people must be a non-empty list", code="wrong_type", field="people")
    return ok(await directory.import_people(services(request), user, people), 201)


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
    data = await body(request)
    from chatserver.protocol.schema import validate

    clean = validate("chat.send", {**data, "record_id": path_id(request, "obj_id")})
    result = await chat.send(
        services(request), user, clean["to"], clean["body"], clean["client_msg_id"],
        subject=clean.get("subject", ""), record_id=clean["record_id"],
    )
    return ok(result, 201)


routes = [
    Route("/api/directory", search, methods=["GET"]),
    Route("/api/people/import", import_people, methods=["POST"]),
    Route("/api/groups/{obj_id}/members", add_members, methods=["POST"]),
    Route("/api/records/{obj_id}/timeline", timeline, methods=["GET"]),
    Route("/api/records/{obj_id}/chat", chat_about_record, methods=["POST"]),
    Route("/api/{kind}", listing, methods=["GET"]),
    Route("/api/{kind}", create, methods=["POST"]),
    Route("/api/{kind}/{obj_id}", get_one, methods=["GET"]),
]
