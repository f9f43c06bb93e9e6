"""Live chat over REST: operators' routes (colleague tokens with live chat enabled) and
the visitors' routes (called cross-origin by the widget; docs/livechat.md).

The visitor routes answer CORS for the calling origin: the visit checks it against the
site's origins itself, and the others need the visitor's bearer token (no cookies), so
echoing the origin grants nothing a page could not do without it.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chatserver.api._common import (
    actor,
    body,
    client_ip,
    ok,
    path_id,
    preflight,
    query_int,
    services,
    visitor,
)
from chatserver.api._common import cors as _cors
from chatserver.api.contract import ID, ApiRoute, Op
from chatserver.errors import BadRequest, ChatError, RateLimited
from chatserver.protocol.schema import NOT_BLANK, Field
from livechat import demo_site
from livechat.actions import overview as overview_actions  # beside the route overview()
from livechat.actions import routing, sites, visits
from livechat.api import canned, earlier, files, labels, notes, privacy, reports
from livechat.api import sites as sites_api  # beside the actions' sites
from livechat.api.answers import (
    AVAILABILITY,
    CONVERSATION,
    CONVERSATIONS,
    FULL_CONVERSATION,
    OPERATORS,
    OVERVIEW,
    SENT,
    SITE,
    SITES,
    VISIT,
    VISITOR_CONVERSATION,
)
from livechat.hours import DAYS, MAX_HOLIDAYS, MAX_RANGES
from livechat.prechat import FIELDS, MAX_RULES, MODES


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# --- visitors ---------------------------------------------------------------------------


def _limiter(request: Request) -> visits.VisitLimiter:
    state = request.app.state
    limiter = getattr(state, "livechat_visit_limiter", None)
    if limiter is None:
        svc = services(request)
        limiter = visits.VisitLimiter(svc.clock, svc.config.visit_rate_per_minute, svc.config.visit_burst)
        state.livechat_visit_limiter = limiter
    return limiter


def _text(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name) or ""
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be text", code="wrong_type", field=name)
    return value[:limit]


async def visit(request: Request) -> Response:
    """Start or continue a visitor session. Body (JSON, any content type): {"site_id", "token"?, "url", "referrer", "language"}."""
    try:
        data = await body(request)
        site_id = int(data["site_id"])  # a number, or digits (the route's declaration)
        svc = services(request)
        token = data.get("token") if isinstance(data.get("token"), str) else None
        details = {
            "ip": client_ip(request, svc.config)[:64],
            "user_agent": request.headers.get("user-agent", "")[:1000],
            "language": (_text(data, "language", 200) or request.headers.get("accept-language", ""))[:200],
            "url": _text(data, "url", 2000),
            "referrer": _text(data, "referrer", 2000),
        }
        origin = request.headers.get("origin")
        result = await visits.visit(
            svc, site_id=site_id, origin=origin, token=token, details=details, limiter=_limiter(request),
            also_allowed=demo_site.same_origin_demo(request, site_id, origin),
        )
    except RateLimited as exc:
        # Only an allowed origin gets this far: the widget may read it, and waits.
        retry = str(exc.details.get("retry_after", 60))
        busy = JSONResponse({"error": exc.to_dict()}, status_code=exc.status, headers={"Retry-After": retry})
        return _cors(request, busy)
    except ChatError as exc:
        # Refusals carry no CORS header: a page of another origin learns nothing.
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)
    return _cors(request, ok(result))


async def visitor_conversation(request: Request) -> Response:
    """The visitor's own conversation and messages (visitor token)."""
    try:
        user = await visitor(request)
        result = await visits.visitor_conversation(services(request), user)
    except ChatError as exc:
        return _cors(request, JSONResponse({"error": exc.to_dict()}, status_code=exc.status))
    return _cors(request, ok(result))


# --- operators --------------------------------------------------------------------------


async def list_sites(request: Request) -> Response:
    """The tenant's sites with their embed snippet."""
    user = await actor(request)
    return ok({"sites": await sites.list_sites(services(request), user, _base_url(request))})


