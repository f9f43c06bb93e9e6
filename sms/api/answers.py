"""What some SMS routes answer, field by field (``sms.api.rest``'s declarations, so
/openapi.json describes them and schemathesis holds the server to them). Dates are UTC
with a ``Z`` (``sms.actions.view.iso``)."""

from __future__ import annotations

from chatserver.protocol.schema import Field
from sms.actions.view import COUNT_STATES
from sms.models import MESSAGE_STATUSES, RECIPIENT_STATES

__all__ = ["BALANCE", "COMPOSE_FROM_RECORD", "CONFIG", "FOUND", "PREVIEW", "DELETED", "DYNAMIC", "DYNAMICS", "DYNAMIC_MEMBERS", "FILTER", "FILTERS", "FILTER_DELETED",
           "GROUP", "GROUPS", "MESSAGE", "MESSAGES", "MESSAGE_DETAIL", "RECIPIENTS", "RECORDS", "SUBSCRIPTION",
           "SUBSCRIPTIONS", "TOP_UP", "WHY"]

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

_TIME = Field(str, nullable=True)
# sms.actions.view._summary: a message as the list, the queue and the sms.message event show it.
_SUMMARY = {
    "id": Field(int), "name": Field(str), "subject": Field(str), "body": Field(str), "user_id": Field(int),
    "user_name": Field(str), "originator": Field(str), "sender_kind": Field(str, choices=("default", "own_number")),
    "encoding": Field(str), "parts": Field(int), "priority": Field(int), "send_at": _TIME,
    "status": Field(str, choices=MESSAGE_STATUSES), "needs_approval": Field(bool), "approved": Field(bool),
    "approved_by": Field(int, nullable=True), "approved_at": _TIME, "subscription_id": Field(int, nullable=True),
    "recipients_planned": Field(int), "recipients_sent": Field(int), "sms_count": Field(int),
    "credits_charged": Field(int), "counts": Field(dict, shape={state: Field(int) for state in COUNT_STATES}),
    "record_ids": Field(list, items=Field(int)), "created_at": Field(str), "updated_at": Field(str),
    "editable": Field(bool),
}
MESSAGES = {"items": Field(list, items=Field(dict, shape=_SUMMARY)), "total": Field(int)}
# lifecycle._answer: after compose, edit, approve or cancel; the notice is for the author's screen.
MESSAGE = {"message": Field(dict, shape=_SUMMARY), "needs_approval": Field(bool), "notice": Field(str, nullable=True)}
# view.recipient_dict: one outbox row, who and why (not) included, and how far it got.
_RECIPIENT = {
    "id": Field(int), "message_id": Field(int), "person_id": Field(int, nullable=True),
    "user_id": Field(int, nullable=True), "name": Field(str), "number": Field(str, nullable=True),
    "raw_number": Field(str), "included": Field(bool), "reason": Field(str, nullable=True),
    "reason_text": Field(str, nullable=True), "state": Field(str, choices=RECIPIENT_STATES),
    "attempts": Field(int), "gateway": Field(str, nullable=True), "error": Field(str, nullable=True),
    "submitted_at": _TIME, "final_at": _TIME, "updated_at": Field(str),
}
_RECORD = Field(dict, shape={"id": Field(int), "kind": Field(str), "title": Field(str)})
# queries.detail: the summary with the selection as composed, its records and first 200 recipients.
MESSAGE_DETAIL = {**_SUMMARY, "selection": Field(list, items=Field(dict)), "records": Field(list, items=_RECORD),
                  "recipients": Field(list, items=Field(dict, shape=_RECIPIENT)),
                  "approver_name": Field(str, nullable=True)}
RECIPIENTS = {"items": Field(list, items=Field(dict, shape=_RECIPIENT)), "total": Field(int)}
# queries.why: whether someone received it (before release: would now), and why not.
WHY = {"released": Field(bool), "received": Field(bool), "reason": Field(str, nullable=True),
       "reason_text": Field(str, nullable=True), "recipient": Field(dict, shape=_RECIPIENT, nullable=True)}
RECORDS = {"records": Field(list, items=_RECORD)}
DELETED = {"deleted": Field(int)}
# groups._group_out: a group with its members (number null: nobody to send to).
GROUP = {"id": Field(int), "name": Field(str), "member_count": Field(int), "created_at": Field(str),
         "members": Field(list, items=Field(dict, shape={
             "id": Field(int), "kind": Field(str, choices=("custom", "user", "person")), "name": Field(str),
             "number": Field(str, nullable=True), "user_id": Field(int, nullable=True),
             "person_id": Field(int, nullable=True)}))}
GROUPS = {"items": Field(list, items=Field(dict, shape={
    "id": Field(int), "name": Field(str), "member_count": Field(int), "created_at": Field(str)}))}
# groups._subscription_out: members who opted out stay listed, with the time they did.
SUBSCRIPTION = {"id": Field(int), "name": Field(str), "created_at": Field(str), "member_count": Field(int),
                "members": Field(list, items=Field(dict, shape={
                    "person_id": Field(int), "name": Field(str), "joined_at": Field(str), "opted_out_at": _TIME}))}
SUBSCRIPTIONS = {"items": Field(list, items=Field(dict, shape={
    "id": Field(int), "name": Field(str), "member_count": Field(int)}))}
DYNAMIC = {"id": Field(int), "name": Field(str), "rules": Field(list, items=Field(dict)), "created_at": Field(str),
           "updated_at": Field(str)}
DYNAMICS = {"items": Field(list, items=Field(dict, shape=DYNAMIC))}
DYNAMIC_MEMBERS = {"items": Field(list, items=Field(dict, shape={
    "id": Field(int), "name": Field(str), "mobile": Field(str, nullable=True)})), "total": Field(int)}
# queries.config: what the composer needs to know before anything is typed.
CONFIG = {"enabled": Field(bool), "admin": Field(bool), "key_user": Field(bool), "allow_long": Field(bool),
          "max_single": Field(int), "recipient_limit": Field(int), "default_sender": Field(str, nullable=True),
          "own_number": Field(str, nullable=True), "default_country": Field(str),
          "allowed_countries": Field(list, items=Field(str)), "balance": Field(int)}
# queries.preview: the text measured (reason null: it may be sent) and what it would cost.
PREVIEW = {"encoding": Field(str), "units": Field(int), "parts": Field(int), "remaining": Field(int),
           "part_limit": Field(int), "allowed": Field(bool), "reason": Field(str, nullable=True),
           "message": Field(str, nullable=True), "non_gsm": Field(list, items=Field(str)), "recipients": Field(int),
           "cost": Field(int), "limit": Field(int), "needs_approval": Field(bool), "balance": Field(int)}
# queries.search: people, colleagues and lists to pick as recipients (number: E.164, null for a list).
FOUND = {"items": Field(list, items=Field(dict, shape={
    "type": Field(str), "id": Field(int), "name": Field(str), "number": Field(str, nullable=True),
    "detail": Field(str, nullable=True)}))}
# queries.compose_from_record: the record and its person preselected.
COMPOSE_FROM_RECORD = {"record": _RECORD, "record_ids": Field(list, items=Field(int)),
                       "recipients": Field(list, items=Field(dict, shape={
                           "type": Field(str), "id": Field(int), "name": Field(str),
                           "number": Field(str, nullable=True), "mode": Field(str)}))}
