"""What some SMS routes answer, field by field (``sms.api.rest``'s declarations, so
/openapi.json describes them and schemathesis holds the server to them). Dates are UTC
with a ``Z`` (``sms.actions.view.iso``)."""

from __future__ import annotations

from chatserver.protocol.schema import Field

__all__ = ["BALANCE", "FILTER", "FILTERS", "FILTER_DELETED", "TOP_UP"]

# sms.actions.credits._entry: one line of the organisation's credit ledger.
_ENTRY = Field(dict, shape={
    "id": Field(int), "delta": Field(int), "balance_after": Field(int),
    "reason": Field(str, choices=("top_up", "message")), "note": Field(str),
    "message_id": Field(int, nullable=True), "user_id": Field(int, nullable=True), "at": Field(str)})
BALANCE = {"balance": Field(int), "entries": Field(list, items=_ENTRY)}
TOP_UP = {"entry": _ENTRY, "balance": Field(int)}
# sms.actions.filters._out: a saved search of the SMS list, the caller's own.
FILTER = {"id": Field(int), "name": Field(str), "query": Field(dict), "columns": Field(list, items=Field(str)),
          "created_at": Field(str)}
FILTERS = {"items": Field(list, items=Field(dict, shape=FILTER)), "columns": Field(list, items=Field(str))}
FILTER_DELETED = {"deleted": Field(int)}
