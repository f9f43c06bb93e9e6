"""Finding people, contact requests and the contact list (IC-1, IC-2, IC-3)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions import notify
from chatserver.actions.context import Services
from chatserver.actions.presence import presence_of
from chatserver.db.models import ANONYMOUS_ROLES, ContactRequest, SettingValue, Tenant, User
from chatserver.errors import BadRequest, Conflict, Forbidden, NotFound
from chatserver.storage import accounts, chat, contacts
from chatserver.storage import settings as settings_store
from chatserver.storage.accounts import UserBrief


async def _blocking_tenants(s: AsyncSession) -> set[int]:
    q = select(SettingValue.tenant_id, SettingValue.value).where(
        SettingValue.name == "chat.block_external", SettingValue.user_id.is_(None)
    )
    return {tid for tid, value in (await s.execute(q)).all() if value is True}


async def external_blocked(s: AsyncSession, one: User | UserBrief, other: User | UserBrief) -> bool:
    """True when the two are of different tenants and either tenant blocks external chat."""
    if one.tenant_id == other.tenant_id:
        return False
    return bool(await settings_store.tenants_blocking_external_query({one.tenant_id, other.tenant_id}).run(s))


async def _chat_enabled(s: AsyncSession, user: User) -> bool:
    values = await settings_store.effective_many(s, user.tenant_id, [user.id], "chat.internal_enabled")
    return bool(values[user.id])


async def require_chat(s: AsyncSession, user: User) -> None:
    if not await _chat_enabled(s, user):
        raise Forbidden("chat is not enabled for this user; a key-user can enable it", code="chat_disabled")


async def _reachable(s: AsyncSession, actor: User, target_id: int) -> User:
    """The target if the actor may deal with them: same tenant, or external chat allowed by both.

    A user the actor may not reach is NotFound, as an unknown id would be.
    """
    try:
        target = await accounts.get_user(s, target_id)
    except NotFound:
        raise NotFound(f"no user with id {target_id}") from None
    if target.role in ANONYMOUS_ROLES:
        raise NotFound(f"no user with id {target_id}")
    if await external_blocked(s, actor, target):
        raise NotFound(f"no user with id {target_id}", code="external_chat_blocked")
    if not await _chat_enabled(s, target):
        raise NotFound(f"no user with id {target_id}")
    return target


async def search(svc: Services, actor: User, query: str, function: str | None, limit: int = 20) -> list[dict[str, Any]]:
    """People by name or function (``query``, 2 characters at least), or all with ``function``
    when no query is given: the add-contact panel's suggestions."""
    query = query.strip()
    if len(query) < 2 and not (function and not query):
        raise BadRequest("type at least 2 characters to search, or give a function", code="query_too_short")
    async with svc.read() as s:
        await require_chat(s, actor)
        blocking = await _blocking_tenants(s)
        if actor.tenant_id in blocking:
            externals: list[int] | None = []
        else:
            all_tenants = [t for (t,) in (await s.execute(select(Tenant.id))).all()]
            externals = [t for t in all_tenants if t not in blocking and t != actor.tenant_id]
        found = await contacts.search_users(
            s,
            query=query,
            function=function,
            own_tenant_id=actor.tenant_id,
            external_tenant_ids=externals,
            exclude_user_id=actor.id,
            limit=limit * 2,
        )
        my_contacts = set(await contacts.contact_ids(s, actor.id))
        out = []
        for user, tenant_name in found:
            if not await _chat_enabled(s, user):
                continue
            body = accounts.user_public(user, viewer_tenant_id=actor.tenant_id, tenant_name=tenant_name)
            body["external"] = user.tenant_id != actor.tenant_id
            body["is_contact"] = user.id in my_contacts
            out.append(body)
            if len(out) == limit:
                break
    return out


def _request_dict(r: ContactRequest, users: dict[int, User], viewer_tenant_id: int) -> dict[str, Any]:
    return {
        "id": r.id,
        "from": accounts.user_public(users[r.from_user_id], viewer_tenant_id=viewer_tenant_id),
        "to": accounts.user_public(users[r.to_user_id], viewer_tenant_id=viewer_tenant_id),
        "status": r.status,
        "created_at": r.created_at.isoformat(),
    }


async def request(svc: Services, actor: User, target_id: int) -> dict[str, Any]:
    """Ask ``target_id`` to become a contact; a pending request the other way is accepted."""
    if target_id == actor.id:
        raise BadRequest("you cannot add yourself as a contact", code="self_contact")
    async with svc.read() as s:
        pending_back = next(
            (r for r in await contacts.between(s, actor.id, target_id)
             if r.from_user_id == target_id and r.status == "pending"),
            None,
        )
    if pending_back is not None:
        return await respond(svc, actor, pending_back.id, "accept")
    async with svc.transaction() as tx:
        s = tx.session
        await require_chat(s, actor)
        target = await _reachable(s, actor, target_id)
        existing = await contacts.between(s, actor.id, target.id)
        for r in existing:
            if r.status == "accepted":
                raise Conflict(f"{target.display_name} is already a contact", code="already_contacts")
            if r.from_user_id == actor.id and r.status == "blocked":
                raise Conflict(
                    f"{target.display_name} does not accept contact requests from you", code="request_blocked"
                )
        mine = next((r for r in existing if r.from_user_id == actor.id), None)
        if mine is None:
            mine = ContactRequest(from_user_id=actor.id, to_user_id=target.id, status="pending", created_at=tx.now)
            s.add(mine)
        elif mine.status == "pending":
            raise Conflict("a request is already waiting for an answer", code="request_pending")
        else:
            mine.status, mine.created_at, mine.responded_at = "pending", tx.now, None
        await s.flush()
        users = {actor.id: actor, target.id: target}
        body = _request_dict(mine, users, actor.tenant_id)
        theirs = _request_dict(mine, users, target.tenant_id)  # each sees by their own organisation
        level = (await notify.levels(s, [target], "notify.contact_request"))[target.id]
        await tx.emit_durable([target.id, actor.id], "contact.request", [{**theirs, "notify": level}, {**body, "notify": 0}])
    return body


