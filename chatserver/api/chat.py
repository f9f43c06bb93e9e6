"""Contacts, requests, conversations and messages over REST."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.actions import chat, contacts, presence
from chatserver.api._common import actor, body, ok, path_id, query_int, services
from chatserver.api.contract import ID, ApiRoute, Op
from chatserver.presence import STATUSES
from chatserver.protocol.events import CHAT_MESSAGE, CONTACT_REQUEST, EVENTS, USER
from chatserver.protocol.schema import MESSAGES, Field
from chatserver.storage import contacts as contact_store


async def search(request: Request) -> Response:
    """Suggestions while typing a name (at least 2 characters), optionally by function."""
    user = await actor(request)
    q = request.query_params.get("q", "")
    function = request.query_params.get("function") or None
    limit = query_int(request, "limit", 20)  # 1..50: the route's declaration
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
    return ok(await contacts.request(services(request), user, data["user_id"]), 201)


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
    return ok(await chat.conversation_with(services(request), user, data["user_id"]))


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
    clean = await body(request)  # the fields of the socket's chat.send (the route's declaration)
    result = await chat.send(
        services(request), user, clean["to"], clean["body"], clean["client_msg_id"],
        subject=clean.get("subject") or "", record_id=clean.get("record_id"),
    )
    return ok(result, 200 if result["duplicate"] else 201)


async def mark_read(request: Request) -> Response:
    """Move the caller's read marker. Body: {"message_id": ...}."""
    user = await actor(request)
    data = await body(request)
    return ok(await chat.mark_read(services(request), user, path_id(request, "conversation_id"), data["message_id"]))


async def set_status(request: Request) -> Response:
    """Set the caller's own status: online, away, dnd, invisible or offline."""
    user = await actor(request)
    data = await body(request)
    return ok({"status": await presence.set_status(services(request), user, data["status"])})


_USER_ID = {"user_id": ID}
_MESSAGE = Field(dict, shape=CHAT_MESSAGE)
_SENT = {"message": _MESSAGE, "duplicate": Field(bool)}
_OK = {"ok": Field(bool)}
_LIMIT = Field(int, minimum=1, maximum=200)
# A person as actions.contacts shows them: what anyone may see (USER), and the viewer's view.
_STATUS = Field(str, choices=STATUSES)
_FOUND = Field(dict, shape={**USER, "external": Field(bool), "is_contact": Field(bool)})
_CONTACT = Field(dict, shape={**USER, "external": Field(bool), "status": _STATUS})
_RECENT = Field(dict, shape={**USER, "status": _STATUS, "conversation_id": Field(int), "unread": Field(int),
                             "last_message_at": Field(str, nullable=True)})
_REQUESTS = Field(list, items=Field(dict, shape=CONTACT_REQUEST))
# actions.chat.conversations: with whom (null: that account is gone), unread, both sides' markers.
_CONVERSATION = Field(dict, shape={
    "id": Field(int), "with": Field(dict, shape=USER, nullable=True), "unread": Field(int),
    "last_read_message_id": Field(int), "their_read_message_id": Field(int),
    "their_delivered_message_id": Field(int), "last_message": Field(dict, shape=CHAT_MESSAGE, nullable=True)})

routes = [
    ApiRoute("/api/people/search", search, "GET", Op(
        query={"q": Field(str, max_length=200), "function": Field(str, max_length=200),
               "limit": Field(int, minimum=1, maximum=50)},
        answers={"results": Field(list, items=_FOUND)})),
    ApiRoute("/api/functions", functions, "GET", Op(answers={"functions": Field(list, items=Field(str))})),
    ApiRoute("/api/contacts", list_contacts, "GET", Op(answers={"contacts": Field(list, items=_CONTACT)})),
    ApiRoute("/api/contacts/recent", recent, "GET", Op(answers={"recent": Field(list, items=_RECENT)})),
    ApiRoute("/api/contacts/{user_id:digits}", remove_contact, "DELETE", Op(answers=_OK)),
    ApiRoute("/api/contact-requests", list_requests, "GET", Op(
        answers={"incoming": _REQUESTS, "outgoing": _REQUESTS})),
    ApiRoute("/api/contact-requests", make_request, "POST", Op(body=_USER_ID, status=201, answers=CONTACT_REQUEST)),
    ApiRoute("/api/contact-requests/{request_id}/{answer}", answer_request, "POST", Op(
        path={"answer": Field(str, choices=("accept", "decline", "block"))}, answers=CONTACT_REQUEST)),
    ApiRoute("/api/conversations", conversations, "GET", Op(
        answers={"conversations": Field(list, items=_CONVERSATION), "badge": Field(int)})),
    ApiRoute("/api/conversations", open_conversation, "POST", Op(body=_USER_ID, answers={"id": Field(int)})),
    ApiRoute("/api/conversations/{conversation_id}/messages", history, "GET", Op(
        query={"before": ID, "limit": _LIMIT},
        answers={"conversation_id": Field(int), "messages": Field(list, items=_MESSAGE),
                 "next_before": Field(int, nullable=True),
                 # By user id (as text): the last message each member read, and received.
                 "read_markers": Field(dict), "delivered_markers": Field(dict)})),
    ApiRoute("/api/conversations/{conversation_id}/read", mark_read, "POST", Op(
        body={"message_id": ID}, answers=EVENTS["chat.read"].data)),
    ApiRoute("/api/messages", send, "POST", Op(body=MESSAGES["chat.send"], status=201, also=(200,), answers=_SENT)),
    ApiRoute("/api/status", set_status, "PUT", Op(body={"status": Field(str, choices=STATUSES)},
                                                   answers={"status": Field(str)})),
]
