"""Live-chat sites (LC-1): a key-user adds their web sites (name, allowed origins,
greeting, business hours, pre-chat form, proactive messages, the widget's look) and gets
the snippet to paste. Deleting one: :mod:`livechat.actions.site_deletion`."""

from __future__ import annotations

import re
from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import BadRequest, Forbidden
from livechat.hours import check_hours
from livechat.look import clean_look
from livechat.models import Site
from livechat.prechat import check_prechat, check_proactive
from livechat.storage import conversations as store

__all__ = ["create_site", "list_sites", "site_dict", "update_site"]

_ORIGIN = re.compile(r"https?://[^/\s]+")


def site_dict(site: Site, base_url: str) -> dict[str, Any]:
    snippet = f'<script async src="{base_url}/widget.js" data-site="{site.id}"></script>'
    return {"id": site.id, "name": site.name, "origins": list(site.origins), "greeting": dict(site.greeting),
            "hours": site.hours, "prechat": site.prechat, "proactive": site.proactive or [], "look": site.look, "snippet": snippet}


def _site_fields(data: dict[str, Any]) -> tuple[str, list[str], dict[str, str], dict[str, Any] | None]:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise BadRequest("name: 1 to 200 characters", code="invalid_value", field="name")
    origins = data.get("origins")
    if not isinstance(origins, list) or not origins:
        raise BadRequest("origins: a list of at least one origin", code="invalid_value", field="origins")
    clean: list[str] = []
    for o in origins:
        if not isinstance(o, str) or not _ORIGIN.fullmatch(o.strip().rstrip("/")):
            raise BadRequest(f"origin {o!r} is not scheme://host[:port]", code="invalid_value", field="origins")
        clean.append(o.strip().rstrip("/"))
    greeting = data.get("greeting") or {}
    if not isinstance(greeting, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= 500 for k, v in greeting.items()
    ):
        raise BadRequest("greeting: {\"nl\": text, \"en\": text}", code="invalid_value", field="greeting")
    hours = check_hours(data.get("hours"))
    return name.strip(), clean, {k: v for k, v in greeting.items() if k in ("nl", "en")}, hours


def _key_user(actor: User) -> None:
    if actor.role != "key_user":
        raise Forbidden("only a key-user can create or change sites", code="key_user_only")


async def list_sites(svc: Services, actor: User, base_url: str) -> list[dict[str, Any]]:
    async with svc.read() as s:
        return [site_dict(x, base_url) for x in await store.sites_of(s, actor.tenant_id)]


async def create_site(svc: Services, actor: User, data: dict[str, Any], base_url: str) -> dict[str, Any]:
    _key_user(actor)
    name, origins, greeting, hours = _site_fields(data)
    prechat, proactive = check_prechat(data.get("prechat")), check_proactive(data.get("proactive"))
    async with svc.transaction() as tx:
        site = await store.create_site(tx.session, actor.tenant_id, name, origins, greeting, tx.now)
        site.hours = hours
        site.prechat, site.proactive = prechat, proactive
        site.look = clean_look(data.get("look"))
        return site_dict(site, base_url)


async def update_site(svc: Services, actor: User, site_id: int, data: dict[str, Any], base_url: str) -> dict[str, Any]:
    _key_user(actor)
    name, origins, greeting, hours = _site_fields(data)
    prechat, proactive = check_prechat(data.get("prechat")), check_proactive(data.get("proactive"))
    async with svc.transaction() as tx:
        site = await store.get_site(tx.session, site_id, tenant_id=actor.tenant_id)
        site.name, site.origins, site.greeting = name, origins, greeting
        if "hours" in data:  # a PUT from an older client keeps the hours it does not know
            site.hours = hours
        site.prechat = prechat if "prechat" in data else site.prechat  # likewise
        site.proactive = proactive if "proactive" in data else site.proactive
        site.look = clean_look(data["look"]) if "look" in data else site.look
        await tx.session.flush()
        return site_dict(site, base_url)
