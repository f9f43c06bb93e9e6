"""The REST views of an organisation's list that operators keep (canned responses,
labels): list, add, change and delete, each a thin call into its actions module."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chatserver.actions.context import Services
from chatserver.api._common import actor, body, ok, path_id, services
from chatserver.api.contract import ApiRoute, Op
from chatserver.db.models import User
from chatserver.protocol.schema import Field

__all__ = ["list_routes"]

Data = dict[str, Any]
_DELETED = {"id": Field(int), "deleted": Field(bool)}


def list_routes(
    path: str,
    key: str,
    *,
    listing: Callable[[Services, User], Awaitable[list[Data]]],
    create: Callable[[Services, User, Data], Awaitable[Data]],
    update: Callable[[Services, User, int, Data], Awaitable[Data]],
    delete: Callable[[Services, User, int], Awaitable[Data]],
    docs: tuple[str, str, str, str],
    bodies: tuple[Mapping[str, Field], Mapping[str, Field]],
    item: Mapping[str, Field],
) -> list[Route]:
    """Routes ``GET/POST path`` and ``PUT/DELETE path/{id}``; the list answers ``{key: [...]}``.
    ``docs``: the four views' summaries (the OpenAPI document shows them); ``bodies``: what
    create and update take (the actions' own declarations, api.contract checks them first);
    ``item``: one of the list as listed, added and changed (a deletion answers its id)."""

    async def list_(request: Request) -> Response:
        return ok({key: await listing(services(request), await actor(request))})

    async def create_(request: Request) -> Response:
        user = await actor(request)
        return ok(await create(services(request), user, await body(request)), 201)

    async def update_(request: Request) -> Response:
        user = await actor(request)
        return ok(await update(services(request), user, path_id(request, "item_id"), await body(request)))

    async def delete_(request: Request) -> Response:
        user = await actor(request)
        return ok(await delete(services(request), user, path_id(request, "item_id")))

    views = (list_, create_, update_, delete_)
    for view, doc in zip(views, docs, strict=True):
        view.__doc__ = doc
        view.__name__ = f"{view.__name__}{key}"
    create_body, update_body = bodies
    return [
        ApiRoute(path, list_, "GET", Op(answers={key: Field(list, items=Field(dict, shape=item))})),
        ApiRoute(path, create_, "POST", Op(body=create_body, status=201, answers=item)),
        ApiRoute(f"{path}/{{item_id}}", update_, "PUT", Op(body=update_body, answers=item)),
        ApiRoute(f"{path}/{{item_id}}", delete_, "DELETE", Op(answers=_DELETED)),
    ]
