"""Deleting a live-chat site (key-users): the site and everything of its visitors.

A site's visitors exist only for it, so they go with it, as an erasure (GDPR) takes them:
their sockets are closed (tokens revoked), the events about their conversations in the
operators' streams become ``livechat.erased`` tombstones, and open consoles drop those
conversations. The embed snippet stops working at once (``no_such_site``). Creating and
changing sites is :mod:`livechat.actions.sites`.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import Forbidden
from chatserver.hub import REVOKED
from chatserver.storage import accounts
from livechat.actions import view
from livechat.models import LiveConversation, Site, Visitor
from livechat.storage import conversations as store
from livechat.storage import privacy

__all__ = ["delete_site"]


async def delete_site(svc: Services, actor: User, site_id: int) -> dict[str, int]:
    """Delete the tenant's site ``site_id``; how many conversations went with it."""
    if actor.role != "key_user":
        raise Forbidden("only a key-user can delete a site", code="key_user_only")
    async with svc.transaction() as tx:
        s = tx.session
        site = await store.get_site(s, site_id, tenant_id=actor.tenant_id)  # another's: 404
        convs = list((await s.execute(select(LiveConversation).where(
            LiveConversation.tenant_id == actor.tenant_id, LiveConversation.site_id == site.id))).scalars())
        visitors = list((await s.execute(select(Visitor.user_id).where(Visitor.site_id == site.id))).scalars())
        for user_id, digest in await privacy.tokens_of(s, visitors):
            tx.emit_ephemeral([user_id], REVOKED, {"token": digest})
        await privacy.scrub_streams(s, actor.tenant_id, {c.id for c in convs})
        await privacy.forget(s, actor.tenant_id, convs)
        # Visitors who never wrote have no conversation to be forgotten by: their users too.
        await accounts.delete_users(s, actor.tenant_id, visitors, role="visitor")
        await s.execute(delete(Site).where(Site.id == site.id))
        team = await view.roster(svc, s, actor.tenant_id)
        for conv in convs:
            await tx.emit_durable(team.ids, "livechat.erased", {"conversation_id": conv.id})
    return {"deleted": site_id, "conversations": len(convs)}
