"""SMS gateways: the embedded default, Spryng's REST API, and SMPP to an own SMSC.

:func:`build_gateway` makes the one the configuration names (``CHATSERVER_SMS_GATEWAY``);
the dispatcher calls :meth:`~sms.gateways.base.Gateway.start` and ``aclose``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sms.gateways.base import (
    DeliveryReport,
    DeliveryStatus,
    Gateway,
    Lookup,
    Outcome,
    ReportError,
    Submit,
    SubmitResult,
)

if TYPE_CHECKING:
    from chatserver.actions.context import Services
    from sms.config import SmsConfig

__all__ = [
    "DeliveryReport",
    "DeliveryStatus",
    "Gateway",
    "Lookup",
    "Outcome",
    "ReportError",
    "Submit",
    "SubmitResult",
    "build_gateway",
]


def build_gateway(config: SmsConfig, services: Services) -> Gateway:
    """The configured gateway, not yet started. Imports only what that gateway needs."""
    rate = config.rate_per_second
    if config.gateway == "spryng":
        from sms.gateways.spryng import SpryngGateway

        return SpryngGateway(
            config.spryng_url, config.spryng_token, route=config.spryng_route, rate_per_second=rate or None,
        )
    if config.gateway == "smpp":
        from sms.gateways.smpp import SmppGateway

        return SmppGateway(
            config.smpp_host, config.smpp_port, system_id=config.smpp_system_id, password=config.smpp_password,
            system_type=config.smpp_system_type, long_messages=config.smpp_long, rate_per_second=rate or None,
        )
    from sms.gateways.embedded import EmbeddedGateway

    return EmbeddedGateway(
        services, rate_per_second=rate or 50.0, report_seconds=config.embedded_report_seconds,
    )
