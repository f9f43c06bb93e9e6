"""Live chat as a feature of the hub (chatserver.features): what it adds, in one place.

Its REST routes (operators', visitors' and the widget's), the ``livechat.*`` socket
messages of operators and of website visitors (role ``visitor``, whose connections have
nothing else), the ``livechat.*`` events, the hooks by which the core tells it of
connections and settings (how many operators visitors can reach) and asks it whether a
visitor's socket may come from their site's origin, the retention of resolved
conversations as a worker, and its part of the demo.
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Route

from chatserver.actions.context import Services
from chatserver.features import Feature
from livechat import demo, demo_site, events, handlers, settings
from livechat.actions import files, overview, privacy, visits
from livechat.api import rest, widget, widget_preview

__all__ = ["FEATURE"]

# Settings whose change may change how many operators visitors can reach (LC-3).
_REACH = ("livechat.enabled", "livechat.reachable")


async def _setting_changed(svc: Services, tenant_id: int, name: str) -> None:
    if name in _REACH:
        # Visitors' widgets and the consoles show how many operators can be reached.
        await overview.announce(svc, tenant_id)


def _setup(svc: Services) -> None:
    # Whether an operator is reachable follows their first and last connection (LC-3).
    svc.on_connections_changed.append(overview.connections_changed)
    svc.on_user_setting_changed.append(_setting_changed)
    svc.origin_checks["visitor"] = visits.origin_allowed_for_visitor
    # Who may see a file sent in a live chat (chatserver.files.access).
    files.register(svc)


FEATURE = Feature(
    name="livechat",
    # /widget.js and /widget/<hash>.js; /console/preview (the Sites screen's live preview); /api/livechat/...
    routes=[*widget.routes, *widget_preview.routes, *rest.routes],
    messages=handlers.MESSAGES,
    events=events.EVENTS,
    handlers=handlers.HANDLERS,
    role_handlers={"visitor": handlers.VISITOR_HANDLERS},
    settings=settings.SETTINGS,
    setup=_setup,
    workers=(privacy.retention_loop,),
    demo=demo.seed,
    demo_routes=[Route("/demo/site", demo_site.page)],
    models=("livechat.models",),
    migrations=Path(__file__).parent / "migrations",
)
