"""Ratings (CSAT): after an operator resolves a chat, the widget asks the visitor for a
score of 1 to 5 and an optional comment. Operators see the latest rating on the
conversation; the overview averages them.

A chat is rated once per resolution: the visitor writing again reopens it, and once
resolved again it may be rated again.
"""

from __future__ import annotations

from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import Conflict
from livechat.actions.view import (
    conversation_dict,
    emit_updated,
    for_visitor,
    own_conversation,
    roster,
)
from livechat.storage import ratings as ratings_store

__all__ = ["MAX_COMMENT", "rate"]

MAX_COMMENT = 1000


async def rate(svc: Services, actor: User, score: int, comment: str) -> dict[str, Any]:
    """The visitor rates their resolved chat (``score`` and ``comment`` checked by the
    input layer: protocol.schema's ``livechat.rate``). Answers their view of it."""
    async with svc.transaction() as tx:
        s = tx.session
        conv = await own_conversation(s, actor, "rate their chat")
        if conv is None or conv.state != "resolved" or conv.resolved_at is None:
            raise Conflict("a chat is rated once it is resolved", code="conversation_not_resolved")
        last = (await ratings_store.latest(s, [conv.id])).get(conv.id)
        if last is not None and last.created_at >= conv.resolved_at:
            raise Conflict("this chat has been rated already", code="already_rated")
        await ratings_store.add(s, conv.tenant_id, conv.id, conv.operator_id, score, comment.strip(), tx.now)
        team = await roster(svc, s, conv.tenant_id)
        await emit_updated(tx, conv, team.ids)
        return {"conversation": for_visitor(await conversation_dict(s, conv))}
