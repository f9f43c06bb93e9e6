"""The SQL of video rooms and participants. Anything taken from a client is looked up
together with what scopes it (the room's token, the caller's connection)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.errors import NotFound
from signaling.models import VideoParticipant, VideoRoom

__all__ = [
    "add_room", "by_conn", "clear_conn", "participant", "participant_of", "present", "room_by_token",
]


async def add_room(s: AsyncSession, room: VideoRoom) -> VideoRoom:
    s.add(room)
    await s.flush()
    return room


async def room_by_token(s: AsyncSession, token: str, *, for_update: bool = False) -> VideoRoom:
    q = select(VideoRoom).where(VideoRoom.token == token)
    if for_update:
        q = q.with_for_update()
    room = (await s.execute(q)).scalar_one_or_none()
    if room is None:
        raise NotFound("no such call", code="no_such_room")
    return room


async def participant_of(s: AsyncSession, room_id: int, user_id: int) -> VideoParticipant | None:
    q = select(VideoParticipant).where(VideoParticipant.room_id == room_id, VideoParticipant.user_id == user_id)
    return (await s.execute(q)).scalar_one_or_none()


async def participant(s: AsyncSession, room_id: int, participant_id: int) -> VideoParticipant | None:
    p = await s.get(VideoParticipant, participant_id)
    return p if p is not None and p.room_id == room_id else None


async def present(s: AsyncSession, room_id: int) -> list[VideoParticipant]:
    """The members present now (with a connection), in the order they joined."""
    q = (select(VideoParticipant)
         .where(VideoParticipant.room_id == room_id, VideoParticipant.conn_id.is_not(None))
         .order_by(VideoParticipant.id))
    return list((await s.execute(q)).scalars())


async def by_conn(s: AsyncSession, conn_id: str) -> tuple[VideoParticipant, VideoRoom] | None:
    """The participant a connection is present as, and its room; None when in no room."""
    q = (select(VideoParticipant, VideoRoom).join(VideoRoom, VideoRoom.id == VideoParticipant.room_id)
         .where(VideoParticipant.conn_id == conn_id))
    row = (await s.execute(q)).first()
    return (row[0], row[1]) if row is not None else None


async def clear_conn(s: AsyncSession, conn_id: str, now: datetime) -> None:
    await s.execute(update(VideoParticipant).where(VideoParticipant.conn_id == conn_id)
                    .values(conn_id=None, left_at=now))


async def end_ringing(s: AsyncSession, room_id: int, now: datetime) -> bool:
    """Claim the end of a chat call's ringing, once: whether this caller got it. False
    when it was answered or another node (or an earlier sweep) ended it already."""
    result = await s.execute(
        update(VideoRoom)
        .where(VideoRoom.id == room_id, VideoRoom.ring_ended_at.is_(None), VideoRoom.answered_at.is_(None))
        .values(ring_ended_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def overdue_rings(s: AsyncSession, rang_before: datetime, since: datetime) -> list[int]:
    """Chat calls still ringing that should have stopped: their timer was on a node that
    went away (a restart). Only the recent ones: an old room is not worth a late note."""
    rows = await s.execute(
        select(VideoRoom.id).where(
            VideoRoom.kind == "chat", VideoRoom.callee_id.is_not(None), VideoRoom.answered_at.is_(None),
            VideoRoom.ring_ended_at.is_(None), VideoRoom.created_at < rang_before, VideoRoom.created_at >= since,
        ).order_by(VideoRoom.id).limit(100)
    )
    return list(rows.scalars())
