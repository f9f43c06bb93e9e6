"""Video as a feature of the hub (chatserver.features): what it adds, in one place."""

from __future__ import annotations

from pathlib import Path

from chatserver.actions.context import Services
from chatserver.features import Feature
from signaling import actions, api, demo, events, handlers, in_call, settings, timeline
from signaling.config import VideoConfig
from signaling.demo_recorder import run_demo_recorder

__all__ = ["FEATURE"]


def _setup(svc: Services) -> None:
    svc.provide(actions.SignalLimits(svc))
    svc.on_connection_closed.append(in_call.connection_closed)
    svc.timeline_details.update(timeline.DETAILS)


FEATURE = Feature(
    name="video",
    config=VideoConfig,
    settings=settings.SETTINGS,
    routes=api.routes,
    messages=handlers.MESSAGES,
    events=events.EVENTS,
    handlers=handlers.HANDLERS,
    role_handlers={actions.GUEST: handlers.HANDLERS},
    setup=_setup,
    workers=(actions.ring_sweeper, run_demo_recorder),
    demo=demo.seed,
    models=("signaling.models",),
    migrations=Path(__file__).parent / "migrations",
)
