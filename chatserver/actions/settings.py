"""Reading and changing settings, with the rules of who may change what (AC-2)."""

from __future__ import annotations

from typing import Any

from chatserver import settings_registry as registry
from chatserver.actions.context import Services
from chatserver.db.models import ANONYMOUS_ROLES, User
from chatserver.errors import BadRequest, Forbidden, NotFound
from chatserver.storage import accounts
from chatserver.storage import settings as store


def _may_edit_user(actor: User, target: User, setting: registry.Setting) -> None:
    if actor.role == "key_user":
        return
    if actor.id != target.id:
        raise Forbidden("only key-users can change another user's settings")
    if not setting.self_editable:
        raise Forbidden(f"only a key-user can change {setting.name}")


async def user_settings(svc: Services, actor: User, user_id: int) -> dict[str, Any]:
    async with svc.read() as s:
        target = await accounts.get_user(s, user_id, tenant_id=actor.tenant_id)
        if target.role in ANONYMOUS_ROLES:  # website visitors have no settings
            raise NotFound(f"no user with id {user_id}")
        if actor.id != target.id and actor.role != "key_user":
            raise Forbidden("only key-users can see another user's settings")
        values = await store.effective(s, actor.tenant_id, target.id)
        overrides = await store.stored(s, actor.tenant_id, target.id)
    return {
        "user_id": target.id,
        "values": {st.name: values[st.name] for st in registry.user_settings()},
        "overridden": sorted(n for n in overrides if n in registry.SETTINGS),
    }


async def tenant_settings(svc: Services, actor: User) -> dict[str, Any]:
    async with svc.read() as s:
        return {"values": await store.tenant_values(s, actor.tenant_id)}


async def set_tenant_setting(svc: Services, actor: User, name: str, value: Any) -> Any:
    setting = registry.get(name)
    if setting.level == "user":
        raise BadRequest(f"{name} is set per user, not for the organisation", code="wrong_level")
    if actor.role != "key_user":
        raise Forbidden("only key-users can change the organisation's settings")
    value = setting.validate(value)
    async with svc.transaction() as tx:
        await store.put(tx.session, actor.tenant_id, None, name, value)
        # Everyone whose effective value this is hears of it (not those with their own
        # override), so open apps follow a new default without a reload.
        colleagues = [u.id for u in await accounts.tenant_users(tx.session, actor.tenant_id)]
        effective = await store.effective_many(tx.session, actor.tenant_id, colleagues, name)
        await tx.emit_durable([uid for uid in colleagues if effective[uid] == value],
                              "settings.changed", {"name": name, "value": value})
    return value


async def set_user_setting(svc: Services, actor: User, user_id: int, name: str, value: Any) -> Any:
    """Set a user's value; ``None`` removes the override so the tenant's value applies again."""
    setting = registry.get(name)
    if setting.level == "tenant":
        raise BadRequest(f"{name} is set for the organisation, not per user", code="wrong_level")
    async with svc.transaction() as tx:
        target = await accounts.get_user(tx.session, user_id, tenant_id=actor.tenant_id)
        if target.role in ANONYMOUS_ROLES:
            raise NotFound(f"no user with id {user_id}")
        _may_edit_user(actor, target, setting)
        if value is None:
            await store.delete(tx.session, actor.tenant_id, target.id, name)
            values = await store.effective(tx.session, actor.tenant_id, target.id)
            value = values[name]
        else:
            value = setting.validate(value)
            await store.put(tx.session, actor.tenant_id, target.id, name, value)
        await tx.emit_durable([target.id], "settings.changed", {"name": name, "value": value})
    for hook in svc.on_user_setting_changed:  # a feature's (live chat: who is reachable)
        await hook(svc, actor.tenant_id, name)
    return value
