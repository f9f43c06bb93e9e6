"""Webhooks as a feature of the hub (chatserver.features): its routes and its delivery worker."""

from __future__ import annotations

from pathlib import Path

from chatserver.features import Feature
from chatserver.webhooks import api, delivery

__all__ = ["FEATURE"]

FEATURE = Feature(name="webhooks", routes=api.routes, workers=(delivery.delivery_loop,),
                  models=("chatserver.webhooks.models",), migrations=Path(__file__).parent / "migrations")
