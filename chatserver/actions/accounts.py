"""Tenants, users, login and logout (AC-1, AC-3)."""

from __future__ import annotations

import re
from datetime import timedelta

from argon2 import PasswordHasher

from chatserver.actions import connections, login_guard
from chatserver.actions.context import Services
from chatserver.actions.login_guard import Throttle
from chatserver.db.models import Tenant, User
from chatserver.errors import BadRequest, Conflict, Forbidden, RateLimited, Unauthorized
from chatserver.hub import REVOKED
from chatserver.metrics import LOGIN_FAILURES
from chatserver.storage import accounts
from chatserver.storage.accounts import TokenSession

ROLES = ("user", "key_user")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_USERNAME = re.compile(r"[A-Za-z0-9._@+-]{1,120}")
# Checked against when the user does not exist, so a wrong username costs the same time.
_DUMMY_HASH = PasswordHasher().hash("no such user")


async def create_tenant(svc: Services, slug: str, name: str) -> Tenant:
    if not _SLUG.fullmatch(slug):
        raise BadRequest("tenant slug: lowercase letters, digits and dashes, at most 63", code="invalid_slug")
    async with svc.transaction() as tx:
        if await accounts.tenant_by_slug(tx.session, slug) is not None:
            raise Conflict(f"a tenant {slug!r} exists already")
        return await accounts.create_tenant(tx.session, slug, name or slug, tx.now)


async def create_user(
    svc: Services,
    tenant_id: int,
    *,
    username: str,
    password: str,
    display_name: str,
    email: str = "",
    function: str = "",
    role: str = "user",
    actor: User | None = None,
) -> User:
    """Create a user; with an ``actor`` (over the API) only a key-user of the tenant may."""
    if actor is not None and (actor.role != "key_user" or actor.tenant_id != tenant_id):
        raise Forbidden("only a key-user of this organisation can create users")
    if not _USERNAME.fullmatch(username):
        raise BadRequest("username: 1 to 120 letters, digits or . _ @ + -", code="invalid_username")
    if len(password) < 8:
        raise BadRequest("password: at least 8 characters", code="weak_password")
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}", code="invalid_role")
    if not display_name.strip():
        raise BadRequest("name is required", code="missing_field")
    password_hash = await login_guard.hash_password(svc.hasher, password)
    async with svc.transaction() as tx:
        tenant = await tx.session.get(Tenant, tenant_id)
        if tenant is None:
            raise BadRequest(f"no tenant with id {tenant_id}")
        if await accounts.user_by_login(tx.session, tenant.slug, username) is not None:
            raise Conflict(f"username {username!r} is taken in this organisation")
        return await accounts.create_user(
            tx.session,
            tenant_id,
            username=username,
            display_name=display_name.strip(),
            password_hash=password_hash,
            email=email,
            function=function,
            role=role,
            now=tx.now,
        )


async def login(svc: Services, tenant_slug: str, username: str, password: str, *,
                throttle: Throttle | None = None, address: str = "") -> tuple[str, User]:
    """A token for the user; with a ``throttle``, failures per account and per ``address``
    make the next attempts wait (RateLimited with ``retry_after``, checked first)."""
    account = f"{tenant_slug.lower()}/{username.lower()}"
    if throttle is not None:
        try:
            await throttle.check(account, address)
        except RateLimited:
            LOGIN_FAILURES.labels("throttled").inc()
            raise
    async with svc.read() as s:
        user = await accounts.user_by_login(s, tenant_slug, username)
    # In the password threads, outside any transaction: argon2 holds nobody up.
    if not await login_guard.verify(svc.hasher, user.password_hash if user else _DUMMY_HASH, password):
        user = None
    if user is None:
        LOGIN_FAILURES.labels("bad_credentials").inc()
        if throttle is not None:
            await throttle.failed(account, address)
        raise Unauthorized("wrong organisation, username or password", code="bad_credentials")
    if throttle is not None:
        await throttle.succeeded(account)
    async with svc.transaction() as tx:
        ttl = timedelta(hours=svc.config.token_ttl_hours)
        token = await accounts.issue_token(tx.session, user.id, tx.now, ttl)
    return token, user


async def logout(svc: Services, token: str, user: User) -> None:
    async with svc.transaction() as tx:
        await accounts.revoke_token(tx.session, token)
        # A revoked token must not keep a socket open on any node: each closes its
        # connections made with it (hub.REVOKED). Only the digest travels.
        tx.emit_ephemeral([user.id], REVOKED, {"token": accounts.token_digest(token)})


async def authenticate(svc: Services, token: str | None) -> User:
    """The user of a bearer token; lookups made at one moment (a reconnect storm, a burst
    of API calls) share one query (``actions.connections``)."""
    return (await authenticate_session(svc, token)).user


async def authenticate_session(svc: Services, token: str | None) -> TokenSession:
    """Like :func:`authenticate`, with the token's expiry (a socket closes then)."""
    if not token:
        raise Unauthorized("a bearer token is required; log in at POST /api/auth/login")
    return await connections.session_for_token(svc, token)
