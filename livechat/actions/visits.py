"""Anonymous visits to a tenant's web sites (LC-2, LC-8, AC-3): the visit that answers a
visitor's token, the visitor's own conversation, and whether a socket's origin is theirs.
Sites: :mod:`livechat.actions.sites`; what visitors write: :mod:`livechat.actions.visitor_messages`;
operators' side: :mod:`livechat.actions.routing`; figures and availability:
:mod:`livechat.actions.overview`.

A visit answers a signed bearer token of a visitor user scoped to one site; the same
token from any page of that site keeps the visitor and their conversation.
"""

from __future__ import annotations

import math
import re
import secrets
from datetime import timedelta
from typing import Any

from chatserver.actions.context import Services
from chatserver.bus import Delivery
from chatserver.clock import Clock
from chatserver.db.models import User
from chatserver.errors import Forbidden, NotFound, RateLimited
from chatserver.storage import accounts
from livechat.actions.view import VISITOR, conversation_dict, for_visitor, roster
from livechat.hours import status as hours_status
from livechat.look import language_for, look_for
from livechat.models import Site, Visitor
from livechat.prechat import proactive_for
from livechat.storage import conversations as store

__all__ = ["VisitLimiter", "browser_of", "origin_allowed_for_visitor", "visit", "visitor_conversation", "visitor_of"]


class VisitLimiter:
    """Token buckets per IP address for new anonymous sessions, on the injected clock."""

    def __init__(self, clock: Clock, per_minute: float, burst: int, max_keys: int = 50_000) -> None:
        self._clock, self._rate, self._burst, self._max = clock, per_minute / 60.0, burst, max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> bool:
        return self.wait(key) == 0.0

    def wait(self, key: str) -> float:
        """Take a token for ``key``: 0.0 when granted, else the seconds until one is there."""
        now = self._clock.monotonic()
        tokens, last = self._buckets.get(key, (float(self._burst), now))
        tokens = min(float(self._burst), tokens + (now - last) * self._rate)
        if len(self._buckets) >= self._max and key not in self._buckets:
            # Bounded: forget the buckets that have filled up again.
            full = [k for k, (t, at) in self._buckets.items() if t + (now - at) * self._rate >= self._burst]
            for k in full:
                del self._buckets[k]
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self._rate if self._rate > 0 else 60.0
        self._buckets[key] = (tokens - 1, now)
        return 0.0


_BROWSERS = [
    ("Edge", r"Edg(?:e|A|iOS)?/([\d.]+)"),
    ("Opera", r"OPR/([\d.]+)"),
    ("Samsung Internet", r"SamsungBrowser/([\d.]+)"),
    ("Firefox", r"(?:Firefox|FxiOS)/([\d.]+)"),
    ("Chrome", r"(?:Chrome|CriOS)/([\d.]+)"),
    ("Safari", r"Version/([\d.]+).*Safari/"),
    ("Internet Explorer", r"(?:MSIE |Trident/.*rv:)([\d.]+)"),
]


def browser_of(user_agent: str) -> str:
    """Browser name and major.minor version from a user agent, e.g. ``Chrome 47.0``."""
    for name, pattern in _BROWSERS:
        m = re.search(pattern, user_agent)
        if m:
            return f"{name} {'.'.join(m.group(1).split('.')[:2])}"
    return "Other" if user_agent else ""


def _greeting(site: Site, language: str) -> str:
    lang = "nl" if language.lower().startswith("nl") else "en"
    return str(site.greeting.get(lang) or site.greeting.get("en") or site.greeting.get("nl") or "")


