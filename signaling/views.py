"""The shapes of rooms and participants as clients see them (REST, acks, events)."""

from __future__ import annotations

from typing import Any

from signaling import rules
from signaling.models import VideoParticipant, VideoRoom

__all__ = ["member_dict", "room_dict"]


def room_dict(room: VideoRoom) -> dict[str, Any]:
    return {
        "token": room.token, "url": f"/v/{room.token}", "kind": room.kind, "title": room.title,
        "owner_id": room.owner_id, "callee_id": room.callee_id, "record_id": room.record_id, "recorded": room.recorded,
        "has_password": room.password_hash is not None, "ended": room.ended_at is not None,
        "expires_at": room.expires_at.isoformat(),
    }


def member_dict(p: VideoParticipant, *, me: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"id": p.id, "name": p.name, "role": p.role, "audio": p.audio, "video": p.video}
    if me is not None:
        body["polite"] = rules.polite(me, p.id)
    return body
