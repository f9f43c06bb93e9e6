"""Counts of the SMS outbox that /metrics reads from the database when it is scraped."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["OUTBOX_STATES", "outbox_depth"]

# The states of an SMS outbox row that is not final yet (sms_recipients.state).
OUTBOX_STATES = ("pending", "submitting", "unknown")

# The whole database's, for the operator; the index on (state, next_attempt_at) answers it.
_DEPTH = text("SELECT state, COUNT(*) FROM sms_recipients WHERE state IN ('pending', 'submitting', 'unknown') "
              "GROUP BY state")


async def outbox_depth(session: AsyncSession) -> dict[str, int]:
    """Rows per state of :data:`OUTBOX_STATES` (0 for a state with none)."""
    counts = dict.fromkeys(OUTBOX_STATES, 0)
    for state, count in (await session.execute(_DEPTH)).all():
        counts[str(state)] = int(count)
    return counts
