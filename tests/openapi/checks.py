"""A schemathesis check of our own (loaded through SCHEMATHESIS_HOOKS by tests/test_openapi_fuzz.py).

Input that fits /openapi.json may be refused for a rule no schema states (400 with a code
of its own). It must never be refused for a rule of the kinds the schema does state about
a declared field or parameter: missing or of the wrong type, too long or short, out of
range, unknown. Such a 400 means the document and the input layer
(chatserver/api/contract.py) say different things. The rules every value obeys wherever it
is (an integer fits 64 bits, text has no NUL; the document's description says so) may
refuse a value in a field nobody declared: that is not drift.
"""

from __future__ import annotations

import json
import re
from typing import Any

import schemathesis

SCHEMA_CODES = {"missing_field", "wrong_type", "too_long", "too_short", "out_of_range", "unknown_field",
                "invalid_json", "too_deep", "invalid_id"}


@schemathesis.check
def schema_rule_not_in_schema(ctx: Any, response: Any, case: Any) -> bool | None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        raise AssertionError(f"a 400 without an error body: {response.content[:300]!r}") from None
    field = (error.get("details") or {}).get("field")
    if error.get("code") in SCHEMA_CODES and field and re.split(r"[.\[]", str(field))[0] in _declared(case):
        raise AssertionError(
            f"schema-valid input refused for a rule the schema should state: {error.get('code')} "
            f"on {field!r}: {error.get('message')}")
    return None


def _declared(case: Any) -> set[str]:
    """The operation's declared parameters and top-level body fields."""
    raw = case.operation.definition.raw
    names = {p.get("name") for p in raw.get("parameters", [])}
    body = raw.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return names | set(body.get("properties", {}))
