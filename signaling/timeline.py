"""What a record's page shows of video's timeline entries (chatserver.actions.records):
a call started from the record, a planned interview, and a recording with a link the
viewer's player can use. Registered on ``Services.timeline_details`` by the feature."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services
from chatserver.db.models import TimelineEntry, User
from signaling.models import VideoAppointment, VideoParticipant, VideoRecording, VideoRoom
from signaling.recording import RECORDER, with_link

__all__ = ["DETAILS"]

Details = dict[int, dict[str, Any]]


def _refs(entries: list[TimelineEntry]) -> list[int]:
    return [e.ref_id for e in entries if e.ref_id]


def _open(room: VideoRoom, now: Any) -> bool:
    return room.ended_at is None and room.expires_at > now


async def _calls(svc: Services, s: AsyncSession, viewer: User, entries: list[TimelineEntry]) -> Details:
    """A call from the record (VC-3); its link only for who started it (the link is the key)."""
    rooms = {r.id: r for r in (await s.execute(select(VideoRoom).where(
        VideoRoom.id.in_(_refs(entries)), VideoRoom.tenant_id == viewer.tenant_id))).scalars()}
    now = svc.clock.now()
    out: Details = {}
    for e in entries:
        room = rooms.get(e.ref_id or 0)
        if room is not None:
            out[e.id] = {"title": room.title, "recorded": room.recorded, "open": _open(room, now),
                         "room": room.token if room.owner_id == viewer.id and _open(room, now) else None}
    return out


async def _appointments(svc: Services, s: AsyncSession, viewer: User, entries: list[TimelineEntry]) -> Details:
    """A planned interview (VC-2): when, how long, recorded; its call for who takes part."""
    rows = (await s.execute(select(VideoAppointment, VideoRoom).join(VideoRoom, VideoRoom.id == VideoAppointment.room_id)
                            .where(VideoAppointment.id.in_(_refs(entries)),
                                   VideoAppointment.tenant_id == viewer.tenant_id))).all()
    found = {a.id: (a, room) for a, room in rows}
    now = svc.clock.now()
    out: Details = {}
    for e in entries:
        if (e.ref_id or 0) not in found:
            continue
        a, room = found[e.ref_id or 0]
        takes_part = viewer.id == a.organiser_id or viewer.id in (a.colleagues or [])
        live = a.cancelled_at is None and _open(room, now)
        out[e.id] = {"starts_at": a.starts_at.isoformat(), "minutes": a.minutes, "candidate": a.candidate_name,
                     "recorded": room.recorded, "cancelled": a.cancelled_at is not None,
                     "room": room.token if takes_part and live else None}
    return out


async def _recordings(svc: Services, s: AsyncSession, viewer: User, entries: list[TimelineEntry]) -> Details:
    """A finished recording: who, how long, how big, who was in the call, and a player link
    made out to the viewer (signaling.media_links)."""
    rows = {r.id: r for r in (await s.execute(select(VideoRecording).where(
        VideoRecording.id.in_(_refs(entries)), VideoRecording.tenant_id == viewer.tenant_id,
        VideoRecording.status == "complete"))).scalars()}
    rooms = {r.room_id for r in rows.values()}
    members: dict[int, list[str]] = {}
    for p in (await s.execute(select(VideoParticipant).where(
            VideoParticipant.room_id.in_(rooms), VideoParticipant.role != RECORDER)
            .order_by(VideoParticipant.id))).scalars():
        members.setdefault(p.room_id, []).append(p.name)
    out: Details = {}
    for e in entries:
        row = rows.get(e.ref_id or 0)
        if row is None:
            continue
        seconds = int((row.ended_at - row.started_at).total_seconds()) if row.ended_at else 0
        out[e.id] = {**with_link(svc, row, viewer), "seconds": seconds, "participants": members.get(row.room_id, [])}
    return out


DETAILS = {"video": _calls, "appointment": _appointments, "recording": _recordings}
