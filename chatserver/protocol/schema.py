"""What input may be: the rules every value obeys, and what each client message type must carry.

One layer for REST bodies, path and query parameters and socket frames alike:

- :func:`loads` parses JSON with a bounded depth (a body nested 5,000 deep is a 400, not a
  RecursionError), and :func:`check_tree` holds every decoded value, at any depth, to the
  rules any field obeys: integers fit a signed 64-bit column, strings are valid UTF-8
  without NUL (no lone surrogate: it cannot be encoded, stored or echoed), floats are finite,
  nesting is at most :data:`MAX_DEPTH`. ``frames.decode`` and ``api._common.body`` call them.
- :data:`MESSAGES` declares each socket message type's fields; :func:`validate` checks a
  frame's ``data`` against it (REST views that take the same input call it too).
- :func:`whole_number` turns a path or query parameter into an integer in range.

Every refusal is a :class:`~chatserver.errors.BadRequest` whose ``field`` names the place.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chatserver.errors import BadRequest

# What SQLite's INTEGER and PostgreSQL's BIGINT hold; every id is such a column.
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
# Deep enough for any input the API takes (a dynamic group's rules are 3 levels down).
MAX_DEPTH = 32


def loads(raw: str | bytes, what: str = "body") -> Any:
    """Parse JSON; raise BadRequest (code ``invalid_json``) when it is not, or nests too deep."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise BadRequest(f"{what} nests deeper than {MAX_DEPTH} levels", code="too_deep") from None
    except ValueError as exc:  # JSONDecodeError, invalid UTF-8, a number of over 4,300 digits
        raise BadRequest(f"{what} is not valid JSON: {_safe(str(exc))}", code="invalid_json") from None


def check_tree(value: Any, where: str) -> None:
    """Hold a decoded value and everything in it to the rules every field obeys; raise
    BadRequest naming the first place (``where`` is the value's own name, e.g. ``data``)."""
    if type(value) is dict and _flat_and_fine(value):
        return  # the common frame (chat.send): no walk, no paths built
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            check_text(item, path)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                raise _bad(path, f"is out of range ({INT_MIN} to {INT_MAX})", "out_of_range")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise _bad(path, "must be a finite number", "invalid_value")
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise _bad(path, f"nests deeper than {MAX_DEPTH} levels", "too_deep")
            if isinstance(item, list):
                stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(item))
                continue
            for key, v in item.items():
                if not isinstance(key, str):
                    raise _bad(path, "has a key that is not text", "invalid_value")
                problem = text_problem(key)
                if problem is not None:
                    # The key itself is not named: it might not encode.
                    raise _bad(path, f"has a key that {problem}", "invalid_value")
                stack.append((v, f"{path}.{key}" if path else key, depth + 1))
        # bytes (msgpack bin) and anything else: left to each field's declared type.


def _flat_and_fine(obj: dict[Any, Any]) -> bool:
    """True when every key is fine text and every value fine text, an in-range integer,
    a bool or None; False sends the object to the full walk, which names what is wrong."""
    for key, v in obj.items():
        if type(key) is not str or text_problem(key) is not None:
            return False
        t = type(v)
        if t is str:
            if text_problem(v) is not None:
                return False
        elif t is int:
            if not INT_MIN <= v <= INT_MAX:
                return False
        elif t is not bool and v is not None:
            return False
    return True


def check_text(value: str, path: str) -> None:
    problem = text_problem(value)
    if problem is not None:
        raise _bad(path, problem, "invalid_value")


def text_problem(text: str) -> str | None:
    """What makes the text unfit to store or send back, or None."""
    if "\x00" in text:
        # No database stores it as text (PostgreSQL refuses it, SQLite's JSON cuts at it).
        return "contains a NUL character"
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (\ud800 in JSON): nothing could encode it to store or echo it.
        return "contains an unpaired surrogate (not valid UTF-8 text)"
    return None


