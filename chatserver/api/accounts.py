"""Login, logout, who am I, users of my organisation, settings."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chatserver import settings_registry
from chatserver.actions import accounts, presence, settings
from chatserver.api import web_session
from chatserver.api._common import (
    actor,
    bearer,
    body,
    client_ip,
    credential,
    login_throttle,
    ok,
    path_id,
    rate_limited,
    services,
)
from chatserver.api.contract import ApiRoute, Op
from chatserver.errors import BadRequest, Forbidden, RateLimited, Unauthorized
from chatserver.protocol.events import USER
from chatserver.protocol.schema import Field
from chatserver.storage import accounts as account_store
from chatserver.storage import settings as settings_store


def _text(data: dict[str, object], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"{name} is required", code="missing_field", field=name)
    return value


async def login(request: Request) -> Response:
    """Log in with organisation, username and password. Returns a bearer token, or with
    ``"session": "cookie"`` (our web pages) sets the session cookie and returns the
    session's CSRF token instead (the login token never reaches the page's scripts).
    Repeated failures (per account, per address) make the next attempts wait: 429 with Retry-After."""
    data = await body(request)
    svc = services(request)
    cookie = data.get("session") == "cookie"
    # Login CSRF: another site's form must not sign the browser in to an account of its
    # choosing. A browser sends Origin with every POST; our pages' is ours.
    if cookie and not web_session.from_our_origin(request, svc.config):
        raise Forbidden("a cookie session is opened only by this server's own pages", code="csrf_origin")
    try:
        token, user = await accounts.login(
            svc, _text(data, "tenant"), _text(data, "username"), _text(data, "password"),
            throttle=login_throttle(request), address=client_ip(request, svc.config),
        )
    except RateLimited as exc:
        return rate_limited(exc)
    if not cookie:
        return ok({"token": token, "user": account_store.user_private(user)})
    answer = ok({"user": account_store.user_private(user), "csrf_token": web_session.csrf_token(token)})
    web_session.set_cookie(request, answer, token, svc.config)
    return answer


def _ended(request: Request, exc: Unauthorized) -> Response:
    """A cookie session that no longer signs anyone in: 401, and the cookie is cleared."""
    answer = ok({"error": exc.to_dict()}, exc.status)
    web_session.clear_cookie(request, answer, services(request).config)
    return answer


async def session(request: Request) -> Response:
    """Who this browser's session cookie signs in, and the session's CSRF token (null for
    a bearer token, which needs none): what a page (a new tab, a reload) needs to start.
    401 without a valid session; a cookie that no longer signs anyone in is cleared."""
    via_cookie = bearer(request) is None
    try:
        user = await actor(request)
    except Unauthorized as exc:
        if via_cookie and web_session.cookie_token(request, services(request).config):
            return _ended(request, exc)
        raise
    token = credential(request) or ""
    answer = ok({"user": account_store.user_private(user),
                 "csrf_token": web_session.csrf_token(token) if via_cookie else None})
    answer.headers["Cache-Control"] = "no-store"
    return answer


async def logout(request: Request) -> Response:
    """Revoke the token used for this request (the session cookie's too) and close its
    WebSockets on every node; a cookie session's cookie is cleared, also when it had ended."""
    via_cookie = bearer(request) is None
    svc = services(request)
    try:
        user = await actor(request)
    except Unauthorized as exc:
        if via_cookie and web_session.cookie_token(request, svc.config):
            return _ended(request, exc)
        raise
    await accounts.logout(svc, credential(request) or "", user)
    answer = ok({"ok": True})
    if via_cookie:
        web_session.clear_cookie(request, answer, svc.config)
    return answer


async def me(request: Request) -> Response:
    """The caller, their effective settings and what contacts see of them."""
    user = await actor(request)
    svc = services(request)
    async with svc.read() as s:
        values = await settings_store.effective(s, user.tenant_id, user.id)
    seen = await presence.presence_of(svc, [user.id])
    return ok({"user": account_store.user_private(user), "settings": values, "visible_status": seen.get(user.id)})


async def create_user(request: Request) -> Response:
    """Create a user in the caller's organisation (key-users only)."""
    user = await actor(request)
    data = await body(request)
    created = await accounts.create_user(
        services(request), user.tenant_id,
        username=_text(data, "username"), password=_text(data, "password"),
        display_name=_text(data, "name"), email=data.get("email") or "",
        function=data.get("function") or "", role=data.get("role") or "user", actor=user,
    )
    return ok({"user": account_store.user_private(created)}, 201)


async def list_users(request: Request) -> Response:
    """Colleagues of the caller's organisation."""
    user = await actor(request)
    async with services(request).read() as s:
        users = await account_store.tenant_users(s, user.tenant_id)
    return ok({"users": [account_store.user_public(u, viewer_tenant_id=user.tenant_id) for u in users]})


async def settings_catalogue(request: Request) -> Response:
    """Every setting: name, type, default, level, who may edit, labels in en and nl."""
    await actor(request)
    return ok({"settings": [s.describe() for s in settings_registry.SETTINGS.values()]})


async def tenant_settings(request: Request) -> Response:
    """The organisation's values of tenant-level settings."""
    user = await actor(request)
    return ok(await settings.tenant_settings(services(request), user))


async def put_tenant_setting(request: Request) -> Response:
    """Change an organisation setting (key-users only). Body: {"value": ...}."""
    user = await actor(request)
    data = await body(request)
    value = await settings.set_tenant_setting(services(request), user, request.path_params["name"], data["value"])
    return ok({"name": request.path_params["name"], "value": value})


async def user_settings(request: Request) -> Response:
    """A user's effective user-level settings (own, or any colleague's for key-users)."""
    user = await actor(request)
    return ok(await settings.user_settings(services(request), user, path_id(request, "user_id")))


async def put_user_setting(request: Request) -> Response:
    """Change a user's setting. Body: {"value": ...}; null removes the override."""
    user = await actor(request)
    data = await body(request)
    name = request.path_params["name"]
    value = await settings.set_user_setting(services(request), user, path_id(request, "user_id"), name, data["value"])
    return ok({"name": name, "value": value})


_USER_PRIVATE = {**USER, "username": Field(str), "role": Field(str), "status": Field(str)}
_VALUE = {"value": Field(object, nullable=True)}  # a setting's value; null removes a user's override
_NAMED_VALUE = Op(body=_VALUE, answers={"name": Field(str), "value": Field(object, nullable=True)})
# settings_registry.Setting.describe: a setting as the settings screens show and edit it.
_SETTING = Field(dict, shape={
    "name": Field(str), "type": Field(str, choices=("bool", "int", "str")), "default": Field(object, nullable=True),
    "level": Field(str), "self_editable": Field(bool),
    "label": Field(dict, shape={"en": Field(str), "nl": Field(str)}), "choices": Field(list, nullable=True),
    "min": Field(int, required=False), "max": Field(int, required=False)})
# Values by setting name (each setting's own type: the catalogue says which).
_VALUES = Field(dict)

routes = [
    ApiRoute("/api/auth/login", login, "POST", Op(
        body={"tenant": Field(str, min_length=1, max_length=200), "username": Field(str, min_length=1, max_length=200),
              "password": Field(str, min_length=1, max_length=1000),
              # "cookie": our web pages' session (api.web_session); absent: a bearer token for an API client.
              "session": Field(str, required=False, choices=("token", "cookie"))},
        answers={"token": Field(str, required=False), "csrf_token": Field(str, required=False),
                 "user": Field(dict, shape=_USER_PRIVATE)}, auth="none", also=(401, 403, 429))),
    # Checked in the view, which clears a cookie that has ended.
    ApiRoute("/api/auth/session", session, "GET", Op(auth="none", also=(401,), answers={
        "user": Field(dict, shape=_USER_PRIVATE), "csrf_token": Field(str, nullable=True)})),
    ApiRoute("/api/auth/logout", logout, "POST", Op(auth="none", also=(401, 403), answers={"ok": Field(bool)})),
    ApiRoute("/api/me", me, "GET", Op(answers={
        "user": Field(dict, shape=_USER_PRIVATE), "settings": Field(dict), "visible_status": Field(str, nullable=True)})),
    ApiRoute("/api/users", list_users, "GET", Op(answers={"users": Field(list, items=Field(dict, shape=USER))})),
    ApiRoute("/api/users", create_user, "POST", Op(
        body={"username": Field(str, min_length=1, max_length=200), "password": Field(str, min_length=1, max_length=1000),
              "name": Field(str, min_length=1, max_length=200), "email": Field(str, required=False, max_length=254),
              "function": Field(str, required=False, max_length=200),
              "role": Field(str, required=False, choices=accounts.ROLES)},
        status=201, answers={"user": Field(dict, shape=_USER_PRIVATE)})),
    ApiRoute("/api/settings", settings_catalogue, "GET", Op(answers={"settings": Field(list, items=_SETTING)})),
    ApiRoute("/api/settings/tenant", tenant_settings, "GET", Op(answers={"values": _VALUES})),
    ApiRoute("/api/settings/tenant/{name}", put_tenant_setting, "PUT", _NAMED_VALUE),
    ApiRoute("/api/users/{user_id}/settings", user_settings, "GET", Op(answers={
        "user_id": Field(int), "values": _VALUES, "overridden": Field(list, items=Field(str))})),
    ApiRoute("/api/users/{user_id}/settings/{name}", put_user_setting, "PUT", _NAMED_VALUE),
]
