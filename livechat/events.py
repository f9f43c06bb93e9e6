"""The ``livechat.*`` events the server sends (chatserver.protocol.events); docs/protocol.md's
live-chat table is generated from here (docs/livechat.md tells who hears what and when)."""

from __future__ import annotations

from chatserver.protocol.events import Event
from chatserver.protocol.schema import Field

__all__ = ["EVENTS"]

_NOTIFY = Field(int, minimum=0, maximum=2)  # 0 none, 1 always, 2 only while the app is active (IC-8)
_CONVERSATION_ID = Field(int)

NOTE = {
    "id": Field(int), "conversation_id": Field(int), "author_id": Field(int, nullable=True),
    "author_name": Field(str), "body": Field(str), "created_at": Field(str),
    "client_msg_id": Field(str, nullable=True),
}

EVENTS: dict[str, Event] = {
    "livechat.incoming": Event(True, "operators who may take the conversation", {
        "conversation": Field(dict), "notify": _NOTIFY,
    }, section="livechat"),
    "livechat.updated": Event(True, "the organisation's operators; the visitor (their own view)", {
        "conversation": Field(dict),
    }, section="livechat"),
    "livechat.message": Event(True, "the visitor and the operators", {
        "conversation_id": _CONVERSATION_ID, "message": Field(dict), "notify": _NOTIFY,
    }, section="livechat"),
    "livechat.read": Event(True, "the visitor", {"conversation_id": _CONVERSATION_ID},
                           "an operator opened the conversation and read the visitor's messages (\"Seen\")",
                           section="livechat"),
    "livechat.typing": Event(False, "the other side of the conversation", {
        "conversation_id": _CONVERSATION_ID, "typing": Field(bool), "name": Field(str),
    }, section="livechat"),
    "livechat.page": Event(False, "the organisation's operators", {"conversation_id": _CONVERSATION_ID,
                                                                    "url": Field(str)},
                           "the page the visitor is on now", section="livechat"),
    "livechat.note": Event(True, "the organisation's operators, never the visitor", {
        "conversation_id": _CONVERSATION_ID, "note": Field(dict, shape=NOTE),
    }, "a private note in a conversation", section="livechat"),
    "livechat.erased": Event(True, "the organisation's operators", {"conversation_id": _CONVERSATION_ID},
                             "a visitor's data was erased (on request or by the retention setting): drop the "
                             "conversation; earlier events about it in the stream are replaced by this one",
                             section="livechat"),
    "livechat.labels": Event(False, "the organisation's operators", {"labels": Field(list)},
                             "the organisation's labels as they are now, [{id, name, colour}]", section="livechat"),
    "livechat.operators": Event(False, "visitors and operators of the organisation", {
        "operators_online": Field(int),
    }, section="livechat"),
}
