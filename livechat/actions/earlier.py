"""A returning visitor's earlier conversations, for the console's side panel: operators of
the conversation's organisation only (another organisation's conversation is a 404)."""

from __future__ import annotations

from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import User
from livechat.actions.view import require_operator
from livechat.storage import conversations as store
from livechat.storage import earlier as earlier_store

__all__ = ["earlier"]


async def earlier(svc: Services, actor: User, conversation_id: int) -> dict[str, Any]:
    """The other conversations of visitors with this visitor's e-mail address, newest
    first, each with its date, state and first message; none while no address is known."""
    async with svc.read() as s:
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        visitor = await store.get_visitor(s, conv.visitor_user_id)
        email = visitor.email.strip() if visitor else ""
        if not email:
            return {"email": "", "conversations": []}
        convs = await earlier_store.by_email(s, actor.tenant_id, email, conv.id)
        firsts = await store.last_messages(s, [c.id for c in convs], first=True)
        return {
            "email": email,
            "conversations": [
                {
                    "id": c.id,
                    "state": c.state,
                    "created_at": c.created_at.isoformat(),
                    "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
                    "first_message": firsts[c.id].body if c.id in firsts else "",
                }
                for c in convs
            ],
        }
