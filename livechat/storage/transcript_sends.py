"""The hourly limit on transcripts a visitor may have mailed, counted in the database.

Every node shares the database, so a visitor whose requests land on two nodes (a load
balancer, a reconnect) gets no more than :data:`PER_HOUR` transcripts an hour in all, where
a count kept in each process would have allowed that many per node. The conversation's row
is locked first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite has one writer at a time),
so two nodes cannot both count the third send as allowed. A send is counted in the
transaction that mails it: a mail that fails is not counted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.errors import RateLimited
from livechat.models import LiveConversation, TranscriptSend

__all__ = ["PER_HOUR", "count_send"]

PER_HOUR = 3
HOUR = timedelta(hours=1)


async def count_send(s: AsyncSession, conversation_id: int, now: datetime) -> None:
    """Count one transcript of the conversation, or refuse it (``rate_limited`` with
    ``retry_after``) when PER_HOUR were sent in the hour before ``now``."""
    await s.execute(select(LiveConversation.id).where(LiveConversation.id == conversation_id).with_for_update())
    # Older sends count no more: forget them, so the table holds an hour at most.
    await s.execute(delete(TranscriptSend).where(TranscriptSend.conversation_id == conversation_id,
                                                 TranscriptSend.sent_at <= now - HOUR))
    count, first = (await s.execute(select(func.count(), func.min(TranscriptSend.sent_at))
                                    .where(TranscriptSend.conversation_id == conversation_id))).one()
    if count >= PER_HOUR:
        wait = (first + HOUR - now).total_seconds()
        raise RateLimited(f"at most {PER_HOUR} transcripts an hour; try again later", retry_after=int(wait) + 1)
    s.add(TranscriptSend(conversation_id=conversation_id, sent_at=now))