async def visit(
    svc: Services,
    *,
    site_id: int,
    origin: str | None,
    token: str | None,
    details: dict[str, str],
    limiter: VisitLimiter,
    also_allowed: str | None = None,
) -> dict[str, Any]:
    """Start or continue a visitor session on a site whose origins include ``origin``.

    ``details``: ip, user_agent, language, url, referrer as captured by the view. A valid
    token of a visitor of this site keeps the visitor and conversation; otherwise a new
    visitor is made, at most as often as the IP's bucket allows. ``also_allowed``: one
    more origin accepted for this visit only (the demo page's, served by the hub itself).
    """
    async with svc.transaction() as tx:
        s = tx.session
        try:
            site = await store.get_site(s, site_id)
        except NotFound:
            raise NotFound(f"no live-chat site with id {site_id}", code="no_such_site") from None
        allowed = [*site.origins, *([also_allowed.rstrip("/")] if also_allowed else [])]
        if not origin or origin.rstrip("/") not in allowed:
            raise Forbidden("this page's origin is not one of the site's origins", code="origin_not_allowed")
        visitor: Visitor | None = None
        user = (await accounts.users_for_tokens(s, [token], tx.now)).get(token) if token else None
        if user is not None and user.role == "visitor":
            visitor = await store.get_visitor(s, user.id)
            if visitor is not None and visitor.site_id != site.id:
                visitor = None
        captured = {**details, "browser": browser_of(details.get("user_agent", ""))}
        moved = False
        if visitor is None:
            wait = limiter.wait(details.get("ip", ""))
            if wait:
                # Busy, not refused: the widget tries again after retry_after seconds.
                raise RateLimited("too many new chat sessions from this address; try again shortly",
                                  retry_after=max(1, math.ceil(wait)))
            user = await accounts.create_user(
                s, site.tenant_id, username=f"visitor-{secrets.token_hex(8)}", display_name=VISITOR,
                password_hash="!", role="visitor", now=tx.now,
            )
            visitor = await store.create_visitor(s, user, site, captured, tx.now)
            ttl = timedelta(hours=svc.config.token_ttl_hours)
            token = await accounts.issue_token(s, user.id, tx.now, ttl)
        else:
            # Another page of the site: where the visitor is now; the referrer stays the first.
            moved = bool(captured.get("url")) and captured["url"] != visitor.url
            for name in ("ip", "user_agent", "browser", "language", "url"):
                if captured.get(name):
                    setattr(visitor, name, captured[name])
            visitor.last_seen_at = tx.now
        assert token is not None
        conv = await store.conversation_of_visitor(s, visitor.user_id)
        conv_body = for_visitor(await conversation_dict(s, conv)) if conv else None
        team = await roster(svc, s, site.tenant_id)
        lang = language_for(details.get("language", ""), site.look)
        page = {"conversation_id": conv.id, "url": visitor.url} if moved and conv is not None else None
        answer = {
            "token": token,
            "visitor_id": visitor.user_id,
            "conversation": conv_body,
            "operators_online": len(team.routable),
            "greeting": _greeting(site, lang),
            # Outside business hours the widget offers the away text and the offline form.
            "hours": hours_status(site.hours, tx.now, lang),
            # The pre-chat form to show before the first question, and when to open by itself.
            "prechat": site.prechat,
            "proactive": proactive_for(site.proactive, lang),
            # Colour, side, launcher text and the language the widget speaks.
            "look": look_for(site.look, lang),
        }
    if page is not None and team.ids:
        # Operators see the page the visitor is on now, as they move (not on reopening).
        # Only the page, not the whole conversation: it cannot undo a newer assignment.
        await svc.publish(Delivery(users=team.ids, type="livechat.page", data=page))
    return answer


async def visitor_of(s: Any, actor: User) -> Visitor:
    """The visitor record of ``actor``; Forbidden for anyone else."""
    visitor = await store.get_visitor(s, actor.id) if actor.role == "visitor" else None
    if visitor is None:
        raise Forbidden("only a website visitor can do this", code="visitors_only")
    return visitor


async def origin_allowed_for_visitor(svc: Services, user: User, origin: str) -> bool:
    """True when a visitor's socket comes from one of their site's origins."""
    if user.role != "visitor":
        return False
    async with svc.read() as s:
        visitor = await store.get_visitor(s, user.id)
        site = await store.get_site(s, visitor.site_id) if visitor else None
    return site is not None and origin.rstrip("/") in site.origins


async def visitor_conversation(svc: Services, actor: User) -> dict[str, Any]:
    """The visitor's own conversation and its messages, or nulls before the first message."""
    async with svc.read() as s:
        visitor = await visitor_of(s, actor)
        conv = await store.conversation_of_visitor(s, visitor.user_id)
        if conv is None:
            return {"conversation": None, "messages": []}
        body = for_visitor(await conversation_dict(s, conv))
        msgs = [store.message_dict(m) for m in await store.messages(s, conv.id)]
    return {"conversation": body, "messages": msgs}
