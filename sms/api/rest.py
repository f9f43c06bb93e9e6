"""The SMS module over REST (docs/sms.md): compose, list, queue, groups, subscriptions, credits."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chatserver.api._common import actor, body, ok, path_id, query_int, services
from sms.actions import credits as sms_credits
from sms.actions import filters as sms_filters
from sms.actions import groups as sms_groups
from sms.actions import lifecycle as sms
from sms.actions import queries as sms_queries


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


async def config(request: Request) -> Response:
    """What the composer needs: limits, senders, countries, the balance."""
    return ok(await sms_queries.config(services(request), await actor(request)))


async def preview(request: Request) -> Response:
    """Characters left, parts and cost of a text for a selection; stores nothing."""
    user = await actor(request)
    return ok(await sms_queries.preview(services(request), user, await body(request)))


async def list_messages(request: Request) -> Response:
    """Own messages (SMS-admins: the tenant's) with q, status, user_id, from, to, filter_id."""
    user = await actor(request)
    params = _params(request)
    params["limit"] = str(query_int(request, "limit", 50))
    params["offset"] = str(query_int(request, "offset", 0))
    return ok(await sms_queries.listing(services(request), user, params))


async def compose(request: Request) -> Response:
    """Send now, schedule, or queue for approval when over the recipient limit."""
    user = await actor(request)
    return ok(await sms.compose(services(request), user, await body(request)), 201)


async def get_message(request: Request) -> Response:
    """One message with its selection, related records and first recipients."""
    user = await actor(request)
    return ok(await sms_queries.detail(services(request), user, path_id(request, "message_id")))


async def edit_message(request: Request) -> Response:
    """Change a message still scheduled or awaiting approval."""
    user = await actor(request)
    return ok(await sms.edit(services(request), user, path_id(request, "message_id"), await body(request)))


async def delete_message(request: Request) -> Response:
    """Delete a message (not while it is being sent)."""
    user = await actor(request)
    return ok(await sms.delete(services(request), user, path_id(request, "message_id")))


async def approve(request: Request) -> Response:
    """An SMS-admin approves a message waiting in the queue."""
    user = await actor(request)
    return ok(await sms.approve(services(request), user, path_id(request, "message_id")))


async def cancel(request: Request) -> Response:
    """Cancel a message before it is sent."""
    user = await actor(request)
    return ok(await sms.cancel(services(request), user, path_id(request, "message_id")))


async def recipients(request: Request) -> Response:
    """The outbox rows of a released message: state, included, reason."""
    user = await actor(request)
    return ok(await sms_queries.recipients(services(request), user, path_id(request, "message_id"), _params(request)))


async def why(request: Request) -> Response:
    """Why did someone (person_id, user_id, number or q) not receive this message?"""
    user = await actor(request)
    return ok(await sms_queries.why(services(request), user, path_id(request, "message_id"), _params(request)))


async def relate(request: Request) -> Response:
    """Relate the message to records: {"record_ids": [...]}."""
    user = await actor(request)
    return ok(await sms.relate_records(services(request), user, path_id(request, "message_id"), await body(request)))


async def unrelate(request: Request) -> Response:
    """Remove the relation of the message to a record."""
    user = await actor(request)
    return ok(await sms.unrelate_record(
        services(request), user, path_id(request, "message_id"), path_id(request, "record_id")))


async def queue(request: Request) -> Response:
    """The SMS queue of the tenant (SMS-admins): waiting and scheduled messages."""
    user = await actor(request)
    return ok(await sms_queries.queue(
        services(request), user, request.query_params.get("status"),
        query_int(request, "limit", 100), query_int(request, "offset", 0)))


async def compose_from_record(request: Request) -> Response:
    """The composer's start for a record: its person preselected."""
    user = await actor(request)
    return ok(await sms_queries.compose_from_record(services(request), user, path_id(request, "record_id")))


async def search(request: Request) -> Response:
    """The recipient picker: people, colleagues and groups of every kind by name."""
    user = await actor(request)
    return ok(await sms_queries.search(
        services(request), user, request.query_params.get("q", ""), request.query_params.get("types")))


# --- Groups, subscriptions, dynamic groups ---------------------------------------------------


async def list_groups(request: Request) -> Response:
    """The tenant's SMS groups with member counts."""
    user = await actor(request)
    return ok(await sms_groups.list_groups(services(request), user, request.query_params.get("q", "")))


async def create_group(request: Request) -> Response:
    """Create an (empty) SMS group: {"name"}."""
    user = await actor(request)
    return ok(await sms_groups.create_group(services(request), user, await body(request)), 201)


async def get_group(request: Request) -> Response:
    """An SMS group with its members."""
    user = await actor(request)
    return ok(await sms_groups.get_group(services(request), user, path_id(request, "obj_id")))


async def rename(request: Request) -> Response:
    """Rename an SMS group or subscription: {"name"}."""
    user = await actor(request)
    kind = request.url.path.split("/")[3]
    return ok(await sms_groups.update_named(services(request), user, kind, path_id(request, "obj_id"),
                                            await body(request)))


async def delete_named(request: Request) -> Response:
    """Delete an SMS group, subscription or dynamic group."""
    user = await actor(request)
    kind = request.url.path.split("/")[3]
    return ok(await sms_groups.delete_owned(services(request), user, kind, path_id(request, "obj_id")))


async def add_members(request: Request) -> Response:
    """Add members: {"members": [{"name", "number"} | {"user_id"} | {"person_id"}]}."""
    user = await actor(request)
    return ok(await sms_groups.add_members(services(request), user, path_id(request, "obj_id"), await body(request)))


async def remove_member(request: Request) -> Response:
    """Remove one member from an SMS group."""
    user = await actor(request)
    return ok(await sms_groups.remove_member(
        services(request), user, path_id(request, "obj_id"), path_id(request, "member_id")))


async def list_subscriptions(request: Request) -> Response:
    """The tenant's SMS subscriptions (opt-in lists)."""
    return ok(await sms_groups.list_subscriptions(services(request), await actor(request)))


async def create_subscription(request: Request) -> Response:
    """Create a subscription: {"name"}."""
    user = await actor(request)
    return ok(await sms_groups.create_subscription(services(request), user, await body(request)), 201)


async def get_subscription(request: Request) -> Response:
    """A subscription with its members and who opted out."""
    user = await actor(request)
    return ok(await sms_groups.get_subscription(services(request), user, path_id(request, "obj_id")))


async def join(request: Request) -> Response:
    """Subscribe persons: {"person_ids": [...]}."""
    user = await actor(request)
    return ok(await sms_groups.set_subscribed(
        services(request), user, path_id(request, "obj_id"), await body(request), joined=True))


async def opt_out(request: Request) -> Response:
    """Opt persons out: {"person_ids": [...]}."""
    user = await actor(request)
    return ok(await sms_groups.set_subscribed(
        services(request), user, path_id(request, "obj_id"), await body(request), joined=False))


async def list_dynamic(request: Request) -> Response:
    """The tenant's dynamic groups with their rules."""
    return ok(await sms_groups.list_dynamic(services(request), await actor(request)))


async def create_dynamic(request: Request) -> Response:
    """Create a dynamic group: {"name", "rules": [{"field", "op", "value"}]}."""
    user = await actor(request)
    return ok(await sms_groups.create_dynamic(services(request), user, await body(request)), 201)


async def get_dynamic(request: Request) -> Response:
    """A dynamic group."""
    user = await actor(request)
    return ok(await sms_groups.get_dynamic(services(request), user, path_id(request, "obj_id")))


async def update_dynamic(request: Request) -> Response:
    """Change a dynamic group's name or rules."""
    user = await actor(request)
    return ok(await sms_groups.update_dynamic(services(request), user, path_id(request, "obj_id"), await body(request)))


async def dynamic_members(request: Request) -> Response:
    """Who matches a dynamic group's rules now."""
    user = await actor(request)
    return ok(await sms_groups.dynamic_members(services(request), user, path_id(request, "obj_id")))


# --- Credits and saved filters ----------------------------------------------------------------


async def credits(request: Request) -> Response:
    """The tenant's balance (and the ledger for SMS-admins and key-users)."""
    user = await actor(request)
    return ok(await sms_credits.balance(services(request), user, query_int(request, "limit", 50)))


async def top_up(request: Request) -> Response:
    """A key-user adds credits: {"amount", "note"}."""
    user = await actor(request)
    return ok(await sms_credits.top_up(services(request), user, await body(request)), 201)


async def list_filters(request: Request) -> Response:
    """The caller's saved filters and the columns to choose from."""
    return ok(await sms_filters.listing(services(request), await actor(request)))


async def create_filter(request: Request) -> Response:
    """Save a filter: {"name", "query", "columns"}."""
    user = await actor(request)
    return ok(await sms_filters.create(services(request), user, await body(request)), 201)


async def update_filter(request: Request) -> Response:
    """Change a saved filter."""
    user = await actor(request)
    return ok(await sms_filters.update(services(request), user, path_id(request, "obj_id"), await body(request)))


async def delete_filter(request: Request) -> Response:
    """Delete a saved filter."""
    user = await actor(request)
    return ok(await sms_filters.remove(services(request), user, path_id(request, "obj_id")))


routes = [
    Route("/api/sms/config", config, methods=["GET"]),
    Route("/api/sms/preview", preview, methods=["POST"]),
    Route("/api/sms/search", search, methods=["GET"]),
    Route("/api/sms/queue", queue, methods=["GET"]),
    Route("/api/sms/messages", list_messages, methods=["GET"]),
    Route("/api/sms/messages", compose, methods=["POST"]),
    Route("/api/sms/messages/{message_id}", get_message, methods=["GET"]),
    Route("/api/sms/messages/{message_id}", edit_message, methods=["PATCH"]),
    Route("/api/sms/messages/{message_id}", delete_message, methods=["DELETE"]),
    Route("/api/sms/messages/{message_id}/approve", approve, methods=["POST"]),
    Route("/api/sms/messages/{message_id}/cancel", cancel, methods=["POST"]),
    Route("/api/sms/messages/{message_id}/recipients", recipients, methods=["GET"]),
    Route("/api/sms/messages/{message_id}/why", why, methods=["GET"]),
    Route("/api/sms/messages/{message_id}/records", relate, methods=["POST"]),
    Route("/api/sms/messages/{message_id}/records/{record_id}", unrelate, methods=["DELETE"]),
    Route("/api/sms/records/{record_id}/compose", compose_from_record, methods=["GET"]),
    Route("/api/sms/groups", list_groups, methods=["GET"]),
    Route("/api/sms/groups", create_group, methods=["POST"]),
    Route("/api/sms/groups/{obj_id}", get_group, methods=["GET"]),
    Route("/api/sms/groups/{obj_id}", rename, methods=["PATCH"]),
    Route("/api/sms/groups/{obj_id}", delete_named, methods=["DELETE"]),
    Route("/api/sms/groups/{obj_id}/members", add_members, methods=["POST"]),
    Route("/api/sms/groups/{obj_id}/members/{member_id}", remove_member, methods=["DELETE"]),
    Route("/api/sms/subscriptions", list_subscriptions, methods=["GET"]),
    Route("/api/sms/subscriptions", create_subscription, methods=["POST"]),
    Route("/api/sms/subscriptions/{obj_id}", get_subscription, methods=["GET"]),
    Route("/api/sms/subscriptions/{obj_id}", rename, methods=["PATCH"]),
    Route("/api/sms/subscriptions/{obj_id}", delete_named, methods=["DELETE"]),
    Route("/api/sms/subscriptions/{obj_id}/join", join, methods=["POST"]),
    Route("/api/sms/subscriptions/{obj_id}/opt-out", opt_out, methods=["POST"]),
    Route("/api/sms/dynamic-groups", list_dynamic, methods=["GET"]),
    Route("/api/sms/dynamic-groups", create_dynamic, methods=["POST"]),
    Route("/api/sms/dynamic-groups/{obj_id}", get_dynamic, methods=["GET"]),
    Route("/api/sms/dynamic-groups/{obj_id}", update_dynamic, methods=["PATCH"]),
    Route("/api/sms/dynamic-groups/{obj_id}", delete_named, methods=["DELETE"]),
    Route("/api/sms/dynamic-groups/{obj_id}/members", dynamic_members, methods=["GET"]),
    Route("/api/sms/credits", credits, methods=["GET"]),
    Route("/api/sms/credits", top_up, methods=["POST"]),
    Route("/api/sms/filters", list_filters, methods=["GET"]),
    Route("/api/sms/filters", create_filter, methods=["POST"]),
    Route("/api/sms/filters/{obj_id}", update_filter, methods=["PATCH"]),
    Route("/api/sms/filters/{obj_id}", delete_filter, methods=["DELETE"]),
]
