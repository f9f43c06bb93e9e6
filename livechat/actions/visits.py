"""Live chat on the tenant's web sites: sites, anonymous visits, and what visitors do
(LC-1, LC-2, LC-8, LC-11). Operators' side: :mod:`livechat.actions.routing`; figures and
availability: :mod:`livechat.actions.overview`.

A visit answers a signed bearer token of a visitor user scoped to one site; the same
token from any page of that site keeps the visitor and their conversation.
"""

from __future__ import annotations

import math
import re
import secrets
import uuid
from datetime import timedelta
from typing import Any

from chatserver.actions.chat import check_body
from chatserver.actions.context import Services, Tx
from chatserver.bus import Delivery
from chatserver.clock import Clock
from chatserver.db.models import User
from chatserver.errors import BadRequest, Forbidden, NotFound, RateLimited
from chatserver.storage import accounts
from chatserver.webhooks import outbox as webhooks
from livechat.actions.names import alias
from livechat.actions.routing import auto_assign
from livechat.actions.view import (
    VISITOR,
    Roster,
    conversation_dict,
    emit_incoming,
    emit_message,
    emit_updated,
    for_visitor,
    roster,
)
from livechat.after_hours import refuse_when_closed
from livechat.hours import check_hours
from livechat.hours import status as hours_status
from livechat.look import clean_look, language_for, look_for
from livechat.models import LiveConversation, Site, Visitor
from livechat.prechat import answers, check_prechat, check_proactive, proactive_for
from livechat.storage import conversations as store
from livechat.storage import openings

__all__ = [
    "VisitLimiter", "browser_of", "create_site", "leave_message", "list_sites", "origin_allowed_for_visitor",
    "send", "site_dict", "typing", "update_site", "visit", "visitor_conversation",
]

_ORIGIN = re.compile(r"https?://[^/\s]+")


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


# --- sites (LC-1) ----------------------------------------------------------------------


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


# --- visits (LC-2, LC-8, AC-3) ----------------------------------------------------------


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


async def _visitor(s: Any, actor: User) -> Visitor:
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
        visitor = await _visitor(s, actor)
        conv = await store.conversation_of_visitor(s, visitor.user_id)
        if conv is None:
            return {"conversation": None, "messages": []}
        body = for_visitor(await conversation_dict(s, conv))
        msgs = [store.message_dict(m) for m in await store.messages(s, conv.id)]
    return {"conversation": body, "messages": msgs}


