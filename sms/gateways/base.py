"""What every SMS gateway offers the dispatcher, and the values that cross the seam.

The dispatcher (``sms/dispatcher.py``) hands a gateway one :class:`Submit` per
recipient and gets a :class:`SubmitResult` back:

* ``accepted``: the provider took it; ``provider_id`` is its id for the message.
* ``transient``: not taken, and certainly not sent (connection refused, 429, 5xx):
  the dispatcher retries later with backoff.
* ``permanent``: not taken and never will be (bad credentials, invalid fields): failed.
* ``ambiguous``: the request may have reached the provider but no answer came back
  (a read timeout, a dropped connection). Retrying could send the SMS twice, so the
  row becomes ``unknown`` and waits for a delivery report carrying its reference.

Delivery reports come back as :class:`DeliveryReport`. Gateways that are called back
over HTTP (Spryng) parse the request with :meth:`Gateway.parse_report`; gateways that
receive reports themselves (SMPP's deliver_sm, the embedded gateway) hand them to the
``on_report`` sink the dispatcher sets before :meth:`Gateway.start`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

__all__ = [
    "BaseGateway",
    "DeliveryReport",
    "DeliveryStatus",
    "Gateway",
    "Lookup",
    "Outcome",
    "ReportError",
    "ReportSink",
    "Submit",
    "SubmitResult",
]


@dataclass(frozen=True, slots=True)
class Submit:
    """One SMS to one recipient. ``reference`` is the idempotency key, reported back."""

    reference: str
    recipient: str  # E.164, with the leading "+"
    originator: str
    body: str
    encoding: str  # "gsm7" | "ucs2" (sms.rules.segments.Encoding values)
    scheduled_at: datetime | None = None


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class SubmitResult:
    outcome: Outcome
    provider_id: str | None = None
    error: str | None = None

    @classmethod
    def accepted(cls, provider_id: str | None) -> SubmitResult:
        return cls(Outcome.ACCEPTED, provider_id=provider_id)

    @classmethod
    def transient(cls, error: str) -> SubmitResult:
        return cls(Outcome.TRANSIENT, error=error)

    @classmethod
    def permanent(cls, error: str) -> SubmitResult:
        return cls(Outcome.PERMANENT, error=error)

    @classmethod
    def ambiguous(cls, error: str) -> SubmitResult:
        return cls(Outcome.AMBIGUOUS, error=error)


class Lookup(StrEnum):
    """What a gateway can say about a reference after an interruption."""

    SENT = "sent"  # it has the message: never send again
    NOT_SENT = "not_sent"  # it certainly never got it: safe to send
    CANNOT_TELL = "cannot_tell"  # no way to ask: the row becomes "unknown"


class DeliveryStatus(StrEnum):
    DELIVERED = "delivered"  # final
    FAILED = "failed"  # final: undeliverable, expired, rejected
    BUFFERED = "buffered"  # interim: the handset is off or out of reach; the provider retries

    @property
    def final(self) -> bool:
        return self is not DeliveryStatus.BUFFERED


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A provider's word on one message. ``reference`` is ours; SMPP knows only its own id."""

    reference: str | None
    status: DeliveryStatus
    reason: str | None = None
    at: datetime | None = None
    provider_id: str | None = None


class ReportError(ValueError):
    """A delivery report that cannot be understood; the callback answers 400 with this text."""


ReportSink = Callable[[DeliveryReport], Awaitable[None]]


@runtime_checkable
class Gateway(Protocol):
    name: str
    # Submits per second the provider allows this account; the dispatcher keeps under it.
    rate_per_second: float
    # Set by the dispatcher before start(); gateways that receive reports themselves call it.
    on_report: ReportSink | None

    async def start(self) -> None: ...

    # Set by the dispatcher: awaited before each submit after an SMS's first (SMPP's parts),
    # so the rate limit counts every submit the provider counts.
    pace: Callable[[], Awaitable[None]]

    async def send(self, submit: Submit) -> SubmitResult: ...

    async def lookup(self, reference: str) -> Lookup: ...

    async def delivery_status(self, reference: str, provider_id: str | None) -> DeliveryReport | None:
        """The provider's word on a message it may have, asked now; None when it cannot tell."""
        ...

    async def balance(self) -> float | None: ...

    def parse_report(self, params: Mapping[str, str]) -> DeliveryReport: ...

    async def aclose(self) -> None: ...


async def _no_pace() -> None:
    return None


class BaseGateway:
    """Defaults for the optional parts of :class:`Gateway`."""

    name = "base"
    rate_per_second = 10.0

    def __init__(self) -> None:
        self.on_report: ReportSink | None = None
        self.pace: Callable[[], Awaitable[None]] = _no_pace

    async def start(self) -> None:
        return None

    async def lookup(self, reference: str) -> Lookup:
        return Lookup.CANNOT_TELL

    async def delivery_status(self, reference: str, provider_id: str | None) -> DeliveryReport | None:
        return None  # no lookup: only a delivery report (or the expiry) settles the row

    async def balance(self) -> float | None:
        return None

    def parse_report(self, params: Mapping[str, str]) -> DeliveryReport:
        raise ReportError(f"the {self.name} gateway is not called back over HTTP")

    async def aclose(self) -> None:
        return None

    async def _report(self, report: DeliveryReport) -> None:
        if self.on_report is not None:
            await self.on_report(report)
