"""What live chat's REST routes answer, field by field (``livechat.api.rest``'s
declarations, so /openapi.json describes them and schemathesis holds the server to them).
The shapes follow ``livechat.actions.view`` (a conversation as operators and as its
visitor see it) and ``livechat.storage.conversations.message_dict``."""

from __future__ import annotations

from chatserver.protocol.events import SENT_FILE
from chatserver.protocol.schema import Field
from livechat.actions.routing import STATES
from livechat.events import NOTE

__all__ = ["AVAILABILITY", "CONVERSATION", "CONVERSATIONS", "EARLIER", "ERASED", "EXPORT", "SITE_DELETED", "FULL_CONVERSATION", "OPERATORS", "OVERVIEW",
           "SENT", "SITE", "VISITOR_SENT", "SITES", "VISIT", "VISITOR_CONVERSATION"]

# message_dict: kind "file" has meta.file (chatserver.files); a text's meta is null.
MESSAGE = {
    "id": Field(int), "conversation_id": Field(int), "sender": Field(str, choices=("visitor", "operator", "system")),
    "sender_name": Field(str), "body": Field(str), "created_at": Field(str),
    "client_msg_id": Field(str, nullable=True), "kind": Field(str), "meta": Field(dict, nullable=True),
}
_MESSAGE = Field(dict, shape=MESSAGE)
_NAMED = {"id": Field(int), "name": Field(str)}
# ratings.rating_dict: the visitor's latest rating (CSAT), or null.
_RATED = {"score": Field(int), "comment": Field(str), "created_at": Field(str)}
_RATING = Field(dict, nullable=True, shape=_RATED)
_COMMON = {
    "id": Field(int), "site": Field(dict, shape=_NAMED), "state": Field(str, choices=STATES),
    "operator": Field(dict, shape=_NAMED, nullable=True), "created_at": Field(str),
    "resolved_at": Field(str, nullable=True), "last_message": Field(dict, shape=MESSAGE, nullable=True),
    "rating": _RATING,
}
# view.conversation_dicts: the operators' view, with what the visitor's browser told.
_VISITOR = {"id": Field(int), "name": Field(str), "email": Field(str), "phone": Field(str)}
CONVERSATION = {
    **_COMMON,
    "visitor": Field(dict, shape={
        # Shown while the visitor has no name: a colour and an animal, in both languages.
        **_VISITOR, "alias": Field(dict, shape={"nl": Field(str), "en": Field(str)}), "browser": Field(str), "ip": Field(str), "language": Field(str),
        "url": Field(str), "referrer": Field(str), "user_agent": Field(str),
        "suggested": Field(dict)}),  # what the visitor gave where it differs from an operator's entry
    "unread": Field(int), "label_ids": Field(list, items=Field(int)),
}
CONVERSATIONS = {"conversations": Field(list, items=Field(dict, shape=CONVERSATION))}
# routing.get: one conversation with its messages and the operators' private notes.
FULL_CONVERSATION = {**CONVERSATION, "messages": Field(list, items=_MESSAGE),
                     "notes": Field(list, items=Field(dict, shape=NOTE))}
SENT = {"message": _MESSAGE, "duplicate": Field(bool)}
# view.for_visitor: the visitor's own view, "seen" when an operator read all they wrote.
_OWN = Field(dict, nullable=True, shape={**_COMMON, "visitor": Field(dict, shape=_VISITOR), "seen": Field(bool)})
# visitor_messages: what the visitor sent, and their conversation as it is now.
VISITOR_SENT = {**SENT, "conversation": _OWN}
VISITOR_CONVERSATION = {"conversation": _OWN, "messages": Field(list, items=_MESSAGE)}
# visits.visit: the visitor's token, their conversation (null before they wrote) and what
# the widget shows: greeting, business hours now, pre-chat form, proactive messages, look.
VISIT = {
    "token": Field(str), "visitor_id": Field(int), "conversation": _OWN, "operators_online": Field(int),
    "greeting": Field(str),
    "hours": Field(dict, shape={"open": Field(bool), "opens_at": Field(str, nullable=True), "away": Field(str)}),
    "prechat": Field(dict, nullable=True),
    "proactive": Field(list, items=Field(dict, shape={"url": Field(str), "seconds": Field(int),
                                                      "message": Field(str)})),
    "look": Field(dict, shape={"colour": Field(str), "position": Field(str), "language": Field(str),
                               "launcher": Field(str)}),
}
# sites.site_dict: as a key-user set it, with the snippet that embeds the widget.
SITE = {
    "id": Field(int), "name": Field(str), "origins": Field(list, items=Field(str)), "greeting": Field(dict),
    "hours": Field(dict, nullable=True), "prechat": Field(dict, nullable=True),
    "proactive": Field(list, items=Field(dict)), "look": Field(dict, nullable=True), "snippet": Field(str),
}
SITES = {"sites": Field(list, items=Field(dict, shape=SITE))}
# overview.operators: each operator, online or not, with their chats and ratings.
OPERATORS = {"operators": Field(list, items=Field(dict, shape={
    **_NAMED, "online": Field(bool), "reachable": Field(bool), "active_chats": Field(int),
    "avg_rating": Field((int, float), nullable=True), "ratings": Field(int)}))}
AVAILABILITY = {"online": Field(bool)}
_SECONDS = Field((int, float), nullable=True)
OVERVIEW = {
    "incoming": Field(int), "active": Field(int), "resolved": Field(int), "operators_online": Field(int),
    "operators_offline": Field(int), "longest_resolution_s": _SECONDS, "shortest_resolution_s": _SECONDS,
    "avg_first_response_s": _SECONDS, "online_agents": Field(list, items=Field(str)),
    "resolved_share": Field((int, float)), "avg_rating": Field((int, float), nullable=True), "ratings": Field(int),
}
# earlier.earlier: other conversations of visitors with this visitor's e-mail address.
EARLIER = {"email": Field(str), "conversations": Field(list, items=Field(dict, shape={
    "id": Field(int), "state": Field(str, choices=STATES), "created_at": Field(str),
    "resolved_at": Field(str, nullable=True), "first_message": Field(str)}))}
SITE_DELETED = {"deleted": Field(int), "conversations": Field(int)}  # site_deletion: the site, and how many went
# privacy.export: each conversation with everything kept of it (files described, not their bytes).
EXPORT = {"exported_at": Field(str), "conversations": Field(list, items=Field(dict, shape={
    "conversation": Field(dict, shape=CONVERSATION), "messages": Field(list, items=_MESSAGE),
    "notes": Field(list, items=Field(dict, shape=NOTE)), "files": Field(list, items=Field(dict, shape=SENT_FILE)),
    "ratings": Field(list, items=Field(dict, shape=_RATED))}))}
ERASED = {"erased": Field(int)}
