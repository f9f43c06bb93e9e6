"""What each client message type must carry. One table; unknown types are refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chatserver.errors import BadRequest


@dataclass(frozen=True, slots=True)
class Field:
    type: type | tuple[type, ...]
    required: bool = True
    max_length: int | None = None
    choices: tuple[str, ...] | None = None


STATUS_CHOICES = ("online", "away", "dnd", "invisible", "offline")

MESSAGES: dict[str, dict[str, Field]] = {
    "hello": {"last_seq": Field(int, required=False), "epoch": Field(str, required=False, max_length=32)},
    "ping": {},
    "chat.send": {
        "to": Field(int),
        "body": Field(str),
        "client_msg_id": Field(str, max_length=64),
        "subject": Field(str, required=False, max_length=300),
        "record_id": Field(int, required=False),
    },
    "chat.read": {"conversation_id": Field(int), "message_id": Field(int)},
    "chat.typing": {"to": Field(int), "typing": Field(bool)},
    "presence.set": {"status": Field(str, choices=STATUS_CHOICES)},
    # Live chat (docs/livechat.md): the first and last are a visitor's; typing is both sides'
    # (an operator names the conversation).
    "livechat.send": {"body": Field(str), "client_msg_id": Field(str, max_length=64)},
    "livechat.typing": {"conversation_id": Field(int, required=False), "typing": Field(bool)},
    "livechat.leave_message": {
        "name": Field(str, max_length=200),
        "email": Field(str, max_length=254),
        "phone": Field(str, required=False, max_length=40),
        "body": Field(str),
        # Optional, as in livechat.send: a form resent after a lost ack is stored once.
        "client_msg_id": Field(str, required=False, max_length=64),
    },
}


def register(messages: Mapping[str, Mapping[str, Field]]) -> None:
    """A feature's message types (chatserver.features): declared once, validated as the core's."""
    for type_, spec in messages.items():
        if MESSAGES.get(type_, spec) != spec:
            raise ValueError(f"message type {type_!r} is declared twice, differently")
        MESSAGES[type_] = dict(spec)


def validate(type_: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return the data if it fits the type's fields; raise BadRequest naming the first misfit."""
    spec = MESSAGES.get(type_)
    if spec is None:
        known = ", ".join(sorted(MESSAGES))
        raise BadRequest(f"unknown message type {type_!r}; known types: {known}", code="unknown_type")
    clean: dict[str, Any] = {}
    for name, f in spec.items():
        if name not in data or data[name] is None:
            if f.required:
                raise BadRequest(f"{type_}: field {name!r} is required", code="missing_field", field=name)
            continue
        value = data[name]
        # bool is an int in Python; an id of True is not an id.
        if isinstance(value, bool) and f.type is not bool:
            raise BadRequest(f"{type_}: field {name!r} must be {_name(f.type)}", code="wrong_type", field=name)
        if not isinstance(value, f.type):
            raise BadRequest(f"{type_}: field {name!r} must be {_name(f.type)}", code="wrong_type", field=name)
        if isinstance(value, str) and "\x00" in value:
            # No database stores it as text (PostgreSQL refuses it, SQLite's JSON cuts at it).
            raise BadRequest(f"{type_}: field {name!r} contains a NUL character", code="invalid_value", field=name)
        if f.max_length is not None and isinstance(value, str) and len(value) > f.max_length:
            raise BadRequest(
                f"{type_}: field {name!r} is longer than {f.max_length} characters", code="too_long", field=name
            )
        if f.choices is not None and value not in f.choices:
            raise BadRequest(
                f"{type_}: field {name!r} must be one of {', '.join(f.choices)}", code="invalid_value", field=name
            )
        clean[name] = value
    return clean


def _name(t: type | tuple[type, ...]) -> str:
    names = {int: "an integer", str: "a string", bool: "true or false", list: "a list"}
    if isinstance(t, tuple):
        return " or ".join(names.get(x, x.__name__) for x in t)
    return names.get(t, t.__name__)
