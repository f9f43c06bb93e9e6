"""The socket's ``video.*`` messages: validated by their schema (``MESSAGES``), then one
action each. Colleagues and guests (role ``guest``) have the same handlers; a guest's
connection has nothing else (chatserver.features)."""

from __future__ import annotations

from typing import Any

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.features import Handler
from chatserver.hub import Connection
from chatserver.protocol.schema import Field
from signaling import in_call, recording
from signaling.rules import SIGNAL_KINDS

__all__ = ["HANDLERS", "MESSAGES"]

MESSAGES: dict[str, dict[str, Field]] = {
    "video.join": {"room": Field(str, max_length=64), "password": Field(str, required=False, max_length=200)},
    # sdp for an offer or answer, candidate ({candidate, sdpMid, sdpMLineIndex}) for ICE;
    # their sizes are checked by signaling.rules.check_signal.
    "video.signal": {
        "to": Field(int),
        "kind": Field(str, choices=SIGNAL_KINDS),
        "sdp": Field(str, required=False),
        "candidate": Field(dict, required=False),
    },
    "video.state": {"audio": Field(bool), "video": Field(bool)},
    "video.leave": {},
    "video.remove": {"participant": Field(int)},
    "video.end": {},
    "video.start_recording": {},
}


async def _join(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await in_call.join(svc, user, conn.id, data["room"], data.get("password"))


async def _signal(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await in_call.signal(svc, user, conn.id, data["to"], data)


async def _state(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await in_call.set_state(svc, user, conn.id, data["audio"], data["video"])


async def _leave(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await in_call.leave(svc, user, conn.id)


async def _remove(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await in_call.remove(svc, user, conn.id, data["participant"])


async def _end(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await in_call.end(svc, user, conn.id)


async def _record(svc: Services, conn: Connection, user: User, data: dict[str, Any]) -> dict[str, Any]:
    return await recording.start(svc, user, conn.id)


HANDLERS: dict[str, Handler] = {
    "video.join": _join,
    "video.signal": _signal,
    "video.state": _state,
    "video.leave": _leave,
    "video.remove": _remove,
    "video.end": _end,
    "video.start_recording": _record,
}
