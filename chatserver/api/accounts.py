"""Login, logout, who am I, users of my organisation, settings."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chatserver import settings_registry
from chatserver.actions import accounts, presence, settings
from chatserver.api._common import (
    actor,
    bearer,
    body,
    client_ip,
    login_throttle,
    ok,
    path_id,
    rate_limited,
    services,
)
from chatserver.errors import BadRequest, RateLimited
from chatserver.storage import accounts as account_store
from chatserver.storage import settings as settings_store


def _text(data: dict[str, object], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"{name} is required", code="missing_field", field=name)
    return value


async def login(request: Request) -> Response:
    """Log in with organisation, username and password; returns a bearer token.
    Repeated failures (per account, per address) make the next attempts wait: 429 with Retry-After."""
    data = await body(request)
    svc = services(request)
    try:
        token, user = await accounts.login(
            svc, _text(data, "tenant"), _text(data, "username"), _text(data, "password"),
            throttle=login_throttle(request), address=client_ip(request, svc.config),
        )
    except RateLimited as exc:
        return rate_limited(exc)
    return ok({"token": token, "user": account_store.user_private(user)})


async def logout(request: Request) -> Response:
    """Revoke the token used for this request and close its WebSockets."""
    user = await actor(request)
    await accounts.logout(services(request), bearer(request) or "", user)
    return ok({"ok": True})


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
        display_name=_text(data, "name"), email=str(data.get("email", "")),
        function=str(data.get("function", "")), role=str(data.get("role", "user")), actor=user,
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
    if "value" not in data:
        raise BadRequest("value is required", code="missing_field")
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
    if "value" not in data:
        raise BadRequest("value is required", code="missing_field")
    name = request.path_params["name"]
    value = await settings.set_user_setting(services(request), user, path_id(request, "user_id"), name, data["value"])
    return ok({"name": name, "value": value})


routes = [
    Route("/api/auth/login", login, methods=["POST"]),
    Route("/api/auth/logout", logout, methods=["POST"]),
    Route("/api/me", me, methods=["GET"]),
    Route("/api/users", list_users, methods=["GET"]),
    Route("/api/users", create_user, methods=["POST"]),
    Route("/api/settings", settings_catalogue, methods=["GET"]),
    Route("/api/settings/tenant", tenant_settings, methods=["GET"]),
    Route("/api/settings/tenant/{name}", put_tenant_setting, methods=["PUT"]),
    Route("/api/users/{user_id}/settings", user_settings, methods=["GET"]),
    Route("/api/users/{user_id}/settings/{name}", put_user_setting, methods=["PUT"]),
]
