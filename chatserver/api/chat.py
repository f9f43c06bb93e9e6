"""Contacts, requests, conversations and messages over REST."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chatserver.actions import chat, contacts, presence
from chatserver.api._common import actor, body, ok, path_id, query_int, services
from chatserver.errors import BadRequest
from chatserver.presence import STATUSES
from chatserver.storage import contacts as contact_store


async def search(request: Request) -> Response:
    """Suggestions while typing a name (at least 2 characters), optionally by function."""
    user = await actor(request)
    q = request.query_params.get("q", "")
    function = request.query_params.get("function") or None
    limit = query_int(request, "limit", 20)
    if not 1 <= limit <= 50:
        raise BadRequest("limit must be between 1 and 50", code="invalid_value")
    return ok({"results": await contacts.search(services(request), user, q, function, limit)})


async def functions(request: Request) -> Response:
    """The functions (job titles) in the caller's organisation, for the search filter."""
    user = await actor(request)
    async with services(request).read() as s:
        return ok({"functions": await contact_store.functions(s, user.tenant_id)})


async def list_contacts(request: Request) -> Response:
    """Contacts with what each shows as presence."""
    user = await actor(request)
    return ok({"contacts": await contacts.contact_list(services(request), user)})


async def recent(request: Request) -> Response:
    """People recently chatted with, newest first, with unread counts."""
    user = await actor(request)
    return ok({"recent": await contacts.recent(services(request), user)})


async def remove_contact(request: Request) -> Response:
    """Remove a contact (both sides)."""
    user = await actor(request)
    await contacts.remove(services(request), user, path_id(request, "user_id"))
    return ok({"ok": True})


async def list_requests(request: Request) -> Response:
    """Pending contact requests, incoming and outgoing."""
    user = await actor(request)
    return ok(await contacts.requests(services(request), user))


async def make_request(request: Request) -> Response:
    """Ask a user to become a contact. Body: {"user_id": ...}."""
    user = await actor(request)
    data = await body(request)
    target = data.get("user_id")
    if isinstance(target, bool) or not isinstance(target, int):
        raise BadRequest("user_id must be an id", code="wrong_type", field="user_id")
    return ok(await contacts.request(services(request), user, target), 201)


async def answer_request(request: Request) -> Response:
    """Accept, decline, or decline and block a request made to the caller."""
    user = await actor(request)
    answer = request.path_params["answer"]
    return ok(await contacts.respond(services(request), user, path_id(request, "request_id"), answer))


async def conversations(request: Request) -> Response:
    """Conversations with unread counts; ``badge`` counts those with unread messages."""
    user = await actor(request)
    return ok(await chat.conversations(services(request), user))


async def open_conversation(request: Request) -> Response:
    """The conversation with a contact (created when new). Body: {"user_id": ...}."""
    user = await actor(request)
    data = await body(request)
    other = data.get("user_id")
    if isinstance(other, bool) or not isinstance(other, int):
        raise BadRequest("user_id must be an id", code="wrong_type", field="user_id")
    return ok(await chat.conversation_with(services(request), user, other))


async def history(request: Request) -> Response:
    """Messages, oldest first, in pages: pass ``next_before`` back as ``before`` for older ones."""
    user = await actor(request)
    return ok(
        await chat.history(
            services(request), user, path_id(request, "conversation_id"),
            before=query_int(request, "before", None), limit=query_int(request, "limit", 50),
        )
    )


async def send(request: Request) -> Response:
    """Send a message. Body: {"to", "body", "client_msg_id", "subject"?, "record_id"?}."""
    user = await actor(request)
    data = await body(request)
    from chatserver.protocol.schema import validate

    clean = validate("chat.send", data)
    result = await chat.send(
        services(request), user, clean["to"], clean["body"], clean["client_msg_id"],
        subject=clean.get("subject", ""), record_id=clean.get("record_id"),
    )
    return ok(result, 200 if result["duplicate"] else 201)


async def mark_read(request: Request) -> Response:
    """Move the caller's read marker. Body: {"message_id": ...}."""
    user = await actor(request)
    data = await body(request)
    message_id = data.get("message_id")
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        raise BadRequest("message_id must be an id", code="wrong_type", field="message_id")
    return ok(await chat.mark_read(services(request), user, path_id(request, "conversation_id"), message_id))


async def set_status(request: Request) -> Response:
    """Set the caller's own status: online, away, dnd, invisible or offline."""
    user = await actor(request)
    data = await body(request)
    status = data.get("status")
    if status not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}", code="invalid_value", field="status")
    return ok({"status": await presence.set_status(services(request), user, status)})


routes = [
    Route("/api/people/search", search, methods=["GET"]),
    Route("/api/functions", functions, methods=["GET"]),
    Route("/api/contacts", list_contacts, methods=["GET"]),
    Route("/api/contacts/recent", recent, methods=["GET"]),
    Route("/api/contacts/{user_id}", remove_contact, methods=["DELETE"]),
    Route("/api/contact-requests", list_requests, methods=["GET"]),
    Route("/api/contact-requests", make_request, methods=["POST"]),
    Route("/api/contact-requests/{request_id}/{answer}", answer_request, methods=["POST"]),
    Route("/api/conversations", conversations, methods=["GET"]),
    Route("/api/conversations", open_conversation, methods=["POST"]),
    Route("/api/conversations/{conversation_id}/messages", history, methods=["GET"]),
    Route("/api/conversations/{conversation_id}/read", mark_read, methods=["POST"]),
    Route("/api/messages", send, methods=["POST"]),
    Route("/api/status", set_status, methods=["PUT"]),
]
