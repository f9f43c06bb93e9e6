"""Labels on conversations: the organisation's list (name and colour, kept by key-users),
put on and taken off a conversation by its operators, and lists filtered by label.

Conversations carry their ``label_ids``; operators hear ``livechat.labels`` when the list
changes and ``livechat.updated`` when a conversation's labels change. The visitor hears
of neither: labels are the operators' own.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services, Tx
from chatserver.db.models import User
from chatserver.errors import BadRequest, Conflict, Forbidden
from chatserver.protocol.schema import Field, fields
from livechat.actions.view import conversation_dict, emit_updated, require_operator, roster
from livechat.models import Label
from livechat.storage import conversations as store
from livechat.storage import labels as labels_store

__all__ = ["CREATE", "ON_CONVERSATION", "UPDATE", "add", "create", "delete", "list_labels", "remove", "update"]

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

# The REST bodies (docs/livechat.md).
CREATE = {"name": Field(str, max_length=40), "colour": Field(str, max_length=7)}
UPDATE = {"name": Field(str, required=False, max_length=40), "colour": Field(str, required=False, max_length=7)}
ON_CONVERSATION = {"label_id": Field(int, minimum=1)}


def label_dict(label: Label) -> dict[str, Any]:
    return {"id": label.id, "name": label.name, "colour": label.colour}


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise BadRequest("name: the label's name is empty", code="invalid_value", field="name")
    return name


def _colour(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise BadRequest("colour: #rrggbb, e.g. #1f5fbf", code="invalid_value", field="colour")
    return value.lower()


def _key_user(actor: User) -> None:
    if actor.role != "key_user":
        raise Forbidden("only a key-user can change the organisation's labels", code="key_user_only")


async def _unique(s: AsyncSession, actor: User, name: str, other_than: int | None = None) -> None:
    if await labels_store.same_name(s, actor.tenant_id, name, other_than=other_than):
        raise Conflict(f"there is a label {name!r} already", code="label_taken", field="name")


async def _announce(tx: Tx, actor: User, svc: Services) -> list[dict[str, Any]]:
    """The list as it is now, to every operator of the organisation (ephemeral: the
    console fetches it again after a reconnect)."""
    labels = [label_dict(x) for x in await labels_store.labels_of(tx.session, actor.tenant_id)]
    team = await roster(svc, tx.session, actor.tenant_id)
    tx.emit_ephemeral(team.ids, "livechat.labels", {"labels": labels})
    return labels


async def list_labels(svc: Services, actor: User) -> list[dict[str, Any]]:
    async with svc.read() as s:
        if actor.role != "key_user":
            await require_operator(s, actor)
        return [label_dict(x) for x in await labels_store.labels_of(s, actor.tenant_id)]


async def create(svc: Services, actor: User, data: dict[str, Any]) -> dict[str, Any]:
    clean = fields("label", CREATE, data)
    name, colour = _name(clean["name"]), _colour(clean["colour"])
    _key_user(actor)
    async with svc.transaction() as tx:
        await _unique(tx.session, actor, name)
        label = await labels_store.create(tx.session, actor.tenant_id, name, colour, tx.now)
        await _announce(tx, actor, svc)
        return label_dict(label)


async def update(svc: Services, actor: User, label_id: int, data: dict[str, Any]) -> dict[str, Any]:
    clean = fields("label", UPDATE, data)
    name = _name(clean["name"]) if "name" in clean else None
    colour = _colour(clean["colour"]) if "colour" in clean else None
    _key_user(actor)
    async with svc.transaction() as tx:
        label = await labels_store.get(tx.session, label_id, actor.tenant_id)
        if name is not None:
            await _unique(tx.session, actor, name, other_than=label.id)
            label.name = name
        if colour is not None:
            label.colour = colour
        await tx.session.flush()
        await _announce(tx, actor, svc)
        return label_dict(label)


async def delete(svc: Services, actor: User, label_id: int) -> dict[str, Any]:
    """Delete a label: it leaves every conversation (their ``label_ids`` follow from the
    ``livechat.labels`` list; no event per conversation)."""
    _key_user(actor)
    async with svc.transaction() as tx:
        label = await labels_store.get(tx.session, label_id, actor.tenant_id)
        await labels_store.remove(tx.session, label)
        await _announce(tx, actor, svc)
    return {"id": label_id, "deleted": True}


async def _on_conversation(
    svc: Services, actor: User, conversation_id: int, label_id: int, *, put: bool
) -> dict[str, Any]:
    async with svc.transaction() as tx:
        s = tx.session
        await require_operator(s, actor)
        conv = await store.get_conversation(s, conversation_id, actor.tenant_id)
        label = await labels_store.get(s, label_id, actor.tenant_id)
        changed = await (labels_store.add_to if put else labels_store.remove_from)(s, conv.id, label.id)
        if not changed:
            # Already so (a double click, two operators at once): nothing to announce.
            return await conversation_dict(s, conv)
        team = await roster(svc, s, actor.tenant_id)
        return await emit_updated(tx, conv, team.ids, visitor=False)


async def add(svc: Services, actor: User, conversation_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Put one of the organisation's labels on a conversation (any operator, any state)."""
    label_id = fields("label", ON_CONVERSATION, data)["label_id"]
    return await _on_conversation(svc, actor, conversation_id, label_id, put=True)


async def remove(svc: Services, actor: User, conversation_id: int, label_id: int) -> dict[str, Any]:
    return await _on_conversation(svc, actor, conversation_id, label_id, put=False)
