"""One envelope for every message, as JSON text frames or msgpack binary frames.

Client to server: ``{"type": "chat.send", "id": "c1", "data": {...}}``.
Server replies ``{"type": "ack", "id": "c1", "data": {...}}`` or
``{"type": "error", "id": "c1", "error": {"code": ..., "message": ...}}``; server pushes
``{"type": "chat.message", "seq": 42, "data": {...}}`` (``seq`` only on durable events).
"""

from __future__ import annotations

import json
from typing import Any, Literal, NamedTuple

import msgpack

from chatserver.errors import BadRequest, ProtocolError
from chatserver.protocol.schema import check_tree, loads, text_problem

Format = Literal["json", "msgpack"]

SUBPROTOCOLS: dict[str, Format] = {
    "chatserver.v1.json": "json",
    "chatserver.v1.msgpack": "msgpack",
}

MAX_ID_LENGTH = 64


class Envelope(NamedTuple):
    # A tuple, not a frozen dataclass: made for every frame received, and a frozen
    # dataclass's __init__ sets each field through object.__setattr__ (1.3 -> 0.45 us).
    type: str
    id: str | None
    data: dict[str, Any]


def decode(fmt: Format, raw: str | bytes) -> Envelope:
    """Parse one frame; raise ProtocolError naming what is wrong with it."""
    if fmt == "json":
        if isinstance(raw, bytes):
            raise ProtocolError("binary frame on a JSON connection; send text frames")
        try:
            obj = loads(raw, "frame")
        except BadRequest as exc:
            raise ProtocolError(exc.message, code=exc.code if exc.code == "too_deep" else None) from None
    else:
        if isinstance(raw, str):
            raise ProtocolError("text frame on a msgpack connection; send binary frames")
        try:
            obj = msgpack.unpackb(raw, raw=False, strict_map_key=True)
        except Exception as exc:  # msgpack raises several unrelated types
            raise ProtocolError(f"frame is not valid msgpack: {exc}") from None
    if not isinstance(obj, dict):
        raise ProtocolError("a frame must be an object with 'type', 'id' and 'data'")
    type_ = obj.get("type")
    msg_id = obj.get("id")
    # bool is an int in Python; an id of true would come back as "True" and match nothing.
    # An id that could not be encoded (a lone surrogate) could not be echoed in the reply.
    if msg_id is not None and (
        isinstance(msg_id, bool) or not isinstance(msg_id, str | int) or len(str(msg_id)) > MAX_ID_LENGTH
        or (isinstance(msg_id, str) and text_problem(msg_id) is not None)
    ):
        raise ProtocolError(
            f"field 'id' must be a string (valid UTF-8 text) or a whole number of at most {MAX_ID_LENGTH} characters",
            field="id",
        )
    if not isinstance(type_, str) or not type_ or text_problem(type_) is not None:
        raise _with_id(ProtocolError("field 'type' is required and must be a string", field="type"), msg_id)
    data = obj.get("data", {})
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _with_id(ProtocolError("field 'data' must be an object"), msg_id)
    try:
        check_tree(data, "")
    except BadRequest as exc:
        raise _with_id(exc, msg_id) from None
    return Envelope(type_, None if msg_id is None else str(msg_id), data)


def _with_id(exc: BadRequest, value: Any) -> BadRequest:
    """Attach the frame's id when it is usable, so the client can match the error."""
    if isinstance(value, str | int) and not isinstance(value, bool) and len(str(value)) <= MAX_ID_LENGTH:
        exc.msg_id = str(value)
    return exc


# Made once: json.dumps with any option builds a JSONEncoder for every call, a fifth of
# the cost of encoding a chat.message frame (4.5 -> 3.7 us, docs/benchmarks.md).
_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)


def encode(fmt: Format, frame: dict[str, Any]) -> str | bytes:
    if fmt == "json":
        return _JSON.encode(frame)
    # Annotated, not ignored: an ignore would fail the strict check the day msgpack ships types.
    packed: bytes = msgpack.packb(frame, use_bin_type=True, default=str)
    return packed


def ack(msg_id: str | None, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "ack", "id": msg_id, "data": data or {}}


def error(msg_id: str | None, body: dict[str, Any]) -> dict[str, Any]:
    return {"type": "error", "id": msg_id, "error": body}


def event(type_: str, data: dict[str, Any], seq: int | None = None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": type_, "data": data}
    if seq is not None:
        frame["seq"] = seq
    return frame
