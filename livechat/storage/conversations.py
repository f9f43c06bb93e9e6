"""Live chat SQL: sites, visitors, conversations, messages, availability (LC-1..LC-11).

Every lookup by a client's id takes the caller's tenant and answers NotFound for
another tenant's rows, so ids do not leak.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import ANONYMOUS_ROLES, User
from chatserver.errors import NotFound
from chatserver.storage import settings as settings_store
from livechat.models import LiveConversation, LiveMessage, OperatorAvailability, Site, Visitor
from livechat.storage import labels

# --- sites -----------------------------------------------------------------------------


async def create_site(
    s: AsyncSession, tenant_id: int, name: str, origins: list[str], greeting: dict[str, str], now: datetime
) -> Site:
    site = Site(tenant_id=tenant_id, name=name, origins=origins, greeting=greeting, created_at=now)
    s.add(site)
    await s.flush()
    return site


async def sites_of(s: AsyncSession, tenant_id: int) -> list[Site]:
    q = select(Site).where(Site.tenant_id == tenant_id).order_by(Site.id)
    return list((await s.execute(q)).scalars())


async def get_site(s: AsyncSession, site_id: int, *, tenant_id: int | None = None) -> Site:
    site = await s.get(Site, site_id)
    if site is None or (tenant_id is not None and site.tenant_id != tenant_id):
        raise NotFound(f"no live-chat site with id {site_id}", code="no_such_site")
    return site


async def sites_by_ids(s: AsyncSession, ids: list[int]) -> dict[int, Site]:
    if not ids:
        return {}
    return {x.id: x for x in (await s.execute(select(Site).where(Site.id.in_(ids)))).scalars()}


# --- visitors --------------------------------------------------------------------------


async def create_visitor(s: AsyncSession, user: User, site: Site, details: dict[str, str], now: datetime) -> Visitor:
    visitor = Visitor(
        user_id=user.id, tenant_id=site.tenant_id, site_id=site.id, created_at=now, last_seen_at=now, **details
    )
    s.add(visitor)
    await s.flush()
    return visitor


async def get_visitor(s: AsyncSession, user_id: int) -> Visitor | None:
    return await s.get(Visitor, user_id)


async def visitors_by_ids(s: AsyncSession, ids: list[int]) -> dict[int, Visitor]:
    if not ids:
        return {}
    return {v.user_id: v for v in (await s.execute(select(Visitor).where(Visitor.user_id.in_(ids)))).scalars()}


async def recent_visitor_ids(s: AsyncSession, tenant_id: int, since: datetime) -> list[int]:
    q = select(Visitor.user_id).where(Visitor.tenant_id == tenant_id, Visitor.last_seen_at >= since)
    return [uid for (uid,) in (await s.execute(q)).all()]


# --- conversations ---------------------------------------------------------------------


async def conversation_of_visitor(s: AsyncSession, visitor_user_id: int) -> LiveConversation | None:
    q = select(LiveConversation).where(LiveConversation.visitor_user_id == visitor_user_id)
    return (await s.execute(q)).scalar_one_or_none()


async def get_conversation(s: AsyncSession, conversation_id: int, tenant_id: int) -> LiveConversation:
    conv = await s.get(LiveConversation, conversation_id)
    if conv is None or conv.tenant_id != tenant_id:
        raise NotFound(f"no live-chat conversation with id {conversation_id}")
    return conv


async def create_conversation(s: AsyncSession, visitor: Visitor, now: datetime) -> LiveConversation:
    conv = LiveConversation(
        tenant_id=visitor.tenant_id, site_id=visitor.site_id, visitor_user_id=visitor.user_id,
        state="incoming", created_at=now, opened_at=now, unread=0,
    )
    s.add(conv)
    await s.flush()
    return conv


async def list_conversations(
    s: AsyncSession,
    tenant_id: int,
    *,
    state: str | None,
    resolved_from: datetime | None,
    resolved_to: datetime | None,
    text: str | None,
    limit: int,
    label_id: int | None = None,
) -> list[LiveConversation]:
    """Newest activity first; ``text`` matches the visitor's name, e-mail, phone or any
    message; ``label_id``: only conversations that carry the label."""
    q = select(LiveConversation).where(LiveConversation.tenant_id == tenant_id)
    if state is not None:
        q = q.where(LiveConversation.state == state)
    if label_id is not None:
        q = q.where(LiveConversation.id.in_(labels.conversations_with(label_id)))
    if resolved_from is not None and resolved_to is not None:
        q = q.where(LiveConversation.resolved_at >= resolved_from, LiveConversation.resolved_at < resolved_to)
    if text:
        pattern = f"%{text.lower()}%"
        by_visitor = select(Visitor.user_id).where(
            Visitor.tenant_id == tenant_id,
            or_(
                func.lower(Visitor.name).like(pattern),
                func.lower(Visitor.email).like(pattern),
                func.lower(Visitor.phone).like(pattern),
            ),
        )
        by_text = select(LiveMessage.conversation_id).where(func.lower(LiveMessage.body).like(pattern))
        q = q.where(or_(LiveConversation.visitor_user_id.in_(by_visitor), LiveConversation.id.in_(by_text)))
    order = func.coalesce(LiveConversation.resolved_at, LiveConversation.last_message_at, LiveConversation.created_at)
    q = q.order_by(order.desc(), LiveConversation.id.desc()).limit(limit)
    return list((await s.execute(q)).scalars())


async def active_counts(s: AsyncSession, tenant_id: int) -> dict[int, int]:
    """Active conversations per operator."""
    q = (
        select(LiveConversation.operator_id, func.count())
        .where(LiveConversation.tenant_id == tenant_id, LiveConversation.state == "active")
        .group_by(LiveConversation.operator_id)
    )
    return {op: n for op, n in (await s.execute(q)).all() if op is not None}


async def state_counts(s: AsyncSession, tenant_id: int) -> dict[str, int]:
    q = (
        select(LiveConversation.state, func.count())
        .where(LiveConversation.tenant_id == tenant_id)
        .group_by(LiveConversation.state)
    )
    return {st: n for st, n in (await s.execute(q)).all()}


async def timings(s: AsyncSession, tenant_id: int) -> tuple[list[float], list[float]]:
    """(seconds from opening to resolution of resolved chats, first response seconds)."""
    q = select(
        LiveConversation.state, LiveConversation.opened_at, LiveConversation.resolved_at,
        LiveConversation.first_response_s,
    ).where(LiveConversation.tenant_id == tenant_id)
    resolution: list[float] = []
    first: list[float] = []
    for state, opened, resolved, first_s in (await s.execute(q)).all():
        if state == "resolved" and resolved is not None:
            resolution.append((resolved - opened).total_seconds())
        if first_s is not None:
            first.append(float(first_s))
    return resolution, first


# --- messages --------------------------------------------------------------------------


async def add_message(
    s: AsyncSession,
    conv: LiveConversation,
    *,
    sender: str,
    sender_user_id: int | None,
    sender_name: str,
    body: str,
    client_msg_id: str | None,
    now: datetime,
    kind: str = "text",
    meta: dict[str, Any] | None = None,
) -> LiveMessage:
    msg = LiveMessage(
        conversation_id=conv.id, sender=sender, sender_user_id=sender_user_id, sender_name=sender_name,
        client_msg_id=client_msg_id, body=body, created_at=now, kind=kind, meta=meta,
    )
    s.add(msg)
    conv.last_message_at = now
    await s.flush()
    return msg


async def message_by_client_id(s: AsyncSession, sender_user_id: int, client_msg_id: str) -> LiveMessage | None:
    q = select(LiveMessage).where(
        LiveMessage.sender_user_id == sender_user_id, LiveMessage.client_msg_id == client_msg_id
    )
    return (await s.execute(q)).scalar_one_or_none()


async def messages(s: AsyncSession, conversation_id: int, limit: int = 1000) -> list[LiveMessage]:
    """The last ``limit`` messages, oldest first."""
    q = (
        select(LiveMessage)
        .where(LiveMessage.conversation_id == conversation_id)
        .order_by(LiveMessage.id.desc())
        .limit(limit)
    )
    return list(reversed(list((await s.execute(q)).scalars())))


async def last_messages(s: AsyncSession, conversation_ids: list[int], *, first: bool = False) -> dict[int, LiveMessage]:
    """Each conversation's last message, or with ``first`` its first."""
    if not conversation_ids:
        return {}
    last = (
        select((func.min if first else func.max)(LiveMessage.id))
        .where(LiveMessage.conversation_id.in_(conversation_ids))
        .group_by(LiveMessage.conversation_id)
    )
    rows = (await s.execute(select(LiveMessage).where(LiveMessage.id.in_(last)))).scalars()
    return {m.conversation_id: m for m in rows}