def whole_number(text: str, name: str, code: str = "invalid_value", label: str | None = None) -> int:
    """A path or query parameter as an integer in range; BadRequest naming it otherwise."""
    label = label or name
    try:
        number = int(text)
    except (TypeError, ValueError):
        raise BadRequest(f"{label} must be a whole number", code=code, field=name) from None
    if not INT_MIN <= number <= INT_MAX:
        raise BadRequest(f"{label} is out of range ({INT_MIN} to {INT_MAX})", code="out_of_range", field=name)
    return number


def _bad(path: str, problem: str, code: str) -> BadRequest:
    name = (path or "body")[:200]
    return BadRequest(f"field {name!r} {problem}", code=code, field=name)


def _safe(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True, slots=True)
class Field:
    type: type | tuple[type, ...]
    required: bool = True
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    # Integers: the range the field takes (every integer fits a 64-bit column at least).
    minimum: int = INT_MIN
    maximum: int = INT_MAX
    # A nested object's fields, and whether null is a value (events; REST bodies and answers).
    shape: Mapping[str, Field] | None = None
    nullable: bool = False
    # Lists: what each item is (max_length and min_length count items). Text: the least
    # length (a required name that may not be empty) and a pattern the whole text matches.
    items: Field | None = None
    min_length: int = 0
    pattern: str | None = None
    # An object of only its shape's fields (another is refused, naming it).
    closed: bool = False


# Text that is not only white space (a name; actions strip it).
NOT_BLANK = r"[\s\S]*\S[\s\S]*"

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
    "chat.delivered": {"conversation_id": Field(int), "message_id": Field(int)},
    "chat.typing": {"to": Field(int), "typing": Field(bool)},
    "presence.set": {"status": Field(str, choices=STATUS_CHOICES)},
}


def register(messages: Mapping[str, Mapping[str, Field]]) -> None:
    """A feature's message types (chatserver.features): declared once, validated as the core's."""
    for type_, spec in messages.items():
        if MESSAGES.get(type_, spec) != spec:
            raise ValueError(f"message type {type_!r} is declared twice, differently")
        MESSAGES[type_] = dict(spec)


