"""Contact requests, the contact relation, and the people search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import ANONYMOUS_ROLES, ContactRequest, Tenant, User
from chatserver.db.prepared import Prepared, Query
from chatserver.storage.accounts import UserBrief
from chatserver.storage.keylist import key_table, keys_param


async def between(s: AsyncSession, a: int, b: int) -> list[ContactRequest]:
    """Requests in both directions between two users."""
    q = select(ContactRequest).where(
        or_(
            and_(ContactRequest.from_user_id == a, ContactRequest.to_user_id == b),
            and_(ContactRequest.from_user_id == b, ContactRequest.to_user_id == a),
        )
    )
    return list((await s.execute(q)).scalars())


async def request_by_id(s: AsyncSession, request_id: int) -> ContactRequest | None:
    return await s.get(ContactRequest, request_id)


async def contact_ids(s: AsyncSession, user_id: int) -> list[int]:
    q = select(ContactRequest.from_user_id, ContactRequest.to_user_id).where(
        ContactRequest.status == "accepted",
        or_(ContactRequest.from_user_id == user_id, ContactRequest.to_user_id == user_id),
    )
    return [b if a == user_id else a for a, b in (await s.execute(q)).all()]


async def contact_ids_many(s: AsyncSession, user_ids: list[int]) -> dict[int, list[int]]:
    """Each user's contacts, for many users in one query."""
    out: dict[int, list[int]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return out
    q = select(ContactRequest.from_user_id, ContactRequest.to_user_id).where(
        ContactRequest.status == "accepted",
        or_(ContactRequest.from_user_id.in_(user_ids), ContactRequest.to_user_id.in_(user_ids)),
    )
    for a, b in (await s.execute(q)).all():
        if a in out:
            out[a].append(b)
        if b in out:
            out[b].append(a)
    return out


async def contact_briefs_many(s: AsyncSession, user_ids: list[int]) -> dict[int, list[UserBrief]]:
    """Each user's contacts (id, tenant, status, name), for many users: one query per
    direction of the request, columns rather than ORM rows (a reconnect storm runs it)."""
    out: dict[int, list[UserBrief]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return out
    accepted = ContactRequest.status == "accepted"
    for mine, theirs in ((ContactRequest.from_user_id, ContactRequest.to_user_id),
                         (ContactRequest.to_user_id, ContactRequest.from_user_id)):
        q = (select(mine, User.id, User.tenant_id, User.status, User.display_name)
             .join(User, User.id == theirs).where(accepted, mine.in_(user_ids)))
        for uid, oid, tenant_id, status, name in (await s.execute(q)).all():
            out[uid].append(UserBrief(oid, tenant_id, status, name))
    return out


async def are_contacts(s: AsyncSession, a: int, b: int) -> bool:
    return any(r.status == "accepted" for r in await between(s, a, b))


async def requests_for(s: AsyncSession, user_id: int) -> tuple[list[ContactRequest], list[ContactRequest]]:
    """(incoming pending, outgoing pending) requests of a user."""
    q = select(ContactRequest).where(
        ContactRequest.status == "pending",
        or_(ContactRequest.from_user_id == user_id, ContactRequest.to_user_id == user_id),
    ).order_by(ContactRequest.created_at)
    rows = list((await s.execute(q)).scalars())
    return [r for r in rows if r.to_user_id == user_id], [r for r in rows if r.from_user_id == user_id]


async def search_users(
    s: AsyncSession,
    *,
    query: str,
    function: str | None,
    own_tenant_id: int,
    external_tenant_ids: list[int] | None,
    exclude_user_id: int,
    limit: int,
) -> list[tuple[User, str]]:
    """Users whose name, username or function contains ``query`` (an empty one: everybody,
    for a search by ``function`` alone), in the own tenant and, when ``external_tenant_ids``
    is None, in every tenant; else only in those listed."""
    pattern = f"%{query.lower()}%"
    tenants = [own_tenant_id] + (external_tenant_ids or [])
    q = (
        select(User, Tenant.name)
        .join(Tenant, Tenant.id == User.tenant_id)
        .where(
            User.id != exclude_user_id,
            User.role.not_in(ANONYMOUS_ROLES),  # website visitors are never colleagues
            or_(func.lower(User.display_name).like(pattern), func.lower(User.username).like(pattern),
                func.lower(User.function).like(pattern)),
        )
    )
    if external_tenant_ids is not None:
        q = q.where(User.tenant_id.in_(tenants))
    if function:
        q = q.where(func.lower(User.function) == function.lower())
    q = q.order_by((User.tenant_id != own_tenant_id), User.display_name).limit(limit)
    return [(u, name) for u, name in (await s.execute(q)).all()]


async def functions(s: AsyncSession, tenant_id: int) -> list[str]:
    q = select(User.function).where(User.tenant_id == tenant_id, User.function != "").distinct()
    return sorted(f for (f,) in (await s.execute(q)).all())


# Built once (each send batch runs it): docs/benchmarks.md, step 16.
# PostgreSQL, on asyncpg directly: one text for any number of pairs (db.pg_direct).
_ACCEPTED_PAIRS_PG = """
SELECT c.from_user_id, c.to_user_id FROM unnest($1::bigint[], $2::bigint[]) AS k(a, b)
JOIN contact_requests c ON c.from_user_id = k.a AND c.to_user_id = k.b
WHERE c.status = 'accepted'
"""
_KEYS, (_KEY_FROM, _KEY_TO) = key_table("keys")
_ACCEPTED_PAIRS_SQLITE = Prepared(
    select(ContactRequest.from_user_id, ContactRequest.to_user_id)
    .select_from(_KEYS)
    .join(ContactRequest, and_(ContactRequest.from_user_id == _KEY_FROM, ContactRequest.to_user_id == _KEY_TO))
    .where(ContactRequest.status == "accepted")
)


def accepted_pairs_query(pairs: set[tuple[int, int]]) -> Query[set[frozenset[int]]]:
    """Which of the (a, b) pairs are contacts (an accepted request either way)."""
    # Either direction may hold the request; one index search per pair (storage.keylist).
    both = pairs | {(b, a) for a, b in pairs}

    def read(rows: Sequence[Sequence[Any]]) -> set[frozenset[int]]:
        return {frozenset((a, b)) for a, b in rows}

    ordered = sorted(both)
    return Query(_ACCEPTED_PAIRS_SQLITE if both else None, {"keys": keys_param(both)}, read,
                 pg=(_ACCEPTED_PAIRS_PG, ([a for a, _ in ordered], [b for _, b in ordered])))


async def accepted_pairs(s: AsyncSession, pairs: set[tuple[int, int]]) -> set[frozenset[int]]:
    return await accepted_pairs_query(pairs).run(s)
