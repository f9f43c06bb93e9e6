"""The socket's ``livechat.*`` messages: validated by their schema (``MESSAGES``), then one
action each. A website visitor's connection (role ``visitor``) has the visitor's handlers
and nothing else; an operator (a colleague) has typing only, the rest is REST
(docs/livechat.md)."""

from __future__ import annotations

from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import BadRequest
from chatserver.features import Handler
from chatserver.hub import Connection
from chatserver.protocol.schema import Field
from livechat.actions import ratings, routing, transcripts, visitor_messages

__all__ = ["HANDLERS", "MESSAGES", "VISITOR_HANDLERS"]


MESSAGES: dict[str, dict[str, Field]] = {
    # The first and last are a visitor's; typing is both sides' (an operator names the conversation).
    "livechat.send": {
        "body": Field(str), "client_msg_id": Field(str, max_length=64),
        # The site's pre-chat form, answered with the first message (livechat.prechat).
        "name": Field(str, required=False, max_length=200),
        "email": Field(str, required=False, max_length=254),
        "phone": Field(str, required=False, max_length=40),
    },
    "livechat.typing": {"conversation_id": Field(int, required=False), "typing": Field(bool)},
    "livechat.leave_message": {
        "name": Field(str, max_length=200),
        "email": Field(str, max_length=254),
        "phone": Field(str, required=False, max_length=40),
        "body": Field(str),
        # Optional, as in livechat.send: a form resent after a lost ack is stored once.
        "client_msg_id": Field(str, required=False, max_length=64),
    },
    # The visitor rates their resolved chat (CSAT; livechat/actions/ratings.py).
    "livechat.rate": {"score": Field(int, minimum=1, maximum=5), "comment": Field(str, required=False, max_length=1000)},
    # The visitor's own chat by e-mail (livechat/actions/transcripts.py; at most 3 an hour).
    "livechat.transcript": {"email": Field(str, max_length=254)},
}


async def _operator_typing(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("conversation_id") is None:
        raise BadRequest("livechat.typing: field 'conversation_id' is required", code="missing_field")
    await routing.operator_typing(svc, user, data["conversation_id"], data["typing"])
    return {}


async def _send(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await visitor_messages.send(svc, user, data["body"], data["client_msg_id"], form=data)


async def _typing(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    await visitor_messages.typing(svc, user, data["typing"])
    return {}


async def _leave(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await visitor_messages.leave_message(svc, user, data)


async def _rate(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await ratings.rate(svc, user, data["score"], data.get("comment", ""))


async def _transcript(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await transcripts.send_to_visitor(svc, user, data["email"])


# On colleagues' connections (an operator typing to a visitor).
HANDLERS: dict[str, Handler] = {"livechat.typing": _operator_typing}

# A website visitor's connection: its own conversation only (with hello and ping).
VISITOR_HANDLERS: dict[str, Handler] = {
    "livechat.send": _send,
    "livechat.typing": _typing,
    "livechat.leave_message": _leave,
    "livechat.rate": _rate,
    "livechat.transcript": _transcript,
}
