"""Video rooms and who is in them, on the shared :class:`Base`.

A room is reached by its link ``/v/{token}``: the token is the secret (192 random
bits), so it is unique and never guessable. A guest (a candidate) is a ``users`` row
with ``role = "guest"`` whose token is valid for its room only (as a website visitor's
is for its site). A participant row is one person in one room: ``conn_id`` is the
connection they are present with now (None while away), so a signal reaches that one
tab on whichever node it lives.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chatserver.db.models import Base, BigId, UTCDateTime


class VideoRoom(Base):
    __tablename__ = "video_rooms"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # chat | adhoc | planned
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A chat call: the colleague called (VC-1); they join without the password.
    callee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # An ad-hoc or planned call with a candidate: their record (VC-3, VC-2).
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A chat call: when the colleague called first joined (the call's length counts from it).
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A chat call: when its ringing ended unanswered (or never started: Do not disturb).
    # Set once, by whichever node claims it first, so the missed call is noted once.
    ring_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class VideoParticipant(Base):
    __tablename__ = "video_participants"
    __table_args__ = (
        UniqueConstraint("room_id", "user_id"),
        Index("ix_video_participants_conn", "conn_id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("video_rooms.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))  # owner | member | guest
    conn_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    audio: Mapped[bool] = mapped_column(Boolean, default=True)
    video: Mapped[bool] = mapped_column(Boolean, default=True)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class VideoRecording(Base):
    """One participant's audio and video of a recorded call, a WebM file (VC-5).

    ``status``: ``recording`` while the recorder writes it (under a temporary name: the
    file is not valid before the recorder stops), ``complete`` once moved into place,
    ``incomplete`` when the recorder went away mid-call (never shown as a recording).
    """

    __tablename__ = "video_recordings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("video_rooms.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"), nullable=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("video_participants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(500))  # relative to CHATSERVER_MEDIA_DIR
    status: Mapped[str] = mapped_column(String(12))  # recording | complete | incomplete
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class VideoAppointment(Base):
    """A planned interview (VC-2): a room of kind ``planned`` with a candidate's record, a
    time, the colleagues taking part and the candidate invited by e-mail. ``uid`` and
    ``sequence`` are the calendar event's: a move sends the same UID with a higher
    SEQUENCE, a cancellation METHOD:CANCEL, so the candidate's calendar follows."""

    __tablename__ = "video_appointments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("video_rooms.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    colleagues: Mapped[Any] = mapped_column(JSON)  # user ids taking part besides the organiser
    candidate_name: Mapped[str] = mapped_column(String(200))
    candidate_email: Mapped[str] = mapped_column(String(254))
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
