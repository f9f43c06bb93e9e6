"""Recording a call into the candidate's record (VC-5): the hub's side and the rows.

The recorder (:mod:`signaling.recorder`, its own process) is a member of the call like
any other, as a user of role ``recorder`` of the system organisation: the organiser
starts a recording, the hub asks the recorder (``video.record`` to its user), the
recorder joins, every browser offers it their media, and it writes one WebM per
participant. The files live under ``CHATSERVER_MEDIA_DIR`` and are served only to
colleagues of the record's organisation, never to guests.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from chatserver.actions.context import Services
from chatserver.db.models import ANONYMOUS_ROLES, Record, User
from chatserver.errors import Conflict, Forbidden, NotFound
from chatserver.signed_links import Link, LinkRefused, SignedLinks
from chatserver.storage import accounts, directory
from signaling import media_links, storage
from signaling.models import VideoParticipant, VideoRecording
from signaling.views import room_dict

__all__ = [
    "RECORDER", "SYSTEM_TENANT", "abandoned", "begun", "finished", "recorder_token", "recording_file",
    "recordings_of", "signed_file", "start", "with_link",
]

RECORDER = "recorder"
SYSTEM_TENANT = "_system"


async def recorder_token(svc: Services, ttl: timedelta) -> tuple[str, int]:
    """The recorder process's own login: its user (made on first use) and a fresh token."""
    async with svc.transaction() as tx:
        s = tx.session
        tenant = await accounts.tenant_by_slug(s, SYSTEM_TENANT)
        if tenant is None:
            tenant = await accounts.create_tenant(s, SYSTEM_TENANT, "System", tx.now)
        user = (await s.execute(select(User).where(User.tenant_id == tenant.id, User.role == RECORDER))
                ).scalar_one_or_none()
        if user is None:
            user = await accounts.create_user(s, tenant.id, username="recorder", display_name="Recorder",
                                              password_hash="!", role=RECORDER, now=tx.now)
        return await accounts.issue_token(s, user.id, tx.now, ttl), user.id


async def start(svc: Services, actor: User, conn_id: str) -> dict[str, Any]:
    """The organiser starts recording: everyone present sees it, the recorder is asked in."""
    async with svc.transaction() as tx:
        s = tx.session
        found = await storage.by_conn(s, conn_id)
        if found is None or found[0].user_id != actor.id:
            raise Forbidden("this connection is in no call: send video.join first", code="not_in_room")
        room = found[1]
        if room.owner_id != actor.id:
            raise Forbidden("only the organiser of the call can do this", code="owner_only")
        if room.record_id is None:
            raise Conflict("only a call from a record can be recorded: the recording is kept in it",
                           code="no_record")
        recorder = (await s.execute(select(User.id).where(User.role == RECORDER))).scalar_one_or_none()
        if recorder is None or not await svc.presence.connected([recorder]):
            raise Conflict("the recorder is not running (chatserver video-recorder)", code="recorder_unavailable")
        room.recorded = True
        body = room_dict(room)
        present = await storage.present(s, room.id)
        tx.emit_ephemeral([p.user_id for p in present], "video.room", {"room": body},
                          conns=[p.conn_id for p in present if p.conn_id])
        tx.emit_ephemeral([recorder], "video.record", {"room": room.token})
    return {"room": body}


async def begun(svc: Services, room_token: str, participant_id: int, relative_path: str) -> int:
    """The recorder started writing a participant's file; the row's id."""
    async with svc.transaction() as tx:
        s = tx.session
        room = await storage.room_by_token(s, room_token)
        member = await storage.participant(s, room.id, participant_id)
        if member is None:
            raise NotFound(f"participant {participant_id} is not in this call", code="no_such_participant")
        row = VideoRecording(tenant_id=room.tenant_id, room_id=room.id, record_id=room.record_id,
                             participant_id=member.id, name=member.name, path=relative_path, status="recording",
                             bytes=0, started_at=tx.now)
        s.add(row)
        await s.flush()
        return row.id


