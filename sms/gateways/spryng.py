"""Spryng (the seeds' provider) through its documented REST API, with httpx.

* ``POST {base}/messages`` with a bearer token and a JSON body: ``originator``,
  ``recipients`` (MSISDNs without "+"), ``body``, ``encoding`` (``plain`` for GSM
  03.38, ``unicode``), ``route``, ``reference`` (ours: reported back) and
  ``scheduled_at`` (ISO 8601) when given. The answer is the message with its ``id``.
* ``GET {base}/balance`` answers ``{"amount": ...}`` in credits.
* Delivery reports: Spryng calls the URL set in the account with ``REFERENCE`` and
  ``STATUS``, in one of two forms: words (the older platform: ``Delivered``, ``Not
  Delivered``: final; ``Buffered``: the handset is unreachable, Spryng keeps trying) or
  numbers (the REST platform: ``10`` delivered, ``20`` not delivered, with a numeric
  ``REASONCODE``). :func:`parse_report` reads both, case-blind, into the same states and
  the same reason text, and also takes ``ID``, ``REASON`` and ``TIMESTAMP`` when present.

How answers are classified (the dispatcher acts on it):

=====================================  ===========  ====================================
what happened                          outcome      why
=====================================  ===========  ====================================
2xx                                    accepted     the ``id`` is the provider id
401, 403, 400, 404, 422                permanent    the token or the fields are wrong
429, 5xx                               transient    Spryng answered and did not take it
connection refused / connect timeout   transient    the request never left
read timeout, connection dropped       ambiguous    it may have been taken: never resend
=====================================  ===========  ====================================
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from sms.gateways.base import BaseGateway, DeliveryReport, DeliveryStatus, ReportError, Submit, SubmitResult

__all__ = ["DEFAULT_URL", "SpryngGateway", "parse_report"]

DEFAULT_URL = "https://rest.spryngsms.com/v1"
# Spryng limits an API key to 1200 requests a minute.
DEFAULT_RATE = 20.0
_ENCODINGS = {"gsm7": "plain", "ucs2": "unicode"}
_STATUSES = {
    "delivered": DeliveryStatus.DELIVERED,
    "not delivered": DeliveryStatus.FAILED,
    "undelivered": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
    "expired": DeliveryStatus.FAILED,
    "rejected": DeliveryStatus.FAILED,
    "buffered": DeliveryStatus.BUFFERED,
    # The REST platform's numeric STATUS.
    "10": DeliveryStatus.DELIVERED,
    "20": DeliveryStatus.FAILED,
}
# REASONCODE as text. Only the code whose meaning is certain is named; any other is
# shown as its number, so the sender sees what Spryng said rather than a guess.
_REASONS = {"0": "unknown reason"}


class SpryngGateway(BaseGateway):
    name = "spryng"

    def __init__(
        self, base_url: str, token: str, *, route: str = "business", rate_per_second: float | None = None,
        timeout: float = 15.0, transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self.rate_per_second = rate_per_second or DEFAULT_RATE
        self.route = route
        self._http = httpx.AsyncClient(
            base_url=(base_url or DEFAULT_URL).rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=5.0), transport=transport,
        )

    def payload(self, submit: Submit) -> dict[str, Any]:
        """The JSON body of ``POST /messages`` for one recipient."""
        body: dict[str, Any] = {
            "encoding": _ENCODINGS.get(submit.encoding, "auto"),
            "body": submit.body,
            "route": self.route,
            "originator": submit.originator,
            "recipients": [submit.recipient.removeprefix("+")],
            "reference": submit.reference,
        }
        if submit.scheduled_at is not None:
            body["scheduled_at"] = submit.scheduled_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return body

    async def send(self, submit: Submit) -> SubmitResult:
        try:
            response = await self._http.post("/messages", json=self.payload(submit))
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return SubmitResult.transient(f"Spryng unreachable: {exc!r}")
        except httpx.TransportError as exc:
            return SubmitResult.ambiguous(f"no answer from Spryng: {exc!r}")
        status = response.status_code
        if 200 <= status < 300:
            try:
                provider_id = str(response.json().get("id") or "") or None
            except ValueError:
                provider_id = None
            return SubmitResult.accepted(provider_id)
        error = f"Spryng answered {status}: {_error_text(response)}"
        if status == 429 or status >= 500:
            return SubmitResult.transient(error)
        return SubmitResult.permanent(error)

    async def delivery_status(self, reference: str, provider_id: str | None) -> DeliveryReport | None:
        """Spryng's message lookup: ``GET /messages/{id}``, or by our reference
        (``GET /messages?filters[reference]=...``) when its id never came back. A message
        whose ``status`` is final there (as in a report: ``10``/``Delivered``, ``20``/...)
        becomes a report; anything else (not found, no status yet, an error) is None."""
        try:
            if provider_id:
                response = await self._http.get(f"/messages/{provider_id}")
                found = response.json() if response.status_code == 200 else None
            else:
                response = await self._http.get("/messages", params={"filters[reference]": reference})
                listed = response.json().get("data") if response.status_code == 200 else None
                found = next((m for m in listed or [] if isinstance(m, dict) and m.get("reference") == reference),
                             None)
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        if not isinstance(found, dict) or found.get("status") in (None, ""):
            return None
        params = {"REFERENCE": reference, "ID": str(found.get("id") or ""), "STATUS": str(found["status"])}
        if found.get("reason_code") is not None:
            params["REASONCODE"] = str(found["reason_code"])
        try:
            report = parse_report(params)
        except ReportError:
            return None
        return report if report.status.final else None

    async def balance(self) -> float | None:
        response = await self._http.get("/balance")
        response.raise_for_status()
        return float(response.json()["amount"])

    def parse_report(self, params: Mapping[str, str]) -> DeliveryReport:
        return parse_report(params)

    async def aclose(self) -> None:
        await self._http.aclose()


def _error_text(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    if not isinstance(data, dict):
        return str(data)[:300]
    text = str(data.get("message") or data.get("error") or data)
    errors = data.get("errors")
    if isinstance(errors, dict):  # 422: which fields, and why (the user sees this as the row's error)
        text += " " + " ".join(f"{field}: {'; '.join(map(str, why))}" if isinstance(why, list)
                               else f"{field}: {why}" for field, why in errors.items())
    return text[:300]


def parse_report(params: Mapping[str, str]) -> DeliveryReport:
    """A Spryng delivery report callback's parameters as a :class:`DeliveryReport`.

    Raises :class:`ReportError` (answered 400) when the status or both ids are missing.
    """
    p = {k.lower(): v for k, v in params.items()}
    reference = (p.get("reference") or "").strip() or None
    provider_id = (p.get("id") or "").strip() or None
    if reference is None and provider_id is None:
        raise ReportError("a delivery report needs REFERENCE (or ID)")
    raw_status = (p.get("status") or "").strip().lower()
    status = _STATUSES.get(raw_status)
    if status is None:
        raise ReportError(f"unknown delivery report STATUS {p.get('status', '')!r}")
    reason = (p.get("reason") or "").strip() or _reason_code(p.get("reasoncode"))
    if status is DeliveryStatus.FAILED and reason is None:
        reason = "not delivered"
    return DeliveryReport(reference=reference, status=status, reason=reason, at=_timestamp(p.get("timestamp")),
                          provider_id=provider_id)


def _reason_code(raw: str | None) -> str | None:
    code = (raw or "").strip()
    if not code:
        return None
    if not code.isdigit() or len(code) > 6:
        raise ReportError(f"REASONCODE {code!r} is not a reason code")
    code = str(int(code))
    return _REASONS.get(code, f"reason code {code}")


def _timestamp(raw: str | None) -> datetime | None:
    if not raw:
        return None
    raw = raw.strip()
    try:
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw), UTC)
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError) as exc:
        raise ReportError(f"TIMESTAMP {raw!r} is not a time") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)