async def respond(svc: Services, actor: User, request_id: int, answer: str) -> dict[str, Any]:
    """Answer a request made to the actor: ``accept``, ``decline`` or ``block``."""
    if answer not in ("accept", "decline", "block"):
        raise BadRequest("answer must be accept, decline or block", code="invalid_value")
    async with svc.transaction() as tx:
        s = tx.session
        req = await contacts.request_by_id(s, request_id)
        if req is None or req.to_user_id != actor.id:
            raise NotFound(f"no contact request with id {request_id}")
        if req.status != "pending":
            raise Conflict(f"this request was already answered ({req.status})", code="already_answered")
        # A request made before either tenant blocked external chat must not become a
        # contact after the block (seed 2.1: no chat outside the organisation at all).
        if answer == "accept" and await external_blocked(s, actor, await accounts.get_user(s, req.from_user_id)):
            raise NotFound(
                "this request comes from outside your organisation and external chat is blocked",
                code="external_chat_blocked",
            )
        req.status = {"accept": "accepted", "decline": "declined", "block": "blocked"}[answer]
        req.responded_at = tx.now
        await s.flush()
        users = await accounts.users_by_ids(s, [req.from_user_id, req.to_user_id])
        body = _request_dict(req, users, actor.tenant_id)
        requester = users[req.from_user_id]
        theirs = _request_dict(req, users, requester.tenant_id)
        if answer == "accept":
            level = (await notify.levels(s, [requester], "notify.contact_approved"))[requester.id]
            await tx.emit_durable(
                [requester.id, actor.id], "contact.accepted", [{**theirs, "notify": level}, {**body, "notify": 0}]
            )
        else:
            # The requester is not told of a decline; the actor's other devices are.
            await tx.emit_durable([actor.id], "contact.declined", body)
    if answer == "accept":
        seen = await presence_of(svc, [requester.id, actor.id])
        body["presence"] = seen
    return body


async def remove(svc: Services, actor: User, other_id: int) -> None:
    async with svc.transaction() as tx:
        rows = [r for r in await contacts.between(tx.session, actor.id, other_id) if r.status == "accepted"]
        if not rows:
            raise NotFound(f"user {other_id} is not one of your contacts")
        for r in rows:
            await tx.session.delete(r)
        await tx.emit_durable([actor.id, other_id], "contact.removed", [{"user_id": other_id}, {"user_id": actor.id}])


async def requests(svc: Services, actor: User) -> dict[str, list[dict[str, Any]]]:
    async with svc.read() as s:
        incoming, outgoing = await contacts.requests_for(s, actor.id)
        ids = {r.from_user_id for r in incoming + outgoing} | {r.to_user_id for r in incoming + outgoing}
        users = await accounts.users_by_ids(s, list(ids))
    return {
        "incoming": [_request_dict(r, users, actor.tenant_id) for r in incoming],
        "outgoing": [_request_dict(r, users, actor.tenant_id) for r in outgoing],
    }


async def contact_list(svc: Services, actor: User) -> list[dict[str, Any]]:
    async with svc.read() as s:
        ids = await contacts.contact_ids(s, actor.id)
        users = await accounts.users_by_ids(s, ids)
        tenants = {t.id: t.name for t in (await s.execute(select(Tenant).where(Tenant.id.in_({u.tenant_id for u in users.values()})))).scalars()}
    seen = await presence_of(svc, ids)
    out = []
    for uid, user in users.items():
        body = accounts.user_public(user, viewer_tenant_id=actor.tenant_id, tenant_name=tenants.get(user.tenant_id))
        body["external"] = user.tenant_id != actor.tenant_id
        body["status"] = seen.get(uid, "offline")
        out.append(body)
    return sorted(out, key=lambda c: c["name"].lower())


async def recent(svc: Services, actor: User, limit: int = 20) -> list[dict[str, Any]]:
    """People the actor chatted with, most recent first (IC-3 'Recent')."""
    async with svc.read() as s:
        convs = await chat.conversations_of(s, actor.id)
        convs = [(c, m) for c, m in convs if c.last_message_at is not None][:limit]
        other_ids = [chat.other_party(c, actor.id) for c, _ in convs]
        users = await accounts.users_by_ids(s, other_ids)
    seen = await presence_of(svc, other_ids)
    out = []
    for (conv, member), uid in zip(convs, other_ids, strict=True):
        if uid not in users:
            continue
        body = accounts.user_public(users[uid], viewer_tenant_id=actor.tenant_id)
        body.update(
            status=seen.get(uid, "offline"),
            conversation_id=conv.id,
            unread=member.unread_count,
            last_message_at=conv.last_message_at.isoformat() if conv.last_message_at else None,
        )
        out.append(body)
    return out
