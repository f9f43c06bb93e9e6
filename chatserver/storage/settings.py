"""Stored setting values; defaults and rules are in chatserver.settings_registry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from chatserver import settings_registry as registry
from chatserver.db.models import SettingValue


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


# Columns, not ORM objects, and built once: this runs twice for every batch of sends.
_TENANT: BindParameter[int] = bindparam("tenant_id")
_NAME: BindParameter[str] = bindparam("name")
# The organisation's value and these users' own, not every user's of a large tenant; each
# side whole, so that SQLite searches the unique (tenant, user, name) index for each
# (with `user_id IS NULL OR user_id IN ...` it read all the tenant's settings instead).
_ONE_SETTING = select(SettingValue.user_id, SettingValue.value).where(
    or_(
        and_(SettingValue.tenant_id == _TENANT, SettingValue.user_id.is_(None), SettingValue.name == _NAME),
        and_(SettingValue.tenant_id == _TENANT, SettingValue.user_id.in_(bindparam("user_ids", expanding=True)),
             SettingValue.name == _NAME),
    )
)


async def effective_many(s: AsyncSession, tenant_id: int, user_ids: list[int], name: str) -> dict[int, Any]:
    """One setting for several users of one tenant, in two queries."""
    st = registry.get(name)
    rows = (await s.execute(_ONE_SETTING, {"tenant_id": tenant_id, "name": name, "user_ids": user_ids})).all()
    tenant_value = next((value for uid, value in rows if uid is None), st.default)
    if st.level == "tenant":
        return dict.fromkeys(user_ids, tenant_value)
    own = {uid: value for uid, value in rows if uid is not None}
    base = tenant_value if st.level == "both" else st.default
    return {uid: own.get(uid, base) for uid in user_ids}


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
