"""Delivery report callbacks from SMS providers: ``/api/sms/reports/spryng``.

The provider is configured with a callback URL that carries our secret
(``...?secret=<CHATSERVER_SMS_REPORT_SECRET>``); a call without it is refused and an
empty secret refuses every call. Applying a report is idempotent (a provider that
calls twice changes nothing the second time). A reference we do not know is answered
404 with the same body whatever the reason (another tenant's, made up, deleted), so
the route tells nothing about whose messages exist.
"""

from __future__ import annotations

import hmac
import json
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chatserver.api._common import services
from chatserver.api.contract import ApiRoute, Guard, Op
from chatserver.errors import BadRequest, Forbidden, NotFound
from chatserver.protocol.schema import Field
from sms.actions import outbox
from sms.config import SmsConfig
from sms.gateways.base import ReportError
from sms.gateways.spryng import parse_report

__all__ = ["routes"]


async def _posted(request: Request) -> dict[str, str]:
    """A POSTed report's fields: form-encoded (as providers post) or a JSON object."""
    raw = await request.body()
    if len(raw) > 64 * 1024:
        raise BadRequest("a delivery report is at most 64 KiB", code="too_large")
    if "json" in request.headers.get("content-type", ""):
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            raise BadRequest("body is not valid JSON", code="invalid_json") from None
        if not isinstance(data, dict):
            raise BadRequest("body must be a JSON object", code="invalid_json")
        return {str(k): str(v) for k, v in data.items() if v is not None}
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def _report_secret(request: Request) -> None:
    """An SMS provider's callback carries our secret in its URL (``?secret=``); a call
    without it is refused, and an empty secret configured refuses every call."""
    expected = services(request).config.section(SmsConfig).report_secret
    given = request.query_params.get("secret", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden("this callback URL is not valid", code="bad_report_secret")


# The route's security: the input layer checks it before anything else (chatserver.api.contract).
REPORT_SECRET = Guard("report_secret", {"type": "apiKey", "in": "query", "name": "secret",
                                        "description": "The secret in the callback URL given to the SMS provider"},
                      _report_secret)


async def spryng_report(request: Request) -> Response:
    """Spryng delivery report callback (GET or POST; REFERENCE, STATUS; secret in the URL)."""
    _report_secret(request)  # the input layer checked it already (the route's auth); cheap, and kept here
    params = {k: v for k, v in request.query_params.items() if k != "secret"}
    if request.method == "POST":
        params.update(await _posted(request))
    try:
        report = parse_report(params)
    except ReportError as exc:
        raise BadRequest(str(exc), code="invalid_report") from None
    if not await outbox.apply_report(services(request), report):
        raise NotFound("no such message", code="not_found")
    return JSONResponse({"ok": True})


# The provider's fields arrive as query parameters or a form (``_posted``), not as a JSON
# object; the secret is the route's security (REPORT_SECRET).
_REPORT = Op(auth=REPORT_SECRET, query={"REFERENCE": Field(str, max_length=200), "STATUS": Field(str, max_length=40)},
             answers={"ok": Field(bool)}, also=(413,))

routes = [
    ApiRoute("/api/sms/reports/spryng", spryng_report, "GET", _REPORT),
    ApiRoute("/api/sms/reports/spryng", spryng_report, "POST", _REPORT),
]
