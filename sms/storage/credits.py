"""The tenant's SMS credit balance and its ledger (SM-17)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sms.models import SmsCreditBalance, SmsCreditEntry

__all__ = ["balance", "change", "entries"]


async def balance(s: AsyncSession, tenant_id: int) -> int:
    row = await s.get(SmsCreditBalance, tenant_id)
    return int(row.balance) if row is not None else 0


async def change(
    s: AsyncSession,
    tenant_id: int,
    delta: int,
    *,
    reason: str,
    now: datetime,
    user_id: int | None = None,
    message_id: int | None = None,
    note: str = "",
) -> SmsCreditEntry:
    """Add ``delta`` (negative: a charge) to the balance and write the ledger entry.

    The balance row is updated in place with ``balance = balance + delta``, so two
    charges at once serialise on its row lock instead of both reading the same
    balance; it may go negative (seed 002: credits are charged even when not there).
    """
    after = await _add(s, tenant_id, delta)
    if after is None:
        # The tenant's first change: create the row. Another transaction may create it
        # at the same moment; then ours fails in its savepoint and the update applies.
        try:
            async with s.begin_nested():
                s.add(SmsCreditBalance(tenant_id=tenant_id, balance=delta))
            after = delta
        except IntegrityError:
            after = await _add(s, tenant_id, delta)
            assert after is not None  # the row the other transaction made
    entry = SmsCreditEntry(
        tenant_id=tenant_id, delta=delta, balance_after=int(after), reason=reason, note=note,
        message_id=message_id, user_id=user_id, at=now,
    )
    s.add(entry)
    await s.flush()
    return entry


async def _add(s: AsyncSession, tenant_id: int, delta: int) -> int | None:
    res = await s.execute(
        update(SmsCreditBalance)
        .where(SmsCreditBalance.tenant_id == tenant_id)
        .values(balance=SmsCreditBalance.balance + delta)
        .returning(SmsCreditBalance.balance)
    )
    value = res.scalar_one_or_none()
    return None if value is None else int(value)


async def entries(s: AsyncSession, tenant_id: int, limit: int = 50) -> list[SmsCreditEntry]:
    q = (
        select(SmsCreditEntry)
        .where(SmsCreditEntry.tenant_id == tenant_id)
        .order_by(SmsCreditEntry.id.desc())
        .limit(limit)
    )
    return list((await s.execute(q)).scalars())