async def create_site(request: Request) -> Response:
    """Create a site (key-users): {"name", "origins", "greeting": {"nl", "en"}}."""
    user = await actor(request)
    return ok(await sites.create_site(services(request), user, await body(request), _base_url(request)), 201)


async def update_site(request: Request) -> Response:
    """Change a site (key-users)."""
    user = await actor(request)
    site_id = path_id(request, "site_id")
    return ok(await sites.update_site(services(request), user, site_id, await body(request), _base_url(request)))


async def conversations(request: Request) -> Response:
    """Conversations by state (incoming, active, resolved), resolved by day (date=YYYY-MM-DD), found by q, with a label (label=ID)."""
    user = await actor(request)
    p = request.query_params
    found = await routing.list_conversations(
        services(request), user, state=p.get("state") or None, day=p.get("date") or None, q=p.get("q"),
        label_id=query_int(request, "label", None),
    )
    return ok({"conversations": found})


async def conversation(request: Request) -> Response:
    """One conversation with its messages and the visitor's details."""
    user = await actor(request)
    return ok(await routing.get(services(request), user, path_id(request, "conv_id")))


async def assign(request: Request) -> Response:
    """Assign to me (no user_id), take over, or assign to a colleague: {"user_id"?}."""
    user = await actor(request)
    data = await body(request)
    return ok(await routing.assign(services(request), user, path_id(request, "conv_id"), data.get("user_id")))


async def resolve(request: Request) -> Response:
    """Mark as resolved; it becomes read-only until the visitor writes again."""
    user = await actor(request)
    return ok(await routing.resolve(services(request), user, path_id(request, "conv_id")))


async def reply(request: Request) -> Response:
    """Write to the visitor: {"body", "client_msg_id"}."""
    user = await actor(request)
    data = await body(request)
    text, client_msg_id = data["body"], data["client_msg_id"]
    return ok(await routing.reply(services(request), user, path_id(request, "conv_id"), text, client_msg_id))


async def visitor_details(request: Request) -> Response:
    """Set the visitor's name, e-mail, phone: {"name"?, "email"?, "phone"?}."""
    user = await actor(request)
    data = await body(request)
    return ok(await routing.set_details(services(request), user, path_id(request, "conv_id"), data))


async def operators(request: Request) -> Response:
    """Live-chat operators of the organisation, online or offline."""
    user = await actor(request)
    return ok({"operators": await overview_actions.operators(services(request), user)})


async def availability(request: Request) -> Response:
    """Set own availability: {"online": true|false}."""
    user = await actor(request)
    online = (await body(request))["online"]
    return ok(await overview_actions.set_availability(services(request), user, online))


async def overview(request: Request) -> Response:
    """Incoming and active counts, operators online/offline, resolution and response times, share resolved."""
    user = await actor(request)
    return ok(await overview_actions.overview(services(request), user))


_SITE = {
    "name": Field(str, max_length=200, pattern=NOT_BLANK),
    "origins": Field(list, min_length=1, max_length=100, items=Field(str, max_length=300)),
    "greeting": Field(dict, required=False, shape={"nl": Field(str, required=False, max_length=500),
                                                   "en": Field(str, required=False, max_length=500)}),
    # Business hours (livechat.hours checks zone, times and dates); {} clears them.
    "hours": Field(dict, required=False, closed=True, shape={
        "zone": Field(str, required=False, max_length=64),
        "weekly": Field(dict, required=False, closed=True, shape={
            d: Field(list, required=False, max_length=MAX_RANGES, items=Field(list, items=Field(str, max_length=5)))
            for d in DAYS}),
        "holidays": Field(list, required=False, max_length=MAX_HOLIDAYS, items=Field(str, max_length=10)),
        "away": Field(dict, required=False, closed=True, shape={"nl": Field(str, required=False, max_length=500),
                                                               "en": Field(str, required=False, max_length=500)}),
    }),
    # Pre-chat form and proactive messages (livechat.prechat checks them); {} and [] clear them.
    "prechat": Field(dict, required=False, closed=True, shape={"fields": Field(dict, required=False, closed=True, shape={
        f: Field(str, required=False, choices=MODES) for f in FIELDS})}),
    "proactive": Field(list, required=False, max_length=MAX_RULES, items=Field(dict, closed=True, shape={
        "url": Field(str, max_length=200), "seconds": Field(int, minimum=1, maximum=600),
        "message": Field(dict, closed=True, shape={"nl": Field(str, required=False, max_length=500),
                                                   "en": Field(str, required=False, max_length=500)})})),
    # The widget's look (livechat/api/sites.py); {} clears it.
    "look": sites_api.LOOK,
}
_PREFLIGHT = Op(auth="none", status=204, media=None)
_CONVERSATION = Op(answers=CONVERSATION)

