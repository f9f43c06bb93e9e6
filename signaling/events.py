"""The ``video.*`` events the server sends (chatserver.protocol.events): all ephemeral.

Each goes only to the connections present in the room, except the ringing, which goes to
every tab of the colleague called, and the appointments, to the organiser's and the
colleagues' tabs (docs/protocol.md, generated from this table).
"""

from __future__ import annotations

from chatserver.protocol.events import Event
from chatserver.protocol.schema import Field

__all__ = ["EVENTS"]

_ROOM_TOKEN = {"room": Field(str)}
# signaling.views.room_dict
ROOM = {
    "token": Field(str), "url": Field(str), "kind": Field(str), "title": Field(str, nullable=True),
    "owner_id": Field(int), "callee_id": Field(int, nullable=True), "record_id": Field(int, nullable=True),
    "recorded": Field(bool), "has_password": Field(bool), "ended": Field(bool), "expires_at": Field(str),
}
# signaling.views.member_dict (with polite: this receiver's role in perfect negotiation)
MEMBER = {
    "id": Field(int), "name": Field(str), "role": Field(str), "audio": Field(bool), "video": Field(bool),
    "polite": Field(bool, required=False),
}
_IN_ROOM = "the connections present in the room"
_SECTION = "video"

EVENTS: dict[str, Event] = {
    "video.ring": Event(False, "every tab of the colleague called", {
        "room": Field(dict, shape=ROOM), "from": Field(dict, shape={"id": Field(int), "name": Field(str)}),
        "seconds": Field((int, float)),
    }, section=_SECTION),
    "video.ring_ended": Event(False, "the callee's tabs", _ROOM_TOKEN,
                              "answered on another tab, declined, or no answer", section=_SECTION),
    "video.declined": Event(False, "the caller", {**_ROOM_TOKEN, "by": Field(str)}, section=_SECTION),
    "video.no_answer": Event(False, "the caller", _ROOM_TOKEN, section=_SECTION),
    "video.joined": Event(False, _IN_ROOM, {**_ROOM_TOKEN, "participant": Field(dict, shape=MEMBER)},
                          section=_SECTION),
    "video.signal": Event(False, "the one connection addressed", {
        **_ROOM_TOKEN, "from": Field(int), "kind": Field(str, choices=("offer", "answer", "candidate")),
        "sdp": Field(str, required=False), "candidate": Field(dict, required=False),
    }, "from: the sender's participant id, set by the server", section=_SECTION),
    "video.state": Event(False, _IN_ROOM, {
        **_ROOM_TOKEN, "participant": Field(int), "audio": Field(bool), "video": Field(bool),
    }, section=_SECTION),
    "video.left": Event(False, _IN_ROOM, {
        **_ROOM_TOKEN, "participant": Field(int),
        "reason": Field(str, choices=("left", "removed", "away", "replaced")),
    }, "away: the connection dropped; replaced: to the member's own old tab", section=_SECTION),
    "video.removed": Event(False, "the removed member's connection", _ROOM_TOKEN, section=_SECTION),
    "video.ended": Event(False, _IN_ROOM, _ROOM_TOKEN, "the organiser ended the call", section=_SECTION),
    "video.room": Event(False, _IN_ROOM, {"room": Field(dict, shape=ROOM)},
                        "its settings changed (a password set, recording started)", section=_SECTION),
    "video.appointment": Event(False, "the organiser's and the colleagues' tabs", {
        "id": Field(int), "title": Field(str), "record_id": Field(int, nullable=True), "organiser_id": Field(int),
        "starts_at": Field(str), "minutes": Field(int), "colleagues": Field(list),
        "candidate_name": Field(str, nullable=True), "candidate_email": Field(str, nullable=True),
        "sequence": Field(int), "cancelled": Field(bool), "room": Field(dict, shape=ROOM),
    }, "planned, moved or cancelled", section=_SECTION),
    "video.record": Event(False, "the recorder's control connection", _ROOM_TOKEN, "join this call",
                          section=_SECTION),
}
