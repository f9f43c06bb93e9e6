"""The SMS module over REST (docs/sms.md): compose, list, queue, groups, subscriptions, credits."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, body, ok, path_id, query_int, services
from chatserver.api.contract import ID, ApiRoute, Op
from chatserver.protocol.schema import NOT_BLANK, Field
from sms.actions import credits as credits_actions  # beside the route credits()
from sms.actions import filters, groups, inputs, lifecycle, queries
from sms.api import answers
from sms.models import RECIPIENT_STATES


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


async def config(request: Request) -> Response:
    """What the composer needs: limits, senders, countries, the balance."""
    return ok(await queries.config(services(request), await actor(request)))


async def preview(request: Request) -> Response:
    """Characters left, parts and cost of a text for a selection; stores nothing."""
    user = await actor(request)
    return ok(await queries.preview(services(request), user, await body(request)))


async def list_messages(request: Request) -> Response:
    """Own messages (SMS-admins: the tenant's) with q, status, user_id, from, to, filter_id."""
    user = await actor(request)
    params = _params(request)
    params["limit"] = str(query_int(request, "limit", 50))
    params["offset"] = str(query_int(request, "offset", 0))
    return ok(await queries.listing(services(request), user, params))


async def compose(request: Request) -> Response:
    """Send now, schedule, or queue for approval when over the recipient limit."""
    user = await actor(request)
    return ok(await lifecycle.compose(services(request), user, await body(request)), 201)


async def get_message(request: Request) -> Response:
    """One message with its selection, related records and first recipients."""
    user = await actor(request)
    return ok(await queries.detail(services(request), user, path_id(request, "message_id")))


async def edit_message(request: Request) -> Response:
    """Change a message still scheduled or awaiting approval."""
    user = await actor(request)
    return ok(await lifecycle.edit(services(request), user, path_id(request, "message_id"), await body(request)))


async def delete_message(request: Request) -> Response:
    """Delete a message (not while it is being sent)."""
    user = await actor(request)
    return ok(await lifecycle.delete(services(request), user, path_id(request, "message_id")))


async def approve(request: Request) -> Response:
    """An SMS-admin approves a message waiting in the queue."""
    user = await actor(request)
    return ok(await lifecycle.approve(services(request), user, path_id(request, "message_id")))


async def cancel(request: Request) -> Response:
    """Cancel a message before it is sent."""
    user = await actor(request)
    return ok(await lifecycle.cancel(services(request), user, path_id(request, "message_id")))


async def recipients(request: Request) -> Response:
    """The outbox rows of a released message: state, included, reason."""
    user = await actor(request)
    return ok(await queries.recipients(services(request), user, path_id(request, "message_id"), _params(request)))


async def why(request: Request) -> Response:
    """Why did someone (person_id, user_id, number or q) not receive this message?"""
    user = await actor(request)
    return ok(await queries.why(services(request), user, path_id(request, "message_id"), _params(request)))


async def relate(request: Request) -> Response:
    """Relate the message to records: {"record_ids": [...]}."""
    user = await actor(request)
    return ok(await lifecycle.relate_records(services(request), user, path_id(request, "message_id"), await body(request)))


async def unrelate(request: Request) -> Response:
    """Remove the relation of the message to a record."""
    user = await actor(request)
    return ok(await lifecycle.unrelate_record(
        services(request), user, path_id(request, "message_id"), path_id(request, "record_id")))


async def queue(request: Request) -> Response:
    """The SMS queue of the tenant (SMS-admins): waiting and scheduled messages."""
    user = await actor(request)
    return ok(await queries.queue(
        services(request), user, request.query_params.get("status"),
        query_int(request, "limit", 100), query_int(request, "offset", 0)))


async def compose_from_record(request: Request) -> Response:
    """The composer's start for a record: its person preselected."""
    user = await actor(request)
    return ok(await queries.compose_from_record(services(request), user, path_id(request, "record_id")))


async def search(request: Request) -> Response:
    """The recipient picker: people, colleagues and groups of every kind by name."""
    user = await actor(request)
    return ok(await queries.search(
        services(request), user, request.query_params.get("q", ""), request.query_params.get("types")))


# --- Groups, subscriptions, dynamic groups ---------------------------------------------------


async def list_groups(request: Request) -> Response:
    """The tenant's SMS groups with member counts."""
    user = await actor(request)
    return ok(await groups.list_groups(services(request), user, request.query_params.get("q", "")))


async def create_group(request: Request) -> Response:
    """Create an (empty) SMS group: {"name"}."""
    user = await actor(request)
    return ok(await groups.create_group(services(request), user, await body(request)), 201)


async def get_group(request: Request) -> Response:
    """An SMS group with its members."""
    user = await actor(request)
    return ok(await groups.get_group(services(request), user, path_id(request, "obj_id")))


async def rename(request: Request) -> Response:
    """Rename an SMS group or subscription: {"name"}."""
    user = await actor(request)
    kind = request.url.path.split("/")[3]
    return ok(await groups.update_named(services(request), user, kind, path_id(request, "obj_id"),
                                            await body(request)))


async def delete_named(request: Request) -> Response:
    """Delete an SMS group, subscription or dynamic group."""
    user = await actor(request)
    kind = request.url.path.split("/")[3]
    return ok(await groups.delete_owned(services(request), user, kind, path_id(request, "obj_id")))


async def add_members(request: Request) -> Response:
    """Add members: {"members": [{"name", "number"} | {"user_id"} | {"person_id"}]}."""
    user = await actor(request)
    return ok(await groups.add_members(services(request), user, path_id(request, "obj_id"), await body(request)))


async def remove_member(request: Request) -> Response:
    """Remove one member from an SMS group."""
    user = await actor(request)
    return ok(await groups.remove_member(
        services(request), user, path_id(request, "obj_id"), path_id(request, "member_id")))


async def list_subscriptions(request: Request) -> Response:
    """The tenant's SMS subscriptions (opt-in lists)."""
    return ok(await groups.list_subscriptions(services(request), await actor(request)))


async def create_subscription(request: Request) -> Response:
    """Create a subscription: {"name"}."""
    user = await actor(request)
    return ok(await groups.create_subscription(services(request), user, await body(request)), 201)


async def get_subscription(request: Request) -> Response:
    """A subscription with its members and who opted out."""
    user = await actor(request)
    return ok(await groups.get_subscription(services(request), user, path_id(request, "obj_id")))


async def join(request: Request) -> Response:
    """Subscribe persons: {"person_ids": [...]}."""
    user = await actor(request)
    return ok(await groups.set_subscribed(
        services(request), user, path_id(request, "obj_id"), await body(request), joined=True))


async def opt_out(request: Request) -> Response:
    """Opt persons out: {"person_ids": [...]}."""
    user = await actor(request)
    return ok(await groups.set_subscribed(
        services(request), user, path_id(request, "obj_id"), await body(request), joined=False))


async def list_dynamic(request: Request) -> Response:
    """The tenant's dynamic groups with their rules."""
    return ok(await groups.list_dynamic(services(request), await actor(request)))


async def create_dynamic(request: Request) -> Response:
    """Create a dynamic group: {"name", "rules": [{"field", "op", "value"}]}."""
    user = await actor(request)
    return ok(await groups.create_dynamic(services(request), user, await body(request)), 201)


async def get_dynamic(request: Request) -> Response:
    """A dynamic group."""
    user = await actor(request)
    return ok(await groups.get_dynamic(services(request), user, path_id(request, "obj_id")))


async def update_dynamic(request: Request) -> Response:
    """Change a dynamic group's name or rules."""
    user = await actor(request)
    return ok(await groups.update_dynamic(services(request), user, path_id(request, "obj_id"), await body(request)))


async def dynamic_members(request: Request) -> Response:
    """Who matches a dynamic group's rules now."""
    user = await actor(request)
    return ok(await groups.dynamic_members(services(request), user, path_id(request, "obj_id")))


# --- Credits and saved filters ----------------------------------------------------------------


async def credits(request: Request) -> Response:
    """The tenant's balance (and the ledger for SMS-admins and key-users)."""
    user = await actor(request)
    return ok(await credits_actions.balance(services(request), user, query_int(request, "limit", 50)))


async def top_up(request: Request) -> Response:
    """A key-user adds credits: {"amount", "note"}."""
    user = await actor(request)
    return ok(await credits_actions.top_up(services(request), user, await body(request)), 201)


async def list_filters(request: Request) -> Response:
    """The caller's saved filters and the columns to choose from."""
    return ok(await filters.listing(services(request), await actor(request)))


async def create_filter(request: Request) -> Response:
    """Save a filter: {"name", "query", "columns"}."""
    user = await actor(request)
    return ok(await filters.create(services(request), user, await body(request)), 201)


async def update_filter(request: Request) -> Response:
    """Change a saved filter."""
    user = await actor(request)
    return ok(await filters.update(services(request), user, path_id(request, "obj_id"), await body(request)))


async def delete_filter(request: Request) -> Response:
    """Delete a saved filter."""
    user = await actor(request)
    return ok(await filters.remove(services(request), user, path_id(request, "obj_id")))


_NAME = Field(str, max_length=200, pattern=NOT_BLANK)
_OPTIONAL_ID = Field(int, required=False, minimum=1)
_IDS = Field(list, min_length=1, max_length=10_000, items=ID)
_PAGE = {"limit": Field(int, minimum=1, maximum=500), "offset": Field(int, minimum=0)}
_TEXT = Field(str, max_length=200)
_SELECTION = Field(dict, shape={
    "type": Field(str, choices=inputs.SELECTION_TYPES), "mode": Field(str, required=False, choices=("include", "exclude")),
    "id": _OPTIONAL_ID, "number": Field(str, required=False, max_length=40), "name": Field(str, required=False, max_length=200),
})
# What compose, edit and preview take (compose needs the body; edit changes what it is given).
_MESSAGE = {
    "body": Field(str, max_length=inputs.MAX_BODY), "subject": Field(str, required=False, max_length=200),
    "recipients": Field(list, required=False, max_length=inputs.MAX_SELECTION, items=_SELECTION),
    "record_ids": Field(list, required=False, max_length=1000, items=ID),
    "from_own_number": Field(bool, required=False), "send_at": Field(str, required=False, max_length=40),
    "priority": Field(int, required=False, minimum=0, maximum=100), "subscription_id": _OPTIONAL_ID,
}
_EDIT = {name: Field(f.type, required=False, max_length=f.max_length, minimum=f.minimum, maximum=f.maximum,
                     items=f.items, choices=f.choices) for name, f in _MESSAGE.items() if name != "record_ids"}
_MEMBER = Field(dict, shape={"user_id": _OPTIONAL_ID, "person_id": _OPTIONAL_ID,
                             "number": Field(str, required=False, max_length=40),
                             "name": Field(str, required=False, max_length=200)})
_RULE = Field(dict, shape={"field": Field(str, max_length=40), "op": Field(str, required=False, max_length=40),
                           "value": Field((str, int))})
_FILTER_QUERY = Field(dict, required=False, closed=True, shape={
    "q": Field(str, required=False, max_length=200), "status": Field(str, required=False, max_length=200),
    "from": Field(str, required=False, max_length=40), "to": Field(str, required=False, max_length=40),
    "user_id": _OPTIONAL_ID})
_COLUMNS = Field(list, required=False, min_length=1, max_length=50, items=Field(str, choices=filters.COLUMNS))
_LISTING = {"q": _TEXT, "status": _TEXT, "user_id": ID, "from": _TEXT, "to": _TEXT, "filter_id": ID, **_PAGE}

routes = [
    ApiRoute("/api/sms/config", config, "GET", Op(answers=answers.CONFIG)),
    ApiRoute("/api/sms/preview", preview, "POST", Op(body={**_EDIT, "body": Field(str, required=False,
                                                                                   max_length=inputs.MAX_BODY)},
                                                  answers=answers.PREVIEW)),
    ApiRoute("/api/sms/search", search, "GET", Op(query={"q": _TEXT, "types": _TEXT}, answers=answers.FOUND)),
    ApiRoute("/api/sms/queue", queue, "GET", Op(query={"status": _TEXT, **_PAGE}, answers=answers.MESSAGES)),
    ApiRoute("/api/sms/messages", list_messages, "GET", Op(query=_LISTING, answers=answers.MESSAGES)),
    ApiRoute("/api/sms/messages", compose, "POST", Op(body=_MESSAGE, closed=True, status=201, answers=answers.MESSAGE)),
    ApiRoute("/api/sms/messages/{message_id}", get_message, "GET", Op(answers=answers.MESSAGE_DETAIL)),
    ApiRoute("/api/sms/messages/{message_id}", edit_message, "PATCH", Op(body=_EDIT, closed=True, answers=answers.MESSAGE)),
    ApiRoute("/api/sms/messages/{message_id}", delete_message, "DELETE", Op(answers=answers.DELETED)),
    ApiRoute("/api/sms/messages/{message_id}/approve", approve, "POST", Op(answers=answers.MESSAGE)),
    ApiRoute("/api/sms/messages/{message_id}/cancel", cancel, "POST", Op(answers=answers.MESSAGE)),
    ApiRoute("/api/sms/messages/{message_id}/recipients", recipients, "GET", Op(query={
        "state": Field(str, choices=RECIPIENT_STATES), "included": Field(str, choices=("true", "false")), "q": _TEXT,
        **_PAGE}, answers=answers.RECIPIENTS)),
    ApiRoute("/api/sms/messages/{message_id}/why", why, "GET", Op(query={
        "person_id": ID, "user_id": ID, "number": Field(str, max_length=40), "q": _TEXT}, answers=answers.WHY)),
    ApiRoute("/api/sms/messages/{message_id}/records", relate, "POST", Op(
        body={"record_ids": Field(list, max_length=1000, items=ID)}, answers=answers.RECORDS)),
    ApiRoute("/api/sms/messages/{message_id}/records/{record_id}", unrelate, "DELETE", Op(answers=answers.RECORDS)),
    ApiRoute("/api/sms/records/{record_id}/compose", compose_from_record, "GET", Op(
        answers=answers.COMPOSE_FROM_RECORD)),
    ApiRoute("/api/sms/groups", list_groups, "GET", Op(query={"q": _TEXT}, answers=answers.GROUPS)),
    ApiRoute("/api/sms/groups", create_group, "POST", Op(body={"name": _NAME}, status=201, answers=answers.GROUP)),
    ApiRoute("/api/sms/groups/{obj_id}", get_group, "GET", Op(answers=answers.GROUP)),
    ApiRoute("/api/sms/groups/{obj_id}", rename, "PATCH", Op(body={"name": _NAME}, answers=answers.GROUP)),
    ApiRoute("/api/sms/groups/{obj_id}", delete_named, "DELETE", Op(answers=answers.DELETED)),
    ApiRoute("/api/sms/groups/{obj_id}/members", add_members, "POST", Op(
        body={"members": Field(list, min_length=1, max_length=10_000, items=_MEMBER)}, answers=answers.GROUP)),
    ApiRoute("/api/sms/groups/{obj_id}/members/{member_id}", remove_member, "DELETE", Op(answers=answers.GROUP)),
    ApiRoute("/api/sms/subscriptions", list_subscriptions, "GET", Op(answers=answers.SUBSCRIPTIONS)),
    ApiRoute("/api/sms/subscriptions", create_subscription, "POST", Op(
        body={"name": _NAME}, status=201, answers=answers.SUBSCRIPTION)),
    ApiRoute("/api/sms/subscriptions/{obj_id}", get_subscription, "GET", Op(answers=answers.SUBSCRIPTION)),
    ApiRoute("/api/sms/subscriptions/{obj_id}", rename, "PATCH", Op(body={"name": _NAME},
                                                                   answers=answers.SUBSCRIPTION)),
    ApiRoute("/api/sms/subscriptions/{obj_id}", delete_named, "DELETE", Op(answers=answers.DELETED)),
    ApiRoute("/api/sms/subscriptions/{obj_id}/join", join, "POST", Op(
        body={"person_ids": _IDS}, answers=answers.SUBSCRIPTION)),
    ApiRoute("/api/sms/subscriptions/{obj_id}/opt-out", opt_out, "POST", Op(
        body={"person_ids": _IDS}, answers=answers.SUBSCRIPTION)),
    ApiRoute("/api/sms/dynamic-groups", list_dynamic, "GET", Op(answers=answers.DYNAMICS)),
    ApiRoute("/api/sms/dynamic-groups", create_dynamic, "POST", Op(
        body={"name": _NAME, "rules": Field(list, min_length=1, max_length=20, items=_RULE)}, status=201, answers=answers.DYNAMIC)),
    ApiRoute("/api/sms/dynamic-groups/{obj_id}", get_dynamic, "GET", Op(answers=answers.DYNAMIC)),
    ApiRoute("/api/sms/dynamic-groups/{obj_id}", update_dynamic, "PATCH", Op(
        body={"name": Field(str, required=False, max_length=200, pattern=NOT_BLANK),
              "rules": Field(list, required=False, min_length=1, max_length=20, items=_RULE)},
        answers=answers.DYNAMIC)),
    ApiRoute("/api/sms/dynamic-groups/{obj_id}", delete_named, "DELETE", Op(answers=answers.DELETED)),
    ApiRoute("/api/sms/dynamic-groups/{obj_id}/members", dynamic_members, "GET", Op(answers=answers.DYNAMIC_MEMBERS)),
    ApiRoute("/api/sms/credits", credits, "GET", Op(query={"limit": Field(int, minimum=1, maximum=500)},
                                                    answers=answers.BALANCE)),
    ApiRoute("/api/sms/credits", top_up, "POST", Op(
        body={"amount": Field(int, minimum=1, maximum=credits_actions.MAX_TOP_UP),
              "note": Field(str, required=False, max_length=300)}, status=201, answers=answers.TOP_UP)),
    ApiRoute("/api/sms/filters", list_filters, "GET", Op(answers=answers.FILTERS)),
    ApiRoute("/api/sms/filters", create_filter, "POST", Op(
        body={"name": Field(str, max_length=100, pattern=NOT_BLANK), "query": _FILTER_QUERY, "columns": _COLUMNS},
        status=201, answers=answers.FILTER)),
    ApiRoute("/api/sms/filters/{obj_id}", update_filter, "PATCH", Op(
        body={"name": Field(str, required=False, max_length=100, pattern=NOT_BLANK), "query": _FILTER_QUERY,
              "columns": _COLUMNS}, answers=answers.FILTER)),
    ApiRoute("/api/sms/filters/{obj_id}", delete_filter, "DELETE", Op(answers=answers.FILTER_DELETED)),
]