def validate(type_: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return the data if it fits the type's fields; raise BadRequest naming the first misfit.
    The data must have passed :func:`check_tree` (``frames.decode`` and ``api._common.body``
    see to it): text is not checked for NUL or surrogates again here."""
    spec = MESSAGES.get(type_)
    if spec is None:
        known = ", ".join(sorted(MESSAGES))
        raise BadRequest(f"unknown message type {type_!r}; known types: {known}", code="unknown_type")
    return check_fields(spec, data, f"{type_}: ")


def fields(type_: str, spec: Mapping[str, Field], data: dict[str, Any]) -> dict[str, Any]:
    """The declared fields of ``data`` held to ``spec`` (an action's own body, or a message
    type's through :func:`validate`); ``type_`` names it in errors."""
    return check_fields(spec, data, f"{type_}: ")


def check_fields(spec: Mapping[str, Field], data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The declared fields of ``data`` (a null counts as absent), each held to its
    :class:`Field`; BadRequest naming the first misfit (``prefix`` leads its message).
    Fields nobody declared are left out of the answer, not refused."""
    clean: dict[str, Any] = {}
    for name, f in spec.items():
        if name not in data or data[name] is None:
            if f.nullable and name in data:
                clean[name] = None  # null is a value here (a setting's override removed)
                continue
            if f.required:
                raise BadRequest(f"{prefix}field {name!r} is required", code="missing_field", field=name)
            if name in data and isinstance(data, dict):
                del data[name]  # a null is no value: the view sees the field absent, as declared
            continue
        clean[name] = check_value(f, data[name], name, prefix)
        if clean[name] is not data[name] and isinstance(data, dict):
            data[name] = clean[name]  # 3.0 taken as 3: the view reads the data as checked
    return clean


def check_value(f: Field, value: Any, name: str, prefix: str = "", label: str | None = None) -> Any:
    """One value held to its field (nested objects and list items too); returns it, an
    integer sent as a number with a zero fraction (``3.0``, JSON Schema's integer too) as an int.
    ``label`` names it in messages (default ``field 'name'``)."""
    t = type(value)
    # The common case first (every field of a chat.send): text or an integer of exactly
    # the declared type that fits; anything else takes the full checks below, which
    # name what is wrong.
    if t is f.type and f.choices is None:
        if t is str:
            if f.pattern is None and f.min_length <= len(value) and (f.max_length is None
                                                                     or len(value) <= f.max_length):
                return value
        elif t is int and f.minimum <= value <= f.maximum:
            return value
    label = label or f"field {name!r}"
    if t is float and value.is_integer() and _takes_int(f) and abs(value) < 2**64:
        value = int(value)
    # bool is an int in Python; an id of True is not an id.
    if (isinstance(value, bool) and f.type not in (bool, object)) or not isinstance(value, f.type):
        raise BadRequest(f"{prefix}{label} must be {_name(f.type)}", code="wrong_type", field=name)
    if isinstance(value, int) and not isinstance(value, bool) and not f.minimum <= value <= f.maximum:
        # The bounds travel as details too: a screen says them in its own language.
        raise BadRequest(f"{prefix}{label} must be between {f.minimum} and {f.maximum}",
                         code="out_of_range", field=name, min=f.minimum, max=f.maximum)
    if isinstance(value, str | list):
        unit = "characters" if isinstance(value, str) else "items"
        if f.max_length is not None and len(value) > f.max_length:
            raise BadRequest(f"{prefix}{label} is longer than {f.max_length} {unit}", code="too_long",
                             field=name)
        if len(value) < f.min_length:
            raise BadRequest(f"{prefix}{label} needs at least {f.min_length} {unit}", code="too_short",
                             field=name)
    if f.choices is not None and value not in f.choices:
        raise BadRequest(f"{prefix}{label} must be one of {', '.join(f.choices)}", code="invalid_value",
                         field=name)
    if f.pattern is not None and isinstance(value, str) and re.fullmatch(f.pattern, value) is None:
        if f.pattern == NOT_BLANK:
            raise BadRequest(f"{prefix}{label} is required (it is blank)", code="missing_field", field=name)
        raise BadRequest(f"{prefix}{label} does not have the form {f.pattern}", code="invalid_value",
                         field=name)
    if f.items is not None and isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = check_value(f.items, item, f"{name}[{i}]", prefix)
    if f.shape is not None and isinstance(value, dict):
        if f.closed:
            check_closed(f.shape, value, f"{name}.", prefix)
        for key, sub in f.shape.items():
            if value.get(key) is None:
                if sub.required:
                    raise BadRequest(f"{prefix}field {name}.{key!r} is required", code="missing_field",
                                     field=f"{name}.{key}")
                continue
            value[key] = check_value(sub, value[key], f"{name}.{key}", prefix)
    return value


def _takes_int(f: Field) -> bool:
    types = f.type if isinstance(f.type, tuple) else (f.type,)
    return int in types and float not in types


def check_closed(spec: Mapping[str, Field], data: Mapping[str, Any], where: str = "", prefix: str = "") -> None:
    for key in data:
        if key not in spec:
            place = f"{where}{key}"[:200]
            raise BadRequest(f"{prefix}field {place!r} is unknown; known: {', '.join(spec)}", code="unknown_field",
                             field=place)


def _name(t: type | tuple[type, ...]) -> str:
    names = {int: "an integer", str: "a string", bool: "true or false", list: "a list", dict: "an object"}
    if isinstance(t, tuple):
        return " or ".join(names.get(x, x.__name__) for x in t)
    return names.get(t, t.__name__)
