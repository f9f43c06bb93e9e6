"""A file sent to a colleague, in the chat with them (live chat sends its files from its
own package: livechat.actions.files). The message goes through the chat's own
send path; :func:`chatserver.files.actions.send_file` does the rest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from chatserver.actions import chat
from chatserver.actions.chat_batch import Attach
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.files.actions import send_file

__all__ = ["FILE", "to_colleague"]

FILE = "file"  # the message's kind; its meta is {"file": {...}} (storage.file_dict)


async def to_colleague(svc: Services, actor: User, to: int, name: str, client_msg_id: str,
                       chunks: AsyncIterator[bytes]) -> dict[str, Any]:
    """A file to a contact, in the chat with them (created when new): refused before a
    byte is kept when ``to`` is not a contact."""
    chat.check_body(svc, name, client_msg_id)
    await chat.conversation_with(svc, actor, to)

    async def send(described: dict[str, Any], attach: Attach) -> dict[str, Any]:
        return await chat.send_note(svc, actor, to, described["name"], client_msg_id, kind=FILE,
                                    meta={"file": described}, attach=attach)

    return await send_file(svc, actor, "conversation_id", name, chunks, send)
