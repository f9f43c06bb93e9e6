"""A visitor's data on request (GDPR): export it, erase it, and forget it after a while.

Key-users answer a visitor's request: the export holds everything kept about them (their
details, each conversation with its messages, the files sent in it, the operators' notes
about it, labels and ratings); erasing deletes it all, the files' bytes on disk too
(:mod:`livechat.storage.privacy`, :mod:`chatserver.files`), turns the
events about it in operators' streams into ``livechat.erased``, closes the visitor's
sockets and tells open consoles to drop the conversation. The organisation's setting
``livechat.retention_days`` erases resolved conversations that many days after they were
resolved (:func:`retention_loop`, on every node; each batch is one transaction).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from chatserver.actions.context import Services
from chatserver.db.models import Tenant, User
from chatserver.errors import BadRequest, Forbidden, NotFound
from chatserver.files import actions as files
from chatserver.files import storage as files_store
from chatserver.hub import REVOKED
from chatserver.protocol.schema import Field, fields
from chatserver.storage import settings as settings_store
from livechat.actions import view
from livechat.models import LiveConversation
from livechat.storage import conversations as store
from livechat.storage import privacy
from livechat.storage.notes import note_dict, notes_of

__all__ = ["REQUEST", "erase", "export", "retention_loop", "retention_once"]

log = logging.getLogger(__name__)

# Whose data: one conversation (the console's button), or every visitor who gave an e-mail.
REQUEST = {"conversation_id": Field(int, required=False, minimum=1), "email": Field(str, required=False,
                                                                                    max_length=254)}


def _key_user(actor: User) -> None:
    if actor.role != "key_user":
        raise Forbidden("only a key-user exports or erases a visitor's data", code="key_user_only")


async def _whose(s: Any, actor: User, data: dict[str, Any]) -> list[LiveConversation]:
    data = fields("privacy", REQUEST, data)
    if ("conversation_id" in data) == ("email" in data):
        # A rule of the pair (exactly one of them), not of either field: its own code, so it is
        # not taken for a field the schema should have marked required (tests/openapi/checks.py).
        raise BadRequest("give either conversation_id or email", code="one_of_two", field="conversation_id")
    if "email" in data:
        email = data["email"].strip()
        if "@" not in email:
            raise BadRequest("email: an e-mail address", code="invalid_value", field="email")
        return await privacy.by_email(s, actor.tenant_id, email)
    convs = await privacy.by_ids(s, actor.tenant_id, [data["conversation_id"]])
    if not convs:
        raise NotFound(f"conversation {data['conversation_id']} not found", code="conversation_not_found")
    return convs


async def export(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """Everything kept about the visitor(s), as the visitor may receive it."""
    _key_user(actor)
    async with svc.read() as s:
        convs = await _whose(s, actor, data)
        out = []
        for conv, described in zip(convs, await view.conversation_dicts(s, convs), strict=True):
            out.append({
                "conversation": described,
                "messages": [store.message_dict(m) for m in await store.messages(s, conv.id, limit=100_000)],
                "notes": [note_dict(n) for n in await notes_of(s, conv.id, limit=100_000)],
                # Described here; each file's bytes: GET /api/files/{id}/content.
                "files": [files_store.file_dict(f) for f in await files_store.of_livechat(s, actor.tenant_id,
                                                                                           [conv.id])],
                "ratings": await privacy.ratings_of(s, conv.id),
            })
    return {"exported_at": svc.clock.now().isoformat(), "conversations": out}


async def erase(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """Erase the visitor(s) and all that is kept about them; how many conversations."""
    _key_user(actor)
    async with svc.read() as s:
        ids = [c.id for c in await _whose(s, actor, data)]
    return {"erased": await _erase(svc, actor.tenant_id, ids)}


async def _erase(svc: Services, tenant_id: int, conversation_ids: list[int]) -> int:
    if not conversation_ids:
        return 0
    async with svc.transaction() as tx:
        s = tx.session
        convs = await privacy.by_ids(s, tenant_id, conversation_ids)
        if not convs:
            return 0
        visitors = [c.visitor_user_id for c in convs]
        for user_id, digest in await privacy.tokens_of(s, visitors):
            tx.emit_ephemeral([user_id], REVOKED, {"token": digest})
        await privacy.scrub_streams(s, tenant_id, {c.id for c in convs})
        sent = await files_store.of_livechat(s, tenant_id, [c.id for c in convs])
        await privacy.forget(s, tenant_id, convs)
        team = await view.roster(svc, s, tenant_id)
        for conv in convs:
            await tx.emit_durable(team.ids, "livechat.erased", {"conversation_id": conv.id})
    # Committed: the rows are gone (ON DELETE CASCADE), so are the bytes.
    await files.erase_blobs(svc, sent)
    return len(convs)


async def retention_once(svc: Services) -> int:
    """Erase what each organisation's retention setting says is too old; how many."""
    async with svc.read() as s:
        tenants = list((await s.execute(select(Tenant.id))).scalars())
        due: list[tuple[int, list[int]]] = []
        now = svc.clock.now()
        for tenant_id in tenants:
            days = (await settings_store.tenant_values(s, tenant_id))["livechat.retention_days"]
            if days:
                ids = await privacy.expired(s, now - timedelta(days=days), tenant_id)
                if ids:
                    due.append((tenant_id, ids))
    erased = 0
    for tenant_id, ids in due:
        erased += await _erase(svc, tenant_id, ids)
    if erased:
        log.info("retention: erased %d resolved live-chat conversations", erased)
    return erased


async def retention_loop(svc: Services, interval: float = 3600.0) -> None:
    while True:
        try:
            await retention_once(svc)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("live-chat retention failed; trying again in %.0fs", interval)
        await asyncio.sleep(interval)