async def _visitor_writes(
    svc: Services, actor: User, body: str, client_msg_id: str, *, contact: dict[str, str] | None = None,
    form: dict[str, Any] | None = None, kind: str = "text", meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Store a visitor's message; start, reopen or route the conversation as needed.

    ``contact`` (leave a message, LC-11): name, e-mail and phone are saved on the visitor
    and every reachable operator hears of it, online or not. ``form``: the pre-chat form's
    answers sent with a message (livechat_prechat.answers checks them). ``kind`` and
    ``meta``: a sent file's message (chatserver.files.livechat).
    """
    body = check_body(svc, body, client_msg_id)
    async with svc.transaction() as tx:
        s = tx.session
        visitor = await _visitor(s, actor)
        existing = await store.message_by_client_id(s, actor.id, client_msg_id)
        if existing is not None:
            conv = await store.conversation_of_visitor(s, actor.id)
            assert conv is not None
            return {"message": store.message_dict(existing), "duplicate": True,
                    "conversation": for_visitor(await conversation_dict(s, conv))}
        conv = await store.conversation_of_visitor(s, visitor.user_id)
        site = await store.get_site(s, visitor.site_id)
        if form is not None:  # a chat message; a left message waits at any hour
            refuse_when_closed(site.hours, tx.now, active=conv is not None and conv.state == "active",
                               language=language_for(visitor.language, site.look))
        contact = {**answers(site.prechat, visitor, form or {}, first=conv is None and not contact), **(contact or {})}
        if contact:
            _visitor_gives(visitor, contact)
        visitor.last_seen_at = tx.now
        team = await roster(svc, s, visitor.tenant_id)
        opened = conv is None or conv.state == "resolved"
        new = conv is None
        if conv is None:
            conv = await store.create_conversation(s, visitor, tx.now)
        elif conv.state == "resolved":
            # Reopened (LC-6): back with its operator only while they are online (a
            # colleague who logged out or went offline would never see it), else incoming
            # and so to auto-assignment or to everyone online.
            keep = conv.operator_id is not None and conv.operator_id in team.online
            conv.state = "active" if keep else "incoming"
            conv.operator_id = conv.operator_id if keep else None
            conv.opened_at, conv.resolved_at, conv.first_response_s = tx.now, None, None
        if opened:
            await openings.opened(s, conv, tx.now)  # the reports count each opening
        msg = await store.add_message(
            s, conv, sender="visitor", sender_user_id=actor.id, sender_name=visitor.name or alias(actor.id)["en"],
            body=body, client_msg_id=client_msg_id, now=tx.now, kind=kind, meta=meta,
        )
        conv.unread += 1
        await _route(tx, conv, team, opened=opened, new=new, leave=form is None and bool(contact))
        data = store.message_dict(msg)
        if conv.state == "active":
            op = team.get(conv.operator_id) if conv.operator_id else None
            to = [op] if op else []
        else:
            to = _reachable(team) if form is None and contact else team.routable
        await emit_message(tx, conv, data, to, actor.id)
        conv_body = for_visitor(await conversation_dict(s, conv))
    return {"message": data, "conversation": conv_body, "duplicate": False}


def _visitor_gives(visitor: Visitor, contact: dict[str, str]) -> None:
    """The visitor's own name, e-mail, phone: taken where no operator entered one, else
    kept beside the operator's as a suggestion (the operator's entry wins)."""
    by_operator = set(visitor.operator_fields or [])
    suggested = dict(visitor.suggested or {})
    for name, value in contact.items():
        current = getattr(visitor, name)
        if name in by_operator and current and current != value:
            suggested[name] = value
        else:
            setattr(visitor, name, value)
            suggested.pop(name, None)
    visitor.suggested = suggested or None


async def _route(tx: Tx, conv: LiveConversation, team: Roster, *, opened: bool, new: bool, leave: bool) -> None:
    """A conversation that just (re)opened goes to an operator or to the incoming queue;
    operators' lists follow every change (a left message changes the visitor's details)."""
    if new:
        await webhooks.record(tx, conv.tenant_id, "conversation.created",
                              {"conversation": await conversation_dict(tx.session, conv)}, conversation_id=conv.id)
    if conv.state == "incoming" and opened:
        if await auto_assign(tx, conv, team) is None:
            await emit_incoming(tx, conv, _reachable(team) if leave else team.routable)
            if not new:
                await emit_updated(tx, conv, team.ids)
            return
    if opened or leave:
        await emit_updated(tx, conv, team.ids)


def _reachable(team: Roster) -> list[User]:
    """Reachable operators, online or not: a left message waits for them (LC-11)."""
    return [u for u in team.operators if u.id in team.reachable]


async def send(svc: Services, actor: User, body: str, client_msg_id: str, form: dict[str, Any] | None = None, *,
               kind: str = "text", meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return await _visitor_writes(svc, actor, body, client_msg_id, form=form or {}, kind=kind, meta=meta)


async def leave_message(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """No operator online (LC-11): the visitor leaves contact details and a message."""
    name, email = str(data.get("name", "")).strip(), str(data.get("email", "")).strip()
    phone = str(data.get("phone") or "").strip()
    if not name or not email:
        raise BadRequest("name and e-mail are required", code="missing_field")
    if "@" not in email or len(email) > 254 or len(name) > 200 or len(phone) > 40:
        raise BadRequest("give a valid e-mail address, a name of at most 200 and a phone of at most 40 characters",
                         code="invalid_value")
    contact = {"name": name, "email": email, **({"phone": phone} if phone else {})}
    client_msg_id = str(data.get("client_msg_id") or uuid.uuid4().hex)
    return await _visitor_writes(svc, actor, str(data.get("body", "")), client_msg_id, contact=contact)


async def typing(svc: Services, actor: User, is_typing: bool) -> None:
    """The visitor is typing: to the assigned operator, or the routable ones while incoming."""
    async with svc.read() as s:
        visitor = await _visitor(s, actor)
        conv = await store.conversation_of_visitor(s, visitor.user_id)
        if conv is None:
            return
        if conv.state == "active" and conv.operator_id is not None:
            to = [conv.operator_id]
        else:
            to = [u.id for u in (await roster(svc, s, visitor.tenant_id)).routable]
    data = {"conversation_id": conv.id, "typing": is_typing, "name": visitor.name or alias(actor.id)["en"]}
    if to:
        await svc.publish(Delivery(users=to, type="livechat.typing", data=data))
