"""SMS as a feature of the hub (chatserver.features): what it adds, in one place.

REST only (no socket message types): the module's routes and the providers' delivery
report callbacks; the ``sms.*`` events; the dispatcher as a worker beside a serving node
(or ``chatserver sms-worker``); the SMS entries of a record's timeline; its health and its
metrics; its part of the demo.
"""

from __future__ import annotations

from pathlib import Path

from chatserver.actions.context import Services
from chatserver.features import Feature
from sms import demo, events, metrics, settings, timeline
from sms.actions import lifecycle
from sms.api import reports, rest
from sms.config import SmsConfig
from sms.worker import DispatcherSlot, dispatch

__all__ = ["FEATURE"]


def _setup(svc: Services) -> None:
    slot = DispatcherSlot()
    svc.provide(slot)
    svc.health_details["sms_dispatcher"] = slot.health
    svc.metrics_scrapes["sms_outbox"] = metrics.scrape
    svc.timeline_details.update(timeline.DETAILS)


FEATURE = Feature(
    name="sms",
    config=SmsConfig,
    settings=settings.SETTINGS,
    routes=[*reports.routes, *rest.routes],
    events=events.EVENTS,
    control={lifecycle.WAKE: "the SMS dispatcher has work now (from any process, over the bus)"},
    setup=_setup,
    workers=(dispatch,),
    demo=demo.seed,
    # The module's tables and the embedded gateway's log; both branches (sms, sms_gateway)
    # are in sms/migrations.
    models=("sms.models", "sms.gateways.models"),
    migrations=Path(__file__).parent / "migrations",
)
