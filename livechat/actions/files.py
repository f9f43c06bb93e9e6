"""Files in live chat (docs/files.md): sent by a website visitor or by an operator, each as
a message of the conversation through live chat's own send paths; and live chat's rule for
who may see one (chatserver.files.access): the conversation's visitor, and the operators
of its organisation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.chat import check_body
from chatserver.actions.chat_batch import Attach
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import ChatError, Conflict
from chatserver.files.access import FileAccess
from chatserver.files.actions import Place, send_file
from chatserver.files.sending import FILE
from livechat.actions import routing, visitor_messages, visits
from livechat.actions.view import require_operator
from livechat.models import LiveConversation
from livechat.storage import conversations as store

__all__ = ["PLACE", "by_operator", "by_visitor", "may_see", "register"]

PLACE: Place = "livechat_conversation_id"  # the file row's column that names the conversation


async def may_see(s: AsyncSession, viewer: User, conversation_id: int) -> bool:
    conv = await s.get(LiveConversation, conversation_id)
    if conv is None:
        return False
    if viewer.role == "visitor":
        return conv.visitor_user_id == viewer.id
    if viewer.tenant_id != conv.tenant_id:
        return False
    try:
        await require_operator(s, viewer)
    except ChatError:
        return False
    return True


def register(svc: Services) -> None:
    svc.get(FileAccess).register(PLACE, may_see)


async def by_visitor(svc: Services, actor: User, name: str, client_msg_id: str,
                     chunks: AsyncIterator[bytes]) -> dict[str, Any]:
    """A website visitor's file in their own conversation (opened by it when new, as a
    first message would)."""
    check_body(svc, name, client_msg_id)
    await visits.visitor_conversation(svc, actor)  # a visitor's token, or refused now

    async def send(described: dict[str, Any], attach: Attach) -> dict[str, Any]:
        return await visitor_messages.send(svc, actor, described["name"], client_msg_id, kind=FILE,
                                           meta={"file": described}, attach=attach)

    return await send_file(svc, actor, PLACE, name, chunks, send)


async def by_operator(svc: Services, actor: User, conversation_id: int, name: str, client_msg_id: str,
                      chunks: AsyncIterator[bytes]) -> dict[str, Any]:
    """An operator's file to the visitor of a conversation of their organisation."""
    check_body(svc, name, client_msg_id)
    async with svc.read() as s:  # refused before a byte is kept: not theirs, or resolved
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        if conv.state == "resolved":
            raise Conflict("this chat is resolved: a file cannot be sent in it", code="conversation_resolved")

    async def send(described: dict[str, Any], attach: Attach) -> dict[str, Any]:
        return await routing.reply(svc, actor, conversation_id, described["name"], client_msg_id,
                                   kind=FILE, meta={"file": described}, attach=attach)

    return await send_file(svc, actor, PLACE, name, chunks, send)
