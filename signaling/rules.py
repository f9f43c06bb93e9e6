"""The rules of a video room, without I/O: who may join, what a signal may carry.

The actions (:mod:`signaling.actions`) read the room and its participants, ask these
functions, and write what they decide; so every rule is tested without a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chatserver.errors import BadRequest, Forbidden, NotFound, TooLarge

__all__ = [
    "KINDS", "MAX_CANDIDATE_BYTES", "MAX_SDP_BYTES", "SIGNAL_KINDS", "Joiner", "RoomView",
    "check_join", "check_signal", "polite",
]

KINDS = ("chat", "adhoc", "planned")
SIGNAL_KINDS = ("offer", "answer", "candidate")
# An SDP of a browser with audio, video and a data channel is 3-8 KB; 64 KiB leaves
# room for many codecs and simulcast, and stops a member from flooding the others.
MAX_SDP_BYTES = 64 * 1024
MAX_CANDIDATE_BYTES = 2048


@dataclass(frozen=True, slots=True)
class RoomView:
    """What the join rule needs of a room."""

    tenant_id: int
    owner_id: int
    callee_id: int | None
    has_password: bool
    ended: bool
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Joiner:
    """Who asks to join: a colleague of some tenant, or a guest of some room."""

    user_id: int
    tenant_id: int
    guest_of_room: bool | None  # None: a colleague; True/False: a guest of this room or not
    removed: bool  # removed from this room by its owner


def check_join(room: RoomView, who: Joiner, *, now: datetime, password_ok: bool | None,
               present: int, cap: int, already_present: bool) -> str:
    """The role the joiner gets (owner, member, guest), or the error that says why not.

    ``password_ok``: None when no password was given. The owner and the colleague called
    join without it; any other colleague of the organisation needs it if one is set; a
    guest has given it when their guest session was made.
    """
    if room.ended:
        raise Forbidden("this call has ended", code="room_ended")
    if room.expires_at <= now:
        raise Forbidden("this call's link has expired", code="room_expired")
    if who.removed:
        raise Forbidden("the organiser removed you from this call", code="removed")
    invited = who.user_id in (room.owner_id, room.callee_id)  # the callee may be an external contact
    if who.guest_of_room is False or (not invited and who.tenant_id != room.tenant_id):
        # Another room's guest, another organisation's colleague: as if it did not exist.
        raise NotFound("no such call", code="no_such_room")
    if not already_present and present >= cap:
        raise Forbidden(f"this call is full ({cap} people)", code="room_full")
    if who.guest_of_room:
        return "guest"
    if who.user_id == room.owner_id:
        return "owner"
    if who.user_id != room.callee_id and room.has_password and not password_ok:
        raise Forbidden("this call has a password", code="password_required" if password_ok is None
                        else "wrong_password")
    return "member"


def check_signal(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The part of a ``video.signal`` that is relayed: its kind and SDP or candidate."""
    if kind not in SIGNAL_KINDS:
        raise BadRequest(f"video.signal: kind must be one of {', '.join(SIGNAL_KINDS)}", code="invalid_value",
                         field="kind")
    if kind == "candidate":
        candidate = data.get("candidate")
        if not isinstance(candidate, dict):
            raise BadRequest("video.signal: a candidate signal carries 'candidate' (an object)",
                             code="missing_field", field="candidate")
        text = candidate.get("candidate")
        if not isinstance(text, str) or len(text.encode()) > MAX_CANDIDATE_BYTES:
            raise BadRequest("video.signal: candidate.candidate must be a string of at most "
                             f"{MAX_CANDIDATE_BYTES} bytes", code="invalid_value", field="candidate")
        mid, index = candidate.get("sdpMid"), candidate.get("sdpMLineIndex")
        if mid is not None and (not isinstance(mid, str) or len(mid) > 64):
            raise BadRequest("video.signal: candidate.sdpMid must be a short string", code="invalid_value",
                             field="candidate")
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 256):
            raise BadRequest("video.signal: candidate.sdpMLineIndex must be 0-255", code="invalid_value",
                             field="candidate")
        return {"kind": kind, "candidate": {"candidate": text, "sdpMid": mid, "sdpMLineIndex": index}}
    sdp = data.get("sdp")
    if not isinstance(sdp, str):
        raise BadRequest(f"video.signal: an {kind} carries 'sdp' (a string)", code="missing_field", field="sdp")
    if len(sdp.encode()) > MAX_SDP_BYTES:
        raise TooLarge(f"video.signal: the SDP is over {MAX_SDP_BYTES // 1024} KiB")
    return {"kind": kind, "sdp": sdp}


def polite(me: int, other: int) -> bool:
    """Perfect negotiation needs exactly one polite side per pair: the later joiner
    (the higher participant id) is polite, so both sides agree without asking."""
    return me > other
