"""Webhooks as a feature of the hub (chatserver.features): its routes and its delivery worker."""

from __future__ import annotations

from chatserver.features import Feature
from chatserver.webhooks import api, delivery

__all__ = ["FEATURE"]

FEATURE = Feature(name="webhooks", routes=api.routes, workers=(delivery.delivery_loop,))