async def finished(svc: Services, recording_id: int, size: int) -> None:
    """The file is in place: the recording counts, and the record's timeline shows it."""
    async with svc.transaction() as tx:
        s = tx.session
        row = await s.get(VideoRecording, recording_id)
        if row is None or row.status != "recording":
            return
        row.status, row.bytes, row.ended_at = "complete", size, tx.now
        if row.record_id is not None:
            seconds = int((tx.now - row.started_at).total_seconds())
            names = [p.name for p in (await s.execute(
                select(VideoParticipant).where(VideoParticipant.room_id == row.room_id,
                                               VideoParticipant.role != RECORDER)
                .order_by(VideoParticipant.id))).scalars()]
            await directory.add_timeline(
                s, tenant_id=row.tenant_id, record_id=row.record_id, kind="recording",
                summary=(f"Video recording of {row.name}, {seconds // 60}:{seconds % 60:02d}, "
                         f"{size / 1_000_000:.1f} MB; in the call: {', '.join(names)}"),
                ref_id=row.id, actor_user_id=None, now=tx.now,
            )


async def abandoned(svc: Services, room_id: int) -> int:
    """The recorder went away mid-call: what it was writing is incomplete (never shown)."""
    async with svc.transaction() as tx:
        result = await tx.session.execute(
            update(VideoRecording).where(VideoRecording.room_id == room_id, VideoRecording.status == "recording")
            .values(status="incomplete", ended_at=tx.now))
        return int(getattr(result, "rowcount", 0) or 0)


def _visible(row: VideoRecording | None, actor: User) -> VideoRecording:
    # Another organisation's recording, or one not finished: as if it did not exist.
    if row is None or row.tenant_id != actor.tenant_id or row.status != "complete":
        raise NotFound("no such recording", code="no_such_recording")
    return row


def recording_dict(row: VideoRecording) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "record_id": row.record_id, "bytes": row.bytes,
            "started_at": row.started_at.isoformat(), "ended_at": row.ended_at.isoformat() if row.ended_at else None,
            "url": f"/api/video/recordings/{row.id}/file"}


def with_link(svc: Services, row: VideoRecording, viewer: User) -> dict[str, Any]:
    """The recording with a link a ``<video>`` can play, for this viewer only (media_links)."""
    link = media_links.link(svc.get(SignedLinks), row.id, viewer, svc.clock.now())
    return {**recording_dict(row), "media_url": link.url, "media_expires": link.expires}


def _file(svc: Services, row: VideoRecording) -> tuple[Path, dict[str, Any]]:
    path = Path(svc.config.media_dir) / row.path
    if not path.is_file():
        raise NotFound("the recording's file is missing", code="no_such_recording")
    return path, recording_dict(row)


async def recording_file(svc: Services, actor: User, recording_id: int) -> tuple[Path, dict[str, Any]]:
    """The file of a finished recording, for a colleague of its organisation."""
    async with svc.read() as s:
        row = _visible(await s.get(VideoRecording, recording_id), actor)
    return _file(svc, row)


async def signed_file(svc: Services, recording_id: int, link: Link) -> tuple[Path, dict[str, Any]]:
    """The file by a signed link: the link must be whole and in time, and the colleague it
    was made for must still be one of the recording's organisation."""
    async with svc.read() as s:
        user = await s.get(User, link.user)
        # Gone, or a guest (never given one): as a link that does not match.
        if user is None or user.role in ANONYMOUS_ROLES:
            raise Forbidden("this link to the recording is not valid", code="bad_signature")
        try:
            media_links.check(svc.get(SignedLinks), recording_id, user, link, svc.clock.now())
        except LinkRefused as exc:
            raise Forbidden(str(exc), code=exc.code) from None
        row = _visible(await s.get(VideoRecording, recording_id), user)
    return _file(svc, row)


async def recordings_of(svc: Services, actor: User, record_id: int) -> dict[str, Any]:
    """The finished recordings kept in a record (its timeline links to them), each with a
    link the caller's player can use (``media_url``, valid ``media_expires``)."""
    async with svc.read() as s:
        await directory.get_owned(s, Record, actor.tenant_id, record_id)
        rows = (await s.execute(select(VideoRecording).where(
            VideoRecording.record_id == record_id, VideoRecording.status == "complete")
            .order_by(VideoRecording.id))).scalars()
        return {"recordings": [with_link(svc, r, actor) for r in rows]}