def message_dict(m: LiveMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "conversation_id": m.conversation_id,
        "sender": m.sender,
        "sender_name": m.sender_name,
        "body": m.body,
        "created_at": m.created_at.isoformat(),
        "client_msg_id": m.client_msg_id,
        # "file": ``meta["file"]`` describes it (chatserver.files); else "text", meta null.
        "kind": m.kind or "text",
        "meta": m.meta,
    }


# --- operators -------------------------------------------------------------------------


async def operators(s: AsyncSession, tenant_id: int) -> list[tuple[User, bool]]:
    """The tenant's users with live chat enabled, by name, each with ``livechat.reachable``."""
    q = select(User).where(User.tenant_id == tenant_id, User.role.not_in(ANONYMOUS_ROLES)).order_by(User.display_name)
    users = list((await s.execute(q)).scalars())
    ids = [u.id for u in users]
    enabled = await settings_store.effective_many(s, tenant_id, ids, "livechat.enabled")
    reachable = await settings_store.effective_many(s, tenant_id, ids, "livechat.reachable")
    return [(u, bool(reachable[u.id])) for u in users if enabled[u.id]]


async def availability(s: AsyncSession, tenant_id: int) -> dict[int, OperatorAvailability]:
    q = select(OperatorAvailability).where(OperatorAvailability.tenant_id == tenant_id)
    return {a.user_id: a for a in (await s.execute(q)).scalars()}


async def set_availability(s: AsyncSession, user: User, online: bool, now: datetime) -> None:
    row = await s.get(OperatorAvailability, user.id)
    if row is None:
        s.add(OperatorAvailability(user_id=user.id, tenant_id=user.tenant_id, online=online, changed_at=now,
                                   assigned_count=0))
    else:
        row.online, row.changed_at = online, now
    await s.flush()


async def note_assignment(s: AsyncSession, user: User, now: datetime) -> None:
    """Remember when an operator last got a chat, for round robin."""
    row = await s.get(OperatorAvailability, user.id)
    if row is None:
        s.add(OperatorAvailability(user_id=user.id, tenant_id=user.tenant_id, online=False, changed_at=now,
                                   last_assigned_at=now, assigned_count=1))
    else:
        await s.execute(
            update(OperatorAvailability)
            .where(OperatorAvailability.user_id == user.id)
            .values(last_assigned_at=now, assigned_count=OperatorAvailability.assigned_count + 1)
        )
    await s.flush()
