"""Key-users keep their organisation's webhooks: add, change, delete, read the delivery log.

Another organisation's webhook answers NotFound, so its ids tell nothing; the secret that
signs the deliveries is shown once, in the answer to the request that made it.
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import BadRequest, Forbidden, NotFound
from chatserver.protocol.schema import Field, fields
from chatserver.webhooks.models import Webhook, WebhookDelivery
from chatserver.webhooks.outbox import EVENTS

__all__ = ["CREATE", "UPDATE", "create", "deliveries", "hook_dict", "list_all", "remove", "update"]

MAX_PER_ORGANISATION = 20
CREATE = {
    "url": Field(str, max_length=2000),
    "events": Field(list, required=False),
    "active": Field(bool, required=False),
}
UPDATE = {"url": Field(str, required=False, max_length=2000), "events": Field(list, required=False),
          "active": Field(bool, required=False)}


def hook_dict(hook: Webhook, *, secret: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": hook.id, "url": hook.url, "events": list(hook.events), "active": hook.active,
                           "created_at": hook.created_at.isoformat()}
    if secret:
        out["secret"] = hook.secret
    return out


def _key_user(actor: User) -> None:
    if actor.role != "key_user":
        raise Forbidden("only a key-user keeps the organisation's webhooks", code="key_user_only")


def check_url(url: str, allow_private: bool) -> str:
    """An http(s) URL with a host; not a loopback or private address unless allowed (names
    are checked again when a delivery resolves them: :mod:`chatserver.webhooks.delivery`)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise BadRequest("url: an http:// or https:// address with a host and no user or password",
                         code="invalid_value", field="url")
    if not allow_private and private_host(parts.hostname):
        raise BadRequest("url: a loopback, private or link-local address is not allowed", code="invalid_value",
                         field="url")
    return url


def private_host(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def _events(value: list[Any] | None) -> list[str]:
    if value is None:
        return list(EVENTS)
    if not value or not all(isinstance(e, str) and e in EVENTS for e in value) or len(set(value)) != len(value):
        raise BadRequest(f"events: a list of one or more of {', '.join(EVENTS)}", code="invalid_value",
                         field="events")
    return list(value)


async def _owned(s: AsyncSession, actor: User, hook_id: int) -> Webhook:
    hook = await s.get(Webhook, hook_id)
    if hook is None or hook.tenant_id != actor.tenant_id:
        raise NotFound(f"webhook {hook_id} not found", code="webhook_not_found")
    return hook


async def list_all(svc: Services, actor: User) -> list[dict[str, Any]]:
    _key_user(actor)
    async with svc.read() as s:
        rows = await s.scalars(select(Webhook).where(Webhook.tenant_id == actor.tenant_id).order_by(Webhook.id))
        return [hook_dict(h) for h in rows]


async def create(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    _key_user(actor)
    data = fields("webhook", CREATE, data)
    url = check_url(data["url"], svc.config.webhook_allow_private)
    events = _events(data.get("events"))
    async with svc.transaction() as tx:
        count = len((await tx.session.scalars(select(Webhook.id).where(Webhook.tenant_id == actor.tenant_id))).all())
        if count >= MAX_PER_ORGANISATION:
            raise BadRequest(f"an organisation has at most {MAX_PER_ORGANISATION} webhooks", code="too_many")
        hook = Webhook(tenant_id=actor.tenant_id, url=url, secret=secrets.token_hex(32), events=events,
                       active=data.get("active", True), created_at=tx.now)
        tx.session.add(hook)
        await tx.session.flush()
        return hook_dict(hook, secret=True)


async def update(svc: Services, actor: User, hook_id: int, data: dict[str, Any]) -> dict[str, Any]:
    _key_user(actor)
    data = fields("webhook", UPDATE, data)
    async with svc.transaction() as tx:
        hook = await _owned(tx.session, actor, hook_id)
        if "url" in data:
            hook.url = check_url(data["url"], svc.config.webhook_allow_private)
        if "events" in data:
            hook.events = _events(data["events"])
        if "active" in data:
            hook.active = data["active"]
        return hook_dict(hook)


async def remove(svc: Services, actor: User, hook_id: int) -> dict[str, Any]:
    _key_user(actor)
    async with svc.transaction() as tx:
        hook = await _owned(tx.session, actor, hook_id)
        await tx.session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
        await tx.session.delete(hook)
    return {}


async def deliveries(svc: Services, actor: User, hook_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """The delivery log, newest first: what was sent, when, how often, and what came back."""
    _key_user(actor)
    async with svc.read() as s:
        await _owned(s, actor, hook_id)
        rows = await s.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook_id)
                               .order_by(WebhookDelivery.id.desc()).limit(limit))
        return [{"id": d.id, "event": d.event, "conversation_id": d.conversation_id, "status": d.status, "attempts": d.attempts,
                 "created_at": d.created_at.isoformat(), "next_at": d.next_at.isoformat(),
                 "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
                 "last_status": d.last_status, "last_error": d.last_error} for d in rows]
