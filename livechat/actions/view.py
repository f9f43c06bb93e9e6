"""What live-chat actions share: who the operators are and who is online, and how a
conversation is shown to operators and to its visitor.

An operator is *online* when their availability is online and they are connected to
the hub; *reachable online* operators also have ``livechat.reachable`` and are the ones
visitors are routed to (LC-3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions import notify
from chatserver.actions.context import Services, Tx
from chatserver.db.models import User
from chatserver.errors import Forbidden
from chatserver.storage import accounts
from chatserver.storage import settings as settings_store
from chatserver.webhooks import outbox as webhooks
from livechat.actions.names import alias
from livechat.models import LiveConversation
from livechat.storage import conversations as store
from livechat.storage import labels as labels_store
from livechat.storage import ratings as ratings_store

VISITOR = "Visitor"


@dataclass
class Roster:
    """The tenant's operators now."""

    operators: list[User] = field(default_factory=list)
    reachable: set[int] = field(default_factory=set)
    online: set[int] = field(default_factory=set)

    @property
    def ids(self) -> list[int]:
        return [u.id for u in self.operators]

    @property
    def routable(self) -> list[User]:
        """Reachable and online: who gets new visitors."""
        return [u for u in self.operators if u.id in self.online and u.id in self.reachable]

    def get(self, user_id: int) -> User | None:
        return next((u for u in self.operators if u.id == user_id), None)


async def roster(svc: Services, s: AsyncSession, tenant_id: int) -> Roster:
    ops = await store.operators(s, tenant_id)
    avail = await store.availability(s, tenant_id)
    connected = await svc.presence.connected([u.id for u, _ in ops]) if ops else set()
    return Roster(
        operators=[u for u, _ in ops],
        reachable={u.id for u, reachable in ops if reachable},
        online={u.id for u, _ in ops if u.id in connected and u.id in avail and avail[u.id].online},
    )


async def require_operator(s: AsyncSession, user: User) -> None:
    values = await settings_store.effective_many(s, user.tenant_id, [user.id], "livechat.enabled")
    if not values[user.id]:
        raise Forbidden("live chat is not enabled for you; a key-user can enable it", code="livechat_disabled")


async def conversation_dicts(s: AsyncSession, convs: list[LiveConversation]) -> list[dict[str, Any]]:
    """Conversations as operators see them, in a handful of queries."""
    sites = await store.sites_by_ids(s, list({c.site_id for c in convs}))
    visitors = await store.visitors_by_ids(s, [c.visitor_user_id for c in convs])
    ops = await accounts.users_by_ids(s, [c.operator_id for c in convs if c.operator_id is not None])
    lasts = await store.last_messages(s, [c.id for c in convs])
    labels = await labels_store.label_ids_of(s, [c.id for c in convs])
    ratings = await ratings_store.latest(s, [c.id for c in convs])
    out = []
    for c in convs:
        site = sites.get(c.site_id)
        v = visitors.get(c.visitor_user_id)
        op = ops.get(c.operator_id) if c.operator_id is not None else None
        last = lasts.get(c.id)
        out.append(
            {
                "id": c.id,
                "site": {"id": c.site_id, "name": site.name if site else ""},
                "state": c.state,
                "operator": {"id": op.id, "name": op.display_name} if op else None,
                "visitor": {
                    "id": c.visitor_user_id,
                    "name": v.name if v else "",
                    # Shown while the visitor has no name (LC names: colour + animal).
                    "alias": alias(c.visitor_user_id),
                    "email": v.email if v else "",
                    "phone": v.phone if v else "",
                    "browser": v.browser if v else "",
                    "ip": v.ip if v else "",
                    "language": v.language if v else "",
                    "url": v.url if v else "",
                    "referrer": v.referrer if v else "",
                    "user_agent": v.user_agent if v else "",
                    # What the visitor gave where it differs from an operator's entry.
                    "suggested": dict(v.suggested or {}) if v else {},
                },
                "created_at": c.created_at.isoformat(),
                "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
                "last_message": store.message_dict(last) if last else None,
                "unread": c.unread,
                # Operators' only (for_visitor leaves it out); names: GET /api/livechat/labels.
                "label_ids": labels.get(c.id, []),
                # The visitor's latest rating (CSAT), or null.
                "rating": ratings_store.rating_dict(ratings[c.id]) if c.id in ratings else None,
            }
        )
    return out


