"""The JSON Schema of a declared :class:`~chatserver.protocol.schema.Field`: what
/openapi.json says of every request body, parameter and answer.

It is read off the same declarations that :func:`~chatserver.protocol.schema.check_fields`
holds input to, so the document cannot promise what the server refuses (the schemathesis
test in tests/test_openapi_fuzz.py would find it) nor hide a rule it enforces.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chatserver.protocol.schema import Field

__all__ = ["field_schema", "object_schema"]

_TYPES: dict[type, str] = {int: "integer", str: "string", bool: "boolean", list: "array", dict: "object",
                           float: "number"}


def field_schema(f: Field, *, request: bool = False) -> dict[str, Any]:
    """``request``: the field is input, where a null counts as absent (schema.check_fields),
    so an optional field may be null."""
    types = f.type if isinstance(f.type, tuple) else (f.type,)
    if object in types:
        return {}  # any JSON value
    # int and float together: a JSON number (an integer is one).
    names = sorted({_TYPES[t] for t in types} - ({"integer"} if float in types else set()))
    out: dict[str, Any] = {"type": names[0] if len(names) == 1 else names}
    if int in types and float not in types:
        # Always said, also when it is just the 64-bit range: a larger integer is refused.
        out["minimum"] = f.minimum
        out["maximum"] = f.maximum
    # Lengths count characters of text and items of a list.
    for kind, least, most in ((str, "minLength", "maxLength"), (list, "minItems", "maxItems")):
        if kind in types:
            if f.max_length is not None:
                out[most] = f.max_length
            if f.min_length:
                out[least] = f.min_length
    if str in types and f.pattern is not None:
        out["pattern"] = f"^(?:{f.pattern})$"
    if list in types and f.items is not None:
        out["items"] = field_schema(f.items, request=request)
    if f.choices is not None:
        out["enum"] = list(f.choices)
    if f.shape is not None:
        out.update(object_schema(f.shape, request=request, closed=f.closed))
    if f.nullable or (request and not f.required):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def object_schema(spec: Mapping[str, Field], *, request: bool = False, closed: bool = False) -> dict[str, Any]:
    """An object with these fields; others may be present (a client's extras are ignored)
    unless it is ``closed``."""
    props = {n: field_schema(f, request=request) for n, f in spec.items()}
    out: dict[str, Any] = {"type": "object", "properties": props}
    required = [n for n, f in spec.items() if f.required]
    if required:
        out["required"] = required
    if closed:
        out["additionalProperties"] = False
    return out
