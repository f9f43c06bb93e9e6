"""Tenants, users and bearer tokens."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import ANONYMOUS_ROLES, Conversation, Message, Tenant, Token, User, UserEvent
from chatserver.db.prepared import Prepared, Query
from chatserver.errors import NotFound


async def create_tenant(s: AsyncSession, slug: str, name: str, now: datetime) -> Tenant:
    tenant = Tenant(slug=slug, name=name, created_at=now)
    s.add(tenant)
    await s.flush()
    return tenant


async def tenant_by_slug(s: AsyncSession, slug: str) -> Tenant | None:
    return (await s.execute(select(Tenant).where(Tenant.slug == slug))).scalar_one_or_none()


async def create_user(
    s: AsyncSession,
    tenant_id: int,
    *,
    username: str,
    display_name: str,
    password_hash: str,
    now: datetime,
    email: str = "",
    function: str = "",
    role: str = "user",
) -> User:
    user = User(
        tenant_id=tenant_id,
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        email=email,
        function=function,
        role=role,
        status="online",
        event_seq=0,
        event_epoch=os.urandom(6).hex(),
        created_at=now,
    )
    s.add(user)
    await s.flush()
    return user


async def user_by_login(s: AsyncSession, tenant_slug: str, username: str) -> User | None:
    q = (
        select(User)
        .join(Tenant, Tenant.id == User.tenant_id)
        .where(Tenant.slug == tenant_slug, User.username == username)
    )
    return (await s.execute(q)).scalar_one_or_none()


async def get_user(s: AsyncSession, user_id: int, *, tenant_id: int | None = None) -> User:
    """The user, or NotFound; with ``tenant_id`` a user of another tenant is NotFound too."""
    user = await s.get(User, user_id)
    if user is None or (tenant_id is not None and user.tenant_id != tenant_id):
        raise NotFound(f"no user with id {user_id}")
    return user


async def users_by_ids(s: AsyncSession, ids: list[int]) -> dict[int, User]:
    if not ids:
        return {}
    rows = (await s.execute(select(User).where(User.id.in_(ids)))).scalars()
    return {u.id: u for u in rows}


@dataclass(frozen=True, slots=True)
class UserBrief:
    """What a batch of sends reads of each user; a row, not an ORM object (~4x cheaper)."""

    id: int
    tenant_id: int
    status: str
    display_name: str


# Built once: building a statement costs about as much as running it (docs/benchmarks.md, step 16).
_USER_BRIEFS = Prepared(select(User.id, User.tenant_id, User.status, User.display_name).where(
    User.id.in_(bindparam("ids", expanding=True))
))
# PostgreSQL, on asyncpg directly: one text for any number of ids (db.pg_direct).
_USER_BRIEFS_PG = "SELECT id, tenant_id, status, display_name FROM users WHERE id = ANY($1::bigint[])"


def user_briefs_query(ids: list[int]) -> Query[dict[int, UserBrief]]:
    """Users by id, as :class:`UserBrief` (every batch of sends asks; docs/benchmarks.md, 21-22)."""

    def read(rows: Sequence[Sequence[Any]]) -> dict[int, UserBrief]:
        return {int(row[0]): UserBrief(int(row[0]), int(row[1]), row[2], row[3]) for row in rows}

    return Query(_USER_BRIEFS if ids else None, {"ids": ids}, read, pg=(_USER_BRIEFS_PG, (ids,)))


async def user_briefs(s: AsyncSession, ids: list[int]) -> dict[int, UserBrief]:
    return await user_briefs_query(ids).run(s)


async def tenant_users(s: AsyncSession, tenant_id: int) -> list[User]:
    # Website visitors are users too (live chat) but never listed as colleagues.
    q = select(User).where(User.tenant_id == tenant_id, User.role.not_in(ANONYMOUS_ROLES)).order_by(User.display_name)
    return list((await s.execute(q)).scalars())


async def delete_users(s: AsyncSession, tenant_id: int, user_ids: Sequence[int], *, role: str) -> list[int]:
    """Delete the tenant's users of ``role`` among ``user_ids`` and everything of theirs;
    the ids deleted. The rows every send writes (their stream's events, the messages they
    sent, their conversations' messages) have no foreign key to cascade from (models.Message
    says why), so they are deleted here; every other table's rows go by ON DELETE CASCADE."""
    ids = list((await s.execute(select(User.id).where(
        User.id.in_(list(user_ids)), User.tenant_id == tenant_id, User.role == role))).scalars())
    if not ids:
        return []
    conversations = list((await s.execute(select(Conversation.id).where(
        or_(Conversation.user_low_id.in_(ids), Conversation.user_high_id.in_(ids))))).scalars())
    # The users first: an event is appended only with its user's row locked (its stream's
    # number), so this waits for an append in flight, and the events are read after it
    # committed; an append after this finds no user and stores nothing (storage.events).
    await s.execute(delete(User).where(User.id.in_(ids)))
    await s.execute(delete(UserEvent).where(UserEvent.user_id.in_(ids)))
    await s.execute(delete(Message).where(or_(Message.sender_id.in_(ids), Message.conversation_id.in_(conversations))))
    return ids


def token_digest(token: str) -> str:
    """What is stored of a token (and told to other nodes when it is revoked): never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


_digest = token_digest


@dataclass(frozen=True, slots=True)
class TokenSession:
    """A valid token's user, and when the token stops being valid."""

    user: User
    expires_at: datetime


async def issue_token(s: AsyncSession, user_id: int, now: datetime, ttl: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    s.add(Token(token_hash=_digest(token), user_id=user_id, created_at=now, expires_at=now + ttl, revoked=False))
    await s.flush()
    return token


async def sessions_for_tokens(s: AsyncSession, tokens: list[str], now: datetime) -> dict[str, TokenSession]:
    """The users of the tokens that are valid now and their expiry, by token; one query for all."""
    digests = {_digest(t): t for t in tokens}
    q = (
        select(Token.token_hash, Token.expires_at, User)
        .join(User, Token.user_id == User.id)
        .where(Token.token_hash.in_(list(digests)), Token.revoked.is_(False), Token.expires_at > now)
    )
    return {digests[h]: TokenSession(user, expires) for h, expires, user in (await s.execute(q)).all()}


async def users_for_tokens(s: AsyncSession, tokens: list[str], now: datetime) -> dict[str, User]:
    """The users of the tokens that are valid now, by token; one query for all."""
    return {t: found.user for t, found in (await sessions_for_tokens(s, tokens, now)).items()}


async def revoke_token(s: AsyncSession, token: str) -> None:
    await s.execute(update(Token).where(Token.token_hash == _digest(token)).values(revoked=True))


def user_public(user: User, *, viewer_tenant_id: int, tenant_name: str | None = None) -> dict[str, Any]:
    """What a user of ``viewer_tenant_id`` is shown of this person: name, function and
    organisation; the e-mail address only within the same organisation (IC-1's external
    search finds people of other organisations, and must not hand out their addresses)."""
    body: dict[str, Any] = {
        "id": user.id,
        "tenant_id": user.tenant_id,
        "name": user.display_name,
        "function": user.function,
    }
    if user.tenant_id == viewer_tenant_id:
        body["email"] = user.email
    if tenant_name is not None:
        body["tenant"] = tenant_name
    return body


def user_private(user: User) -> dict[str, Any]:
    """What the user themselves (and their key-users) see."""
    return {**user_public(user, viewer_tenant_id=user.tenant_id), "username": user.username, "role": user.role,
            "status": user.status}