routes = [
    ApiRoute("/api/livechat/visit", visit, "POST", Op(
        # The widget sends the site as a number, or as the digits of its data-site.
        body={"site_id": Field((int, str), minimum=1, pattern="[0-9]{1,18}"),
              "token": Field(str, required=False, max_length=200), "url": Field(str, required=False),
              "referrer": Field(str, required=False), "language": Field(str, required=False)},
        auth="none", also=(429,), answers=VISIT)),
    ApiRoute("/api/livechat/visit", preflight, "OPTIONS", _PREFLIGHT),
    ApiRoute("/api/livechat/visitor/conversation", visitor_conversation, "GET", Op(
        auth="visitor", answers=VISITOR_CONVERSATION)),
    ApiRoute("/api/livechat/visitor/conversation", preflight, "OPTIONS", _PREFLIGHT),
    ApiRoute("/api/livechat/sites", list_sites, "GET", Op(answers=SITES)),
    ApiRoute("/api/livechat/sites", create_site, "POST", Op(body=_SITE, status=201, answers=SITE)),
    ApiRoute("/api/livechat/sites/{site_id}", update_site, "PUT", Op(body=_SITE, answers=SITE)),
    ApiRoute("/api/livechat/conversations", conversations, "GET", Op(
        query={"state": Field(str, choices=routing.STATES),
               "date": Field(str, pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "q": Field(str, max_length=200),
               "label": ID},
        answers=CONVERSATIONS)),
    ApiRoute("/api/livechat/conversations/{conv_id}", conversation, "GET", Op(answers=FULL_CONVERSATION)),
    ApiRoute("/api/livechat/conversations/{conv_id}/assign", assign, "POST", Op(
        body={"user_id": Field(int, required=False, minimum=1)}, answers=CONVERSATION)),
    ApiRoute("/api/livechat/conversations/{conv_id}/resolve", resolve, "POST", _CONVERSATION),
    ApiRoute("/api/livechat/conversations/{conv_id}/messages", reply, "POST", Op(
        body={"body": Field(str), "client_msg_id": Field(str, max_length=64)}, answers=SENT)),
    ApiRoute("/api/livechat/conversations/{conv_id}/visitor", visitor_details, "PUT", Op(
        body={"name": Field(str, required=False, max_length=200), "email": Field(str, required=False, max_length=254),
              "phone": Field(str, required=False, max_length=40)}, answers=CONVERSATION)),
    ApiRoute("/api/livechat/operators", operators, "GET", Op(answers=OPERATORS)),
    ApiRoute("/api/livechat/availability", availability, "PUT", Op(body={"online": Field(bool)}, answers=AVAILABILITY)),
    ApiRoute("/api/livechat/overview", overview, "GET", Op(answers=OVERVIEW)),
    # Kept in modules of their own, listed here so the app takes live chat's routes at once.
    *canned.routes,
    *privacy.routes,
    *sites_api.routes,
    *notes.routes,
    *files.routes,
    *earlier.routes,
    *labels.routes,
    *reports.routes,
]
