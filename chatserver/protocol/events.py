"""What the server sends unasked: every event type, who gets it, and what its data holds.

The requests' side of the contract is :mod:`chatserver.protocol.schema`; this is the
other side. Each :class:`Event` declares its data's fields (the same :class:`Field` the
requests use; nested objects as a ``shape``) and whether it is durable (stored in the
recipient's stream, carries ``seq``, replayed after a reconnect) or ephemeral.

Three things read this table, so they cannot drift apart:

- docs/protocol.md's event tables are generated from it (``python
  scripts/protocol_docs.py``; a test fails when the doc is stale);
- the test suite's clients check every event they receive against it (:func:`problems`:
  an undeclared type, a missing field, a field of the wrong type or one nobody declared);
- a test scans the sources for every type an action emits and fails on one that is not
  declared here or by a feature (:func:`register`, ``Feature.events``).

The features declare their own: live chat in ``livechat.events``, video in
``signaling.events``, SMS in ``sms.events``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chatserver.protocol.schema import Field

__all__ = ["CONTROL", "EVENTS", "Event", "markdown", "problems", "register"]


@dataclass(frozen=True)
class Event:
    durable: bool
    to: str  # who receives it, in a few words (the docs' table)
    data: Mapping[str, Field] = field(default_factory=dict)
    # Types whose data is one of several shapes (a deleted SMS is {"id", "deleted"}) say so here.
    note: str = ""
    section: str = "core"  # which table of docs/protocol.md lists it


def _obj(shape: Mapping[str, Field] | None = None, *, required: bool = True, nullable: bool = False) -> Field:
    return Field(dict, required=required, shape=shape, nullable=nullable)


def _int(required: bool = True, nullable: bool = False) -> Field:
    return Field(int, required=required, nullable=nullable)


def _str(required: bool = True, nullable: bool = False) -> Field:
    return Field(str, required=required, nullable=nullable)


_BOOL = Field(bool)
_NOTIFY = Field(int, minimum=0, maximum=2)  # 0 none, 1 always, 2 only while the app is active (IC-8)

# A sent file as a message's meta describes it (chatserver.files); its bytes: GET /api/files/{id}.
SENT_FILE = {
    "id": _int(), "name": _str(), "type": _str(), "size": _int(), "sha256": _str(), "image": _BOOL,
    "width": _int(nullable=True), "height": _int(nullable=True),
}
CHAT_MESSAGE = {
    "id": _int(), "conversation_id": _int(), "sender_id": _int(), "client_msg_id": _str(nullable=True),
    "body": _str(), "subject": _str(nullable=True), "record_id": _int(nullable=True), "created_at": _str(),
    # "text" is what clients send; "call" is the server's note of a video call (VC-1), which
    # the app renders from meta in its user's language (body: the English fallback); "file":
    # a sent file (meta.file; body: its name).
    "kind": Field(str, choices=("text", "call", "file")),
    "meta": _obj({"missed": Field(bool, required=False), "seconds": _int(required=False),
                  "room": _str(required=False), "file": _obj(SENT_FILE, required=False)}, nullable=True),
}
# accounts.user_public: what anyone may see of a user (another organisation's: no e-mail).
USER = {
    "id": _int(), "tenant_id": _int(), "name": _str(), "function": _str(nullable=True),
    "email": _str(required=False, nullable=True), "tenant": _str(required=False),
}
CONTACT_REQUEST = {
    "id": _int(), "from": _obj(USER), "to": _obj(USER), "status": Field(str, choices=("pending", "accepted", "declined",
                                                                              "blocked")),
    "created_at": _str(), "notify": Field(int, required=False, minimum=0, maximum=2),
}

EVENTS: dict[str, Event] = {
    "chat.message": Event(True, "the recipient's devices and the sender's other devices", {
        "message": _obj(CHAT_MESSAGE), "unread": _int(), "from": _str(), "notify": _NOTIFY,
    }, "the sending connection gets it in its ack instead"),
    "chat.read": Event(True, "every device of the reader (the reading tab too: the stream has no gap) and the other party", {
        "conversation_id": _int(), "user_id": _int(), "message_id": _int(), "unread": _int(),
    }),
    "chat.delivered": Event(True, "the sender of the messages (the other party)", {
        "conversation_id": _int(), "user_id": _int(), "message_id": _int(),
    }, "the other party's client has every message up to message_id (sent -> delivered)"),
    "chat.typing": Event(False, "the contact typed to", {"user_id": _int(), "typing": _BOOL}),
    "contact.request": Event(True, "both parties", CONTACT_REQUEST),
    "contact.accepted": Event(True, "both parties", CONTACT_REQUEST),
    "contact.declined": Event(True, "the decliner's own devices only", CONTACT_REQUEST),
    "contact.removed": Event(True, "both parties", {"user_id": _int()}),
    "settings.changed": Event(True, "every user whose value in force changed", {
        "name": _str(), "value": Field(object, nullable=True),
    }, "value: the value now in force for this user"),
    "presence.changed": Event(False, "a user's contacts", {
        "user_id": _int(), "name": _str(), "status": _str(), "notify": _NOTIFY,
    }),
    "presence.self": Event(False, "the user's other tabs (not the one that set it)", {"status": _str()}),
}

# Messages between nodes and processes that never reach a client (the core's; a feature
# declares its own, Feature.control: SMS's sms.wake).
CONTROL = {
    "session.revoked": "a token was revoked: every node closes its connections (the token's digest only)",
    "bus.resume": "a node's bus reconnected: connections check for gaps",
    "bus.probe": "a node's bus lag probe (/metrics); only the node that sent it reads it",
}


def register(events: Mapping[str, Event]) -> None:
    """A feature's event types (``Feature.events``), declared once like the core's."""
    for type_, spec in events.items():
        if EVENTS.get(type_, spec) != spec:
            raise ValueError(f"event type {type_!r} is declared twice, differently")
        EVENTS[type_] = spec


def problems(frame: Mapping[str, Any]) -> list[str]:
    """What is wrong with a server event frame by this contract (empty: nothing)."""
    type_ = frame.get("type")
    spec = EVENTS.get(type_) if isinstance(type_, str) else None
    if spec is None or not isinstance(type_, str):
        return [f"event type {type_!r} is not declared"]
    found: list[str] = []
    has_seq = frame.get("seq") is not None
    if has_seq != spec.durable:
        found.append(f"{type_}: {'durable events carry' if spec.durable else 'ephemeral events carry no'} seq")
    data = frame.get("data")
    if not isinstance(data, dict):
        return [*found, f"{type_}: data is not an object"]
    _check(spec.data, data, type_, found)
    return found


def _check(shape: Mapping[str, Field], data: Mapping[str, Any], where: str, found: list[str]) -> None:
    for name in data.keys() - shape.keys():
        found.append(f"{where}.{name} is not declared")
    for name, f in shape.items():
        path = f"{where}.{name}"
        if name not in data:
            if f.required:
                found.append(f"{path} is missing")
            continue
        value = data[name]
        if value is None:
            if not f.nullable:
                found.append(f"{path} is null")
            continue
        if (isinstance(value, bool) and f.type is not bool and f.type is not object) or not isinstance(value, f.type):
            found.append(f"{path} is {type(value).__name__}, not {_type_name(f)}")
            continue
        if isinstance(value, int) and not isinstance(value, bool) and not f.minimum <= value <= f.maximum:
            found.append(f"{path} is {value}, out of {f.minimum}..{f.maximum}")
        if f.choices is not None and value not in f.choices:
            found.append(f"{path} is {value!r}, not one of {', '.join(f.choices)}")
        if f.shape is not None and isinstance(value, dict):
            _check(f.shape, value, path, found)


def _type_name(f: Field) -> str:
    names = {int: "integer", str: "text", bool: "true/false", dict: "object", list: "list", object: "any"}
    types = f.type if isinstance(f.type, tuple) else (f.type,)
    return " or ".join(names.get(t, t.__name__) for t in types)


def _field_doc(name: str, f: Field) -> str:
    text = f"`{name}`"
    if not f.required:
        text += "?"
    kind = _type_name(f)
    if f.choices:
        kind = " \\| ".join(f"`{c}`" for c in f.choices)
    if f.nullable:
        kind += " or null"
    if f.shape:
        kind = "{" + ", ".join(f"`{n}`" for n in f.shape) + "}" + (" or null" if f.nullable else "")
    return f"{text} {kind}"


def markdown(section: str) -> str:
    """The table of one section's events, as docs/protocol.md shows it."""
    lines = ["| type | durable | to | data |", "| --- | --- | --- | --- |"]
    for type_, spec in sorted(EVENTS.items()):
        if spec.section != section:
            continue
        data = ", ".join(_field_doc(n, f) for n, f in spec.data.items())
        if spec.note:
            data += f" ({spec.note})"
        lines.append(f"| `{type_}` | {'yes' if spec.durable else 'no'} | {spec.to} | {data} |")
    return "\n".join(lines) + "\n"


def sections() -> list[str]:
    return sorted({spec.section for spec in EVENTS.values()})


def render_doc(text: str) -> str:
    """docs/protocol.md with each generated table (between its markers) made current."""
    for section in sections():
        begin, end = f"<!-- events:{section} -->", f"<!-- /events:{section} -->"
        head, sep, rest = text.partition(begin)
        if not sep:
            raise ValueError(f"docs/protocol.md has no {begin} marker")
        _, sep2, tail = rest.partition(end)
        if not sep2:
            raise ValueError(f"docs/protocol.md has no {end} marker")
        text = f"{head}{begin}\n{markdown(section)}{end}{tail}"
    return text

