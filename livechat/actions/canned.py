"""Canned responses: replies an operator inserts by typing ``/shortcut`` in the reply box.

Two lists: the organisation's, kept by key-users and offered to every operator, and each
operator's own, seen and changed by that operator only. Another operator's own response
and another organisation's answer NotFound, so their ids tell nothing.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import BadRequest, Conflict, Forbidden, NotFound
from chatserver.protocol.schema import Field, fields
from livechat.actions.view import require_operator
from livechat.models import CannedResponse
from livechat.storage import canned as store

__all__ = ["CREATE", "MAX_TEXT", "UPDATE", "create", "delete", "list_visible", "update"]

MAX_TEXT = 4000
# Letters (any script), digits, "-" and "_": what can follow a slash in a sentence.
_SHORTCUT = re.compile(r"[^\W_][\w-]{0,39}")
SCOPES = ("organisation", "personal")

# The REST bodies (docs/livechat.md).
CREATE = {
    "scope": Field(str, choices=SCOPES),
    "shortcut": Field(str, max_length=41),
    "text": Field(str, max_length=MAX_TEXT),
}
UPDATE = {"shortcut": Field(str, required=False, max_length=41), "text": Field(str, required=False, max_length=MAX_TEXT)}


def canned_dict(row: CannedResponse) -> dict[str, Any]:
    return {
        "id": row.id,
        "scope": "organisation" if row.owner_id is None else "personal",
        "shortcut": row.shortcut,
        "text": row.text,
        "updated_at": row.updated_at.isoformat(),
    }


def _shortcut(value: str) -> str:
    shortcut = value.strip().removeprefix("/").lower()
    if not _SHORTCUT.fullmatch(shortcut):
        raise BadRequest("shortcut: 1 to 40 letters, digits, '-' or '_', starting with a letter or digit",
                         code="invalid_value", field="shortcut")
    return shortcut


def _text(value: str) -> str:
    text = value.strip()
    if not text:
        raise BadRequest("text: the response is empty", code="invalid_value", field="text")
    return text


async def _may_use(s: AsyncSession, actor: User) -> None:
    """Operators use them; a key-user keeps the organisation's without being an operator."""
    if actor.role != "key_user":
        await require_operator(s, actor)


async def list_visible(svc: Services, actor: User) -> list[dict[str, Any]]:
    async with svc.read() as s:
        await _may_use(s, actor)
        return [canned_dict(r) for r in await store.visible_to(s, actor.tenant_id, actor.id)]


async def _unique(s: AsyncSession, actor: User, owner_id: int | None, shortcut: str, other_than: int | None = None) -> None:
    if await store.same_shortcut(s, actor.tenant_id, owner_id, shortcut, other_than=other_than):
        where = "the organisation's" if owner_id is None else "your"
        raise Conflict(f"/{shortcut} is one of {where} canned responses already", code="shortcut_taken",
                       field="shortcut")


def _key_user(actor: User) -> None:
    if actor.role != "key_user":
        raise Forbidden("only a key-user can change the organisation's canned responses", code="key_user_only")


async def create(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    clean = fields("canned", CREATE, data)
    shortcut, text = _shortcut(clean["shortcut"]), _text(clean["text"])
    async with svc.transaction() as tx:
        s = tx.session
        if clean["scope"] == "organisation":
            _key_user(actor)
            owner: int | None = None
        else:
            await require_operator(s, actor)
            owner = actor.id
        await _unique(s, actor, owner, shortcut)
        return canned_dict(await store.create(s, actor.tenant_id, owner, shortcut, text, tx.now))


async def _own(s: AsyncSession, actor: User, canned_id: int) -> CannedResponse:
    """The response if the actor may change it: their own, or the organisation's for a key-user."""
    row = await store.get(s, canned_id, actor.tenant_id)
    if row.owner_id is None:
        _key_user(actor)
    elif row.owner_id != actor.id:
        # Another operator's own: as if it did not exist.
        raise NotFound(f"no canned response with id {canned_id}", code="no_such_canned")
    return row


async def update(svc: Services, actor: User, canned_id: int, data: dict[str, Any]) -> dict[str, Any]:
    clean = fields("canned", UPDATE, data)
    shortcut = _shortcut(clean["shortcut"]) if "shortcut" in clean else None
    text = _text(clean["text"]) if "text" in clean else None
    async with svc.transaction() as tx:
        s = tx.session
        row = await _own(s, actor, canned_id)
        if shortcut is not None and shortcut != row.shortcut:
            await _unique(s, actor, row.owner_id, shortcut, other_than=row.id)
            row.shortcut = shortcut
        if text is not None:
            row.text = text
        row.updated_at = tx.now
        await s.flush()
        return canned_dict(row)


async def delete(svc: Services, actor: User, canned_id: int) -> dict[str, Any]:
    async with svc.transaction() as tx:
        row = await _own(tx.session, actor, canned_id)
        await store.delete(tx.session, row)
    return {"id": canned_id, "deleted": True}
