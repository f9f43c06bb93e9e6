"""A chat's transcript by e-mail: to the visitor when they ask for it in the widget, and
to the organisation's team address (``livechat.transcript_to``) when a chat is resolved.

Sent through :mod:`chatserver.mail` (SMTP, or the outbox the demo shows). A transcript
holds the messages the visitor saw, nothing else: operators' private notes live in
another table and never reach it. A visitor may ask for their own conversation only,
at most :data:`PER_HOUR` times an hour on all nodes together, so the widget cannot be used to flood an address.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver import mail
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import Conflict
from chatserver.storage import settings as settings_store
from livechat.actions.names import alias
from livechat.actions.view import own_conversation
from livechat.models import LiveConversation
from livechat.storage import conversations as store
from livechat.storage.transcript_sends import PER_HOUR, count_send

__all__ = ["PER_HOUR", "compose", "send_to_team", "send_to_visitor"]

log = logging.getLogger(__name__)

_WORDS = {
    "en": {"subject": "Transcript of your chat with {site}",
           "team": "Live chat transcript: {site}, {visitor}", "title": "Chat with {site}", "date": "Date",
           "visitor": "Visitor", "system": "Note", "times": "Times are in UTC."},
    "nl": {"subject": "Verslag van uw chat met {site}",
           "team": "Verslag live chat: {site}, {visitor}", "title": "Chat met {site}", "date": "Datum",
           "visitor": "Bezoeker", "system": "Melding", "times": "Tijden zijn in UTC."},
}


def _language(accept: str) -> str:
    return "nl" if accept.strip().lower().startswith("nl") else "en"


async def compose(s: AsyncSession, conv: LiveConversation, *, team: bool = False) -> tuple[str, str]:
    """The subject (the visitor's, or the team's) and the plain-text body: site, date,
    then who wrote what and when, in the visitor's language."""
    site = await store.get_site(s, conv.site_id)
    visitor = await store.get_visitor(s, conv.visitor_user_id)
    lang = _language(visitor.language if visitor else "")
    w = _WORDS[lang]
    visitor_name = (visitor.name if visitor else "") or alias(conv.visitor_user_id)[lang]
    lines = [w["title"].format(site=site.name), f"{w['date']}: {conv.created_at:%Y-%m-%d}", ""]
    for m in await store.messages(s, conv.id):
        who = {"visitor": visitor_name, "system": w["system"]}.get(m.sender) or m.sender_name
        body = m.body.replace("\n", "\n    ")
        lines.append(f"[{m.created_at:%Y-%m-%d %H:%M}] {who}:\n    {body}")
    lines += ["", w["times"]]
    subject = w["team" if team else "subject"].format(site=site.name, visitor=visitor_name)
    return subject, "\n".join(lines) + "\n"


async def send_to_visitor(svc: Services, actor: User, email: str) -> dict[str, Any]:
    """The visitor's own conversation to ``email`` (checked here: one plain address)."""
    email = mail.check_address(email)
    async with svc.transaction() as tx:
        s = tx.session
        conv = await own_conversation(s, actor, "ask for their transcript")
        if conv is None or conv.last_message_at is None:
            raise Conflict("there is no conversation to send yet", code="no_conversation")
        await count_send(s, conv.id, tx.now)  # the hourly limit, shared by every node
        subject, body = await compose(s, conv)
        how = await mail.deliver(svc.config, s, mail.Mail(to=email, subject=subject, body=body),
                                 tenant_id=conv.tenant_id, now=tx.now)
    return {"sent": how, "to": email}


async def send_to_team(svc: Services, tenant_id: int, conversation_id: int) -> str | None:
    """After a resolve: the transcript to ``livechat.transcript_to``, if set. A mail that
    fails is logged, not raised: the chat is resolved either way."""
    async with svc.transaction() as tx:
        s = tx.session
        to = str((await settings_store.tenant_values(s, tenant_id)).get("livechat.transcript_to") or "")
        if not to:
            return None
        conv = await store.get_conversation(s, conversation_id, tenant_id)
        subject, body = await compose(s, conv, team=True)
        try:
            return await mail.deliver(svc.config, s, mail.Mail(to=to, subject=subject, body=body),
                                      tenant_id=tenant_id, now=tx.now)
        except mail.MailFailed:
            log.warning("transcript of live chat %s to the team was not sent", conversation_id)
            return None
