"""Operators' availability, the operators list and the overview figures (LC-3, LC-9, LC-10).

Visitors and operators hear ``livechat.operators`` (ephemeral) whenever the number of
operators visitors can reach may have changed: availability set, an operator's first
connection or last disconnection, a live-chat setting changed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from chatserver.actions.context import Services
from chatserver.bus import Delivery
from chatserver.db.models import User
from chatserver.storage import settings as settings_store
from livechat.actions.view import require_operator, roster
from livechat.storage import conversations as store
from livechat.storage import ratings as ratings_store

log = logging.getLogger(__name__)

# Visitors seen this recently may have a widget open that shows the operators count.
_VISITOR_WINDOW = timedelta(hours=12)


async def announce(svc: Services, tenant_id: int) -> None:
    """Tell the tenant's operators and recent visitors how many operators are reachable."""
    async with svc.read() as s:
        team = await roster(svc, s, tenant_id)
        visitors = await store.recent_visitor_ids(s, tenant_id, svc.clock.now() - _VISITOR_WINDOW)
    users = team.ids + visitors
    if users:
        await svc.publish(
            Delivery(users=users, type="livechat.operators", data={"operators_online": len(team.routable)})
        )


async def connections_changed(svc: Services, users: list[tuple[int, int]]) -> None:
    """Colleagues ``(tenant_id, user_id)`` connected or disconnected: each tenant with a
    live-chat operator among them is announced once. Never raises, so a failure here
    cannot disturb the connections' own lives."""
    by_tenant: dict[int, list[int]] = defaultdict(list)
    for tenant_id, user_id in users:
        by_tenant[tenant_id].append(user_id)
    for tenant_id, ids in by_tenant.items():
        try:
            async with svc.read() as s:
                enabled = await settings_store.effective_many(s, tenant_id, ids, "livechat.enabled")
            if any(enabled.values()):
                await announce(svc, tenant_id)
        except Exception:  # noqa: BLE001 - logged; only a count on some screens is late
            log.exception("could not announce live-chat operators of tenant %s", tenant_id)


async def set_availability(svc: Services, actor: User, online: bool) -> dict[str, Any]:
    async with svc.transaction() as tx:
        await require_operator(tx.session, actor)
        await store.set_availability(tx.session, actor, online, tx.now)
    await announce(svc, actor.tenant_id)
    return {"online": online}


async def operators(svc: Services, actor: User) -> list[dict[str, Any]]:
    """Every live-chat operator of the tenant, online or offline (LC-10)."""
    async with svc.read() as s:
        await require_operator(s, actor)
        team = await roster(svc, s, actor.tenant_id)
        counts = await store.active_counts(s, actor.tenant_id)
        rated = await ratings_store.by_operator(s, actor.tenant_id)
    return [
        {
            "id": u.id,
            "name": u.display_name,
            "online": u.id in team.online,
            "reachable": u.id in team.reachable,
            "active_chats": counts.get(u.id, 0),
            # Visitors' ratings of the chats the operator had (CSAT): mean and number.
            "avg_rating": rated[u.id][0] if u.id in rated else None,
            "ratings": rated[u.id][1] if u.id in rated else 0,
        }
        for u in team.operators
    ]


async def overview(svc: Services, actor: User) -> dict[str, Any]:
    """Figures from stored timestamps: resolution time is from the chat's (re)opening to
    its resolution; first response from the (re)opening to the first operator reply."""
    async with svc.read() as s:
        await require_operator(s, actor)
        team = await roster(svc, s, actor.tenant_id)
        counts = await store.state_counts(s, actor.tenant_id)
        resolution, first = await store.timings(s, actor.tenant_id)
        rating, ratings = await ratings_store.average(s, actor.tenant_id)
    total = sum(counts.values())
    online = [u for u in team.operators if u.id in team.online]
    return {
        "incoming": counts.get("incoming", 0),
        "active": counts.get("active", 0),
        "resolved": counts.get("resolved", 0),
        "operators_online": len(online),
        "operators_offline": len(team.operators) - len(online),
        "longest_resolution_s": max(resolution) if resolution else None,
        "shortest_resolution_s": min(resolution) if resolution else None,
        "avg_first_response_s": sum(first) / len(first) if first else None,
        "online_agents": [u.display_name for u in online],
        "resolved_share": counts.get("resolved", 0) / total if total else 0.0,
        # Visitors' ratings (CSAT, 1 to 5): their mean, null while there is none.
        "avg_rating": rating,
        "ratings": ratings,
    }
