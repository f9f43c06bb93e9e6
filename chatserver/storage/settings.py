"""Stored setting values; defaults and rules are in chatserver.settings_registry."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from chatserver import settings_registry as registry
from chatserver.db.models import SettingValue
from chatserver.db.prepared import Prepared, Query


async def stored(s: AsyncSession, tenant_id: int, user_id: int | None) -> dict[str, Any]:
    q = select(SettingValue).where(SettingValue.tenant_id == tenant_id)
    q = q.where(SettingValue.user_id.is_(None) if user_id is None else SettingValue.user_id == user_id)
    return {row.name: row.value for row in (await s.execute(q)).scalars()}


async def tenant_values(s: AsyncSession, tenant_id: int) -> dict[str, Any]:
    values = await stored(s, tenant_id, None)
    return {st.name: values.get(st.name, st.default) for st in registry.tenant_settings()}


async def effective(s: AsyncSession, tenant_id: int, user_id: int) -> dict[str, Any]:
    """Every setting as it applies to this user: user override, else tenant value, else default."""
    tenant = await stored(s, tenant_id, None)
    own = await stored(s, tenant_id, user_id)
    out: dict[str, Any] = {}
    for st in registry.SETTINGS.values():
        if st.level == "tenant":
            out[st.name] = tenant.get(st.name, st.default)
        elif st.level == "user":
            out[st.name] = own.get(st.name, st.default)
        else:
            out[st.name] = own.get(st.name, tenant.get(st.name, st.default))
    return out


# Columns, not ORM objects, and built once: every batch of sends runs this.
_TENANT: BindParameter[int] = bindparam("tenant_id")
_NAMES: BindParameter[list[str]] = bindparam("names", expanding=True)
# The organisation's values and these users' own, not every user's of a large tenant; each
# side whole, so that SQLite searches the unique (tenant, user, name) index for each
# (with `user_id IS NULL OR user_id IN ...` it read all the tenant's settings instead).
_SOME_SETTINGS = Prepared(select(SettingValue.user_id, SettingValue.name, SettingValue.value).where(
    or_(
        and_(SettingValue.tenant_id == _TENANT, SettingValue.user_id.is_(None), SettingValue.name.in_(_NAMES)),
        and_(SettingValue.tenant_id == _TENANT, SettingValue.user_id.in_(bindparam("user_ids", expanding=True)),
             SettingValue.name.in_(_NAMES)),
    )
))


# PostgreSQL, on asyncpg directly: one text for any number of names and users (db.pg_direct).
_SOME_SETTINGS_PG = """
SELECT user_id, name, value FROM setting_values
WHERE tenant_id = $1 AND name = ANY($2::text[]) AND (user_id IS NULL OR user_id = ANY($3::bigint[]))
"""


async def effective_many(s: AsyncSession, tenant_id: int, user_ids: list[int], name: str) -> dict[int, Any]:
    """One setting for several users of one tenant, in one query."""
    return (await effective_for(s, tenant_id, user_ids, [name]))[name]


def effective_for_query(tenant_id: int, user_ids: list[int], names: list[str]) -> Query[dict[str, dict[int, Any]]]:
    """Some settings for several users of one tenant, in one query: by name, by user."""
    params = {"tenant_id": tenant_id, "names": names, "user_ids": user_ids}

    def read(rows: Sequence[Sequence[Any]]) -> dict[str, dict[int, Any]]:
        out: dict[str, dict[int, Any]] = {}
        for name in names:
            st = registry.get(name)
            tenant_value = next((value for uid, n, value in rows if uid is None and n == name), st.default)
            if st.level == "tenant":
                out[name] = dict.fromkeys(user_ids, tenant_value)
                continue
            own = {uid: value for uid, n, value in rows if uid is not None and n == name}
            base = tenant_value if st.level == "both" else st.default
            out[name] = {uid: own.get(uid, base) for uid in user_ids}
        return out

    return Query(_SOME_SETTINGS, params, read, pg=(_SOME_SETTINGS_PG, (tenant_id, names, user_ids)))


async def effective_for(
    s: AsyncSession, tenant_id: int, user_ids: list[int], names: list[str]
) -> dict[str, dict[int, Any]]:
    return await effective_for_query(tenant_id, user_ids, names).run(s)


# Of some organisations, searched in the unique (tenant, user, name) index.
_BLOCKING = Prepared(select(SettingValue.tenant_id, SettingValue.value).where(
    SettingValue.tenant_id.in_(bindparam("tenant_ids", expanding=True)), SettingValue.user_id.is_(None),
    SettingValue.name == "chat.block_external",
))


_BLOCKING_PG = """
SELECT tenant_id, value FROM setting_values
WHERE tenant_id = ANY($1::bigint[]) AND user_id IS NULL AND name = 'chat.block_external'
"""


def tenants_blocking_external_query(tenant_ids: Collection[int]) -> Query[set[int]]:
    """Which of these organisations block chat with other organisations (chat.block_external)."""
    params = {"tenant_ids": sorted(set(tenant_ids))}

    def read(rows: Sequence[Sequence[Any]]) -> set[int]:
        return {int(tid) for tid, value in rows if value is True}

    return Query(_BLOCKING if tenant_ids else None, params, read, pg=(_BLOCKING_PG, (params["tenant_ids"],)))


async def put(s: AsyncSession, tenant_id: int, user_id: int | None, name: str, value: Any) -> None:
    q = select(SettingValue).where(SettingValue.tenant_id == tenant_id, SettingValue.name == name)
    q = q.where(SettingValue.user_id.is_(None) if user_id is None else SettingValue.user_id == user_id)
    row = (await s.execute(q)).scalar_one_or_none()
    if row is None:
        s.add(SettingValue(tenant_id=tenant_id, user_id=user_id, name=name, value=value))
    else:
        row.value = value
    await s.flush()


async def delete(s: AsyncSession, tenant_id: int, user_id: int, name: str) -> None:
    q = select(SettingValue).where(
        SettingValue.tenant_id == tenant_id, SettingValue.user_id == user_id, SettingValue.name == name
    )
    row = (await s.execute(q)).scalar_one_or_none()
    if row is not None:
        await s.delete(row)
        await s.flush()
