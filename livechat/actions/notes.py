"""Private notes: what operators write in a conversation for each other.

Operators see notes in the conversation and hear ``livechat.note``; the visitor never
does. Notes live in a table of their own, so none of the visitor's paths (their socket,
the widget's history, the conversation's last message, search) can return one.
"""

from __future__ import annotations

from typing import Any

from chatserver.actions.chat import check_body
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.protocol.schema import Field, fields
from livechat.actions.view import require_operator, roster
from livechat.storage import conversations as store
from livechat.storage import notes as notes_store

__all__ = ["NOTE", "add"]

# The REST body (docs/livechat.md).
NOTE = {"body": Field(str), "client_msg_id": Field(str, max_length=64)}


async def add(svc: Services, actor: User, conversation_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """An operator's note in a conversation of their organisation, in any state (a
    resolved chat stays resolved). Idempotent on ``client_msg_id``."""
    clean = fields("note", NOTE, data)
    body = check_body(svc, clean["body"], clean["client_msg_id"])
    async with svc.transaction() as tx:
        s = tx.session
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        existing = await notes_store.by_client_id(s, actor.id, clean["client_msg_id"])
        if existing is not None:
            return {"note": notes_store.note_dict(existing), "duplicate": True}
        note = await notes_store.add(s, conv.id, actor.id, actor.display_name, body, clean["client_msg_id"], tx.now)
        data_ = notes_store.note_dict(note)
        team = await roster(svc, s, actor.tenant_id)
        # The organisation's operators only: never the visitor.
        to = [i for i in team.ids if i != conv.visitor_user_id]
        await tx.emit_durable(to, "livechat.note", {"conversation_id": conv.id, "note": data_})
    return {"note": data_, "duplicate": False}
