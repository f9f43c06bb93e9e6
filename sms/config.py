"""SMS's settings (docs/configuration.md, "SMS gateways"), read from its own variables.

A section of the core's config (``Feature.config``): ``svc.config.section(SmsConfig)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Self

__all__ = ["SmsConfig"]

GATEWAYS = ("embedded", "spryng", "smpp")
WORKERS = ("embedded", "off")
# How a variable's text becomes a field's value, by the field's default's type (else text).
_PARSE: dict[type, Callable[[str], object]] = {int: int, float: float}


@dataclass(frozen=True)
class SmsConfig:
    # Which gateway sends, and whether this hub runs the dispatcher itself or leaves it
    # to `chatserver sms-worker`.
    gateway: str = "embedded"  # embedded | spryng | smpp
    worker: str = "embedded"  # embedded | off
    # Submits per second; 0 takes the gateway's own default.
    rate_per_second: float = 0.0
    concurrency: int = 8
    # Seconds between looks at the outbox when nothing woke the dispatcher.
    poll_seconds: float = 1.0
    # A row left 'submitting' this long belongs to a dispatcher that died mid-call.
    stale_seconds: float = 120.0
    # An 'unknown' row (no answer from the provider) is looked up at the provider this
    # often, and fails as "no word from the provider" once it has been unknown this long.
    unknown_poll_seconds: float = 300.0
    unknown_expire_seconds: float = 48 * 3600.0
    # Delivery report callbacks must carry this secret in their URL; empty refuses them all.
    report_secret: str = ""
    # The embedded gateway reports 'delivered' this many seconds after a submit.
    embedded_report_seconds: float = 1.0
    spryng_url: str = "https://rest.spryngsms.com/v1"
    spryng_token: str = ""
    spryng_route: str = "business"
    smpp_host: str = "127.0.0.1"
    smpp_port: int = 2775
    smpp_system_id: str = ""
    smpp_password: str = ""
    smpp_system_type: str = ""
    # How a text longer than one SMS goes: "udh" (concatenated parts) or "payload" (message_payload TLV).
    smpp_long: str = "udh"

    def __post_init__(self) -> None:
        if self.gateway not in GATEWAYS:
            raise ValueError("CHATSERVER_SMS_GATEWAY must be embedded, spryng or smpp")
        if self.worker not in WORKERS:
            raise ValueError("CHATSERVER_SMS_WORKER must be embedded or off")

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Each field's variable: CHATSERVER_SMS_<FIELD>, the providers' CHATSERVER_SPRYNG_*
        and CHATSERVER_SMPP_* (docs/configuration.md lists them all; a test checks)."""
        names = {f.name: f.name.upper() for f in fields(cls)}
        return {field: f"CHATSERVER_{name}" if name.startswith(("SPRYNG_", "SMPP_")) else f"CHATSERVER_SMS_{name}"
                for field, name in names.items()}

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Self:
        """Each field from its variable; unset or empty keeps the default."""
        values: dict[str, object] = {}
        variables = cls.variables()
        for f in fields(cls):
            raw = env.get(variables[f.name])
            if raw:
                parse: Callable[[str], object] = _PARSE.get(type(f.default), str.strip)
                values[f.name] = parse(raw)
        return cls(**values)  # type: ignore[arg-type]
