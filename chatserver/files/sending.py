"""A file sent in each kind of conversation: to a colleague, by a website visitor, by an
operator to a visitor. Each sends its message through the conversation's own send path
(:func:`chatserver.files.actions.send_file` does the rest)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from chatserver.actions import chat, livechat, livechat_routing
from chatserver.actions.context import Services
from chatserver.actions.livechat_view import require_operator
from chatserver.db.models import User
from chatserver.errors import Conflict
from chatserver.files.actions import send_file
from chatserver.storage import livechat as livechat_store

__all__ = ["FILE", "by_operator", "by_visitor", "to_colleague"]

FILE = "file"  # the message's kind; its meta is {"file": {...}} (storage.file_dict)


async def to_colleague(svc: Services, actor: User, to: int, name: str, client_msg_id: str,
                       chunks: AsyncIterator[bytes]) -> dict[str, Any]:
    """A file to a contact, in the chat with them (created when new): refused before a
    byte is kept when ``to`` is not a contact."""
    chat.check_body(svc, name, client_msg_id)
    await chat.conversation_with(svc, actor, to)

    async def send(described: dict[str, Any]) -> dict[str, Any]:
        return await chat.send_note(svc, actor, to, described["name"], client_msg_id, kind=FILE,
                                    meta={"file": described})

    return await send_file(svc, actor, "conversation_id", name, chunks, send)


async def by_visitor(svc: Services, actor: User, name: str, client_msg_id: str,
                     chunks: AsyncIterator[bytes]) -> dict[str, Any]:
    """A website visitor's file in their own conversation (opened by it when new, as a
    first message would)."""
    chat.check_body(svc, name, client_msg_id)
    await livechat.visitor_conversation(svc, actor)  # a visitor's token, or refused now

    async def send(described: dict[str, Any]) -> dict[str, Any]:
        return await livechat.send(svc, actor, described["name"], client_msg_id, kind=FILE,
                                   meta={"file": described})

    return await send_file(svc, actor, "livechat_conversation_id", name, chunks, send)


async def by_operator(svc: Services, actor: User, conversation_id: int, name: str, client_msg_id: str,
                      chunks: AsyncIterator[bytes]) -> dict[str, Any]:
    """An operator's file to the visitor of a conversation of their organisation."""
    chat.check_body(svc, name, client_msg_id)
    async with svc.read() as s:  # refused before a byte is kept: not theirs, or resolved
        await require_operator(s, actor)
        conv = await livechat_store.get_conversation(s, conversation_id, actor.tenant_id)
        if conv.state == "resolved":
            raise Conflict("this chat is resolved: a file cannot be sent in it", code="conversation_resolved")

    async def send(described: dict[str, Any]) -> dict[str, Any]:
        return await livechat_routing.reply(svc, actor, conversation_id, described["name"], client_msg_id,
                                            kind=FILE, meta={"file": described})

    return await send_file(svc, actor, "livechat_conversation_id", name, chunks, send)
