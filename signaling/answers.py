"""What video's REST routes answer, field by field (``signaling.api``'s declarations, so
/openapi.json describes them and schemathesis holds the server to them). The shapes are
the events' (``signaling.events``): a room in an answer is the room in ``video.ring``."""

from __future__ import annotations

from chatserver.protocol.schema import Field
from signaling.events import EVENTS, ROOM

__all__ = ["AGENDA", "APPOINTMENT", "CALL", "GUEST", "INVITATION", "OK", "PUBLIC_ROOM", "RECORDINGS", "ROOM_ANSWER"]

_ROOM = Field(dict, shape=ROOM)
ROOM_ANSWER = {"room": _ROOM}
CALL = {"room": _ROOM, "ringing": Field(bool)}  # ringing false: the callee is on Do not disturb
# room_info: the room and its organiser's name, for the link's page before joining.
PUBLIC_ROOM = {"room": Field(dict, shape={**ROOM, "owner_name": Field(str)})}
GUEST = {"token": Field(str), "user": Field(dict, shape={"id": Field(int), "name": Field(str)}), "room": _ROOM}
INVITATION = {"sent": Field(str, choices=("sent", "outbox")), "to": Field(str)}
OK = {"ok": Field(bool)}
# signaling.recording.with_link: the file's API URL, and a signed link a <video> plays.
_RECORDING = {
    "id": Field(int), "name": Field(str), "record_id": Field(int, nullable=True), "bytes": Field(int, minimum=0),
    "started_at": Field(str), "ended_at": Field(str, nullable=True), "url": Field(str),
    "media_url": Field(str), "media_expires": Field(int),
}
RECORDINGS = {"recordings": Field(list, items=Field(dict, shape=_RECORDING))}
# signaling.appointments.appointment_dict, as the video.appointment event carries it.
_APPOINTMENT = dict(EVENTS["video.appointment"].data)
APPOINTMENT = {"appointment": Field(dict, shape=_APPOINTMENT)}
AGENDA = {"appointments": Field(list, items=Field(dict, shape={
    **_APPOINTMENT, "organiser_name": Field(str), "colleague_names": Field(list, items=Field(str))}))}
