"""Credits (SM-17): the balance, the ledger, and a key-user's top-up. Charges happen at release (sms/actions/lifecycle.py)."""

from __future__ import annotations

from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import BadRequest, Forbidden
from sms.actions import access, inputs
from sms.actions.view import iso
from sms.models import SmsCreditEntry
from sms.storage import credits as store

__all__ = ["balance", "top_up"]

MAX_TOP_UP = 10_000_000


def _entry(e: SmsCreditEntry) -> dict[str, Any]:
    return {"id": e.id, "delta": e.delta, "balance_after": e.balance_after, "reason": e.reason, "note": e.note,
            "message_id": e.message_id, "user_id": e.user_id, "at": iso(e.at)}


async def balance(svc: Services, user: User, limit: int = 50) -> dict[str, Any]:
    if not 1 <= limit <= 500:
        raise BadRequest("limit must be 1..500", code="invalid_value", field="limit")
    async with svc.read() as s:
        actor = await access.load(s, user)
        current = await store.balance(s, actor.tenant_id)
        # The ledger shows who sent what: for SMS-admins and key-users only.
        rows = await store.entries(s, actor.tenant_id, limit) if actor.admin or actor.key_user else []
    return {"balance": current, "entries": [_entry(e) for e in rows]}


async def top_up(svc: Services, user: User, data: dict[str, Any]) -> dict[str, Any]:
    amount = data.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_TOP_UP:
        raise BadRequest(f"amount must be a whole number from 1 to {MAX_TOP_UP}", code="invalid_value", field="amount",
                         min=1, max=MAX_TOP_UP)
    note = inputs.optional_text(data, "note", 300)
    async with svc.transaction() as tx:
        actor = await access.load(tx.session, user)
        if not actor.key_user:
            raise Forbidden("Only key-users can add SMS credits.", code="not_key_user")
        entry = await store.change(tx.session, actor.tenant_id, amount, reason="top_up", now=tx.now,
                                   user_id=user.id, note=note)
        return {"entry": _entry(entry), "balance": entry.balance_after}
