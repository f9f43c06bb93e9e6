"""The ``sms.*`` events the server sends (chatserver.protocol.events): both durable.

Each goes to the message's author and to whoever may see the organisation's messages
(sms.actions.view.audience); docs/protocol.md's SMS table is generated from here.
"""

from __future__ import annotations

from chatserver.protocol.events import Event
from chatserver.protocol.schema import Field

__all__ = ["EVENTS"]

EVENTS: dict[str, Event] = {
    "sms.message": Event(True, "the author and who may see the organisation's messages", {
        "message": Field(dict), "notice": Field(str, required=False),
    }, "message: the message's summary, or {id, deleted: true}", section="sms"),
    "sms.recipient": Event(True, "as sms.message", {"message_id": Field(int), "recipient": Field(dict)},
                           "a recipient's delivery state changed", section="sms"),
}