async def conversation_dict(s: AsyncSession, conv: LiveConversation) -> dict[str, Any]:
    return (await conversation_dicts(s, [conv]))[0]


async def own_conversation(s: AsyncSession, actor: User, doing: str) -> LiveConversation | None:
    """A website visitor's own conversation (None before they wrote); anyone else is
    refused: a visitor's requests never name a conversation, so none reaches another's."""
    visitor = await store.get_visitor(s, actor.id) if actor.role == "visitor" else None
    if visitor is None:
        raise Forbidden(f"only a website visitor can {doing}", code="visitors_only")
    return await store.conversation_of_visitor(s, actor.id)


def for_visitor(conv: dict[str, Any]) -> dict[str, Any]:
    """The visitor's view of their own conversation: no captured details, no operator counters."""
    v = conv["visitor"]
    rating = conv["rating"]
    # Their rating of this resolution only: a chat resolved again is theirs to rate again.
    if rating is not None and (conv["resolved_at"] is None or rating["created_at"] < conv["resolved_at"]):
        rating = None
    return {
        **{k: conv[k] for k in ("id", "site", "state", "operator", "created_at", "resolved_at", "last_message")},
        "visitor": {"id": v["id"], "name": v["name"], "email": v["email"], "phone": v["phone"]},
        "rating": rating,
        # An operator has read all the visitor wrote (the widget's "Seen").
        "seen": conv["unread"] == 0,
    }


async def emit_updated(
    tx: Tx, conv: LiveConversation, operator_ids: list[int], *, visitor: bool = True
) -> dict[str, Any]:
    """``livechat.updated`` to the tenant's operators and (their own view) to the visitor;
    ``visitor=False`` for a change the visitor's view does not show (labels)."""
    data = await conversation_dict(tx.session, conv)
    ids = [i for i in operator_ids if i != conv.visitor_user_id]
    to_visitor = [conv.visitor_user_id] if visitor else []
    await tx.emit_durable(
        [*ids, *to_visitor],
        "livechat.updated",
        [*({"conversation": data} for _ in ids), *({"conversation": for_visitor(data)} for _ in to_visitor)],
    )
    await webhooks.record(tx, conv.tenant_id, "conversation.updated", {"conversation": data},
                          conversation_id=conv.id)
    return data


async def emit_incoming(tx: Tx, conv: LiveConversation, to: list[User]) -> None:
    if not to:
        return
    data = await conversation_dict(tx.session, conv)
    levels = await notify.levels(tx.session, to, "notify.livechat_message")
    await tx.emit_durable(
        [u.id for u in to], "livechat.incoming", [{"conversation": data, "notify": levels[u.id]} for u in to]
    )


async def emit_message(
    tx: Tx, conv: LiveConversation, message: dict[str, Any], operators: list[User], sender_id: int
) -> None:
    """``livechat.message`` to the visitor and the operators given; the sender is not notified."""
    others = [u for u in operators if u.id != sender_id]
    levels = await notify.levels(tx.session, others, "notify.livechat_message") if others else {}
    ids = [conv.visitor_user_id] + [u.id for u in operators]
    datas = [{"conversation_id": conv.id, "message": message, "notify": 0}]
    datas += [{"conversation_id": conv.id, "message": message, "notify": levels.get(u.id, 0)} for u in operators]
    await tx.emit_durable(ids, "livechat.message", datas)
    await webhooks.record(tx, conv.tenant_id, "message.created", {"conversation_id": conv.id, "message": message},
                          conversation_id=conv.id)
