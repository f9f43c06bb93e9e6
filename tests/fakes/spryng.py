"""A local Spryng: a real HTTP server on a free loopback port speaking Spryng's REST API.

It does what the documentation says Spryng does, and what the tests need to see:

* ``POST /v1/messages``: bearer token checked (401), JSON fields validated (422 with
  ``{"message", "errors"}``: originator, recipients as MSISDNs, body, encoding, route,
  reference, scheduled_at); answers 200 with the message and its ``id``;
* ``GET /v1/balance``: ``{"amount": ...}``, one credit less per recipient sent;
* ``GET /v1/messages/{id}`` and ``GET /v1/messages?filters[reference]=...`` (as ``data``):
  the message with its delivery ``status`` once Spryng knows it (``10``/``20`` and
  ``reason_code``); :meth:`FakeSpryng.settle` sets it without a report reaching us;
* every request is recorded (:attr:`FakeSpryng.requests`), so a test asserts exactly
  what arrived; :meth:`FakeSpryng.fail_next` makes the next requests answer 503 (or
  any status) as a busy Spryng would;
* delivery reports: when ``report_url`` is set, each accepted message is reported
  there as Spryng does (HTTP GET with ``REFERENCE`` and ``STATUS``), after
  ``report_delay`` seconds; :meth:`FakeSpryng.report` sends one by hand. Reports come
  as words (``STATUS=Delivered``, the older platform) or, with ``report_format="numbers"``,
  as the REST platform sends them: ``STATUS=10`` (delivered) or ``20`` (not delivered)
  with ``REASONCODE`` (``report_reason_code``);
* :meth:`FakeSpryng.hold_after`: past N accepted messages Spryng takes each message
  but answers nobody and reports nothing until :meth:`release`: what a process
  killed mid-call leaves behind; ``auto_report=False`` keeps every report back until
  :meth:`send_reports`.

It runs in its own thread with its own event loop, so a test's event loop and a
worker subprocess can both talk to it.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_ORIGINATOR = re.compile(r"^(?:[A-Za-z0-9]{1,11}|[0-9]{1,14})$")
_MSISDN = re.compile(r"^[1-9][0-9]{7,14}$")
# The REST platform's STATUS for the older platform's words.
_NUMERIC = {"Delivered": "10", "Not Delivered": "20"}


@dataclass
class Recorded:
    method: str
    path: str
    authorization: str
    json: Any
    status: int
    at: float = field(default_factory=time.monotonic)


class FakeSpryng:
    def __init__(
        self, token: str = "spryng-test-token", *, report_url: str | None = None, report_status: str = "Delivered",
        report_delay: float = 0.0, balance: float = 1000.0, response_delay: float = 0.0,
        auto_report: bool = True, report_format: str = "words", report_reason_code: str = "0",
    ) -> None:
        assert report_format in ("words", "numbers")
        self.report_format = report_format
        self.report_reason_code = report_reason_code
        self.token = token
        self.report_url = report_url
        self.report_status = report_status
        self.report_delay = report_delay
        self.auto_report = auto_report
        self.response_delay = response_delay
        self.balance = balance
        self.requests: list[Recorded] = []
        self.messages: list[dict[str, Any]] = []
        self.reports_sent: list[dict[str, str]] = []
        self._failures: list[int] = []
        self._hold_after: int | None = None
        self._held: list[dict[str, Any]] = []
        self._unhold: asyncio.Event | None = None
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- what tests look at --------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def accepted(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.messages)

    def submits_by_reference(self) -> Counter[str]:
        """How many accepted messages carried each reference (exactly-once means all 1)."""
        return Counter(m["reference"] for m in self.accepted())

    def message_requests(self) -> list[Recorded]:
        return [r for r in list(self.requests) if r.method == "POST" and r.path == "/v1/messages"]

    def fail_next(self, count: int, status: int = 503) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def hold_after(self, accepted: int) -> None:
        """Past ``accepted`` messages, take each but keep its answer and its report back."""
        self._hold_after = accepted

    def held(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._held)

    def release(self) -> None:
        """Answer the held requests (their callers may be gone) and stop holding new ones."""
        assert self._loop is not None and self._unhold is not None
        self._hold_after = None
        self._loop.call_soon_threadsafe(self._unhold.set)

    def send_reports(self, messages: list[dict[str, Any]] | None = None, *, concurrency: int = 8) -> list[int]:
        """Report ``messages`` (default: every accepted one) now, a few at a time; the HTTP statuses."""
        assert self._loop is not None
        todo = self.accepted() if messages is None else messages

        async def all_of() -> list[int]:
            sem = asyncio.Semaphore(concurrency)

            async def one(m: dict[str, Any]) -> int:
                async with sem:
                    return await self._send_report(m["reference"], self.report_status, m["id"])

            return list(await asyncio.gather(*(one(m) for m in todo)))

        return asyncio.run_coroutine_threadsafe(all_of(), self._loop).result(300)

    # -- life cycle --------------------------------------------------------------------

    def start(self) -> FakeSpryng:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        app = Starlette(routes=[
            Route("/v1/messages", self._create, methods=["POST"]),
            Route("/v1/messages", self._index, methods=["GET"]),
            Route("/v1/messages/{id}", self._show, methods=["GET"]),
            Route("/v1/balance", self._balance, methods=["GET"]),
        ])
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._reporter = httpx.AsyncClient(timeout=10)
            self._unhold = asyncio.Event()
            ready.set()
            assert self._server is not None
            self._loop.run_until_complete(self._server.serve(sockets=[sock]))
            self._loop.run_until_complete(self._reporter.aclose())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="fake-spryng", daemon=True)
        self._thread.start()
        ready.wait(10)
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake Spryng did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> FakeSpryng:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the API -------------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization", "") == f"Bearer {self.token}"

    def _record(self, request: Request, body: Any, status: int) -> None:
        self.requests.append(Recorded(request.method, request.url.path, request.headers.get("authorization", ""),
                                      body, status))

    async def _create(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if self.response_delay:
            await asyncio.sleep(self.response_delay)
        if not self._authorised(request):
            self._record(request, body, 401)
            return JSONResponse({"message": "Unauthenticated."}, status_code=401)
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            self._record(request, body, failure)
            return JSONResponse({"message": "Service temporarily unavailable"}, status_code=failure)
        errors = _validate(body)
        if errors:
            self._record(request, body, 422)
            return JSONResponse({"message": "The given data was invalid.", "errors": errors}, status_code=422)
        now = datetime.now(UTC).isoformat()
        message = {
            "id": str(uuid.uuid4()), "encoding": body["encoding"], "originator": body["originator"],
            "body": body["body"], "reference": body.get("reference"), "recipients": body["recipients"],
            "route": body["route"], "credits": len(body["recipients"]), "scheduled_at": body.get("scheduled_at"),
            "canceled_at": None, "created_at": now, "updated_at": now, "links": {},
            # Its delivery status as the lookup shows it: set when Spryng learns it (a report).
            "status": None, "reason_code": None,
        }
        with self._lock:
            self.messages.append(message)
            self.balance -= len(body["recipients"])
            holding = self._hold_after is not None and len(self.messages) > self._hold_after
            if holding:
                self._held.append(message)
        self._record(request, body, 200)
        if holding:
            assert self._unhold is not None
            await self._unhold.wait()
            return JSONResponse(message)
        if self.auto_report and self.report_url and message["reference"]:
            asyncio.get_running_loop().create_task(self._auto_report(message["reference"], message["id"]))
        return JSONResponse(message)

    async def _show(self, request: Request) -> Response:
        self._record(request, None, 200)
        if not self._authorised(request):
            return JSONResponse({"message": "Unauthenticated."}, status_code=401)
        for m in self.accepted():
            if m["id"] == request.path_params["id"]:
                return JSONResponse(m)
        return JSONResponse({"message": "Not found"}, status_code=404)

    async def _index(self, request: Request) -> Response:
        """The message list, filtered by ``filters[reference]`` when given (paginated as ``data``)."""
        self._record(request, dict(request.query_params), 200)
        if not self._authorised(request):
            return JSONResponse({"message": "Unauthenticated."}, status_code=401)
        wanted = request.query_params.get("filters[reference]")
        found = [m for m in self.accepted() if wanted is None or m["reference"] == wanted]
        return JSONResponse({"data": found, "total": len(found)})

    def settle(self, reference: str, status: str = "Delivered", reason_code: str | None = None) -> None:
        """Spryng learns a message's fate but its report never reaches us (the lookup shows it)."""
        with self._lock:
            for m in self.messages:
                if m["reference"] == reference:
                    m["status"], m["reason_code"] = _NUMERIC.get(status, status), reason_code

    async def _balance(self, request: Request) -> Response:
        self._record(request, None, 200)
        if not self._authorised(request):
            return JSONResponse({"message": "Unauthenticated."}, status_code=401)
        return JSONResponse({"amount": f"{self.balance:.2f}"})

    # -- delivery reports ------------------------------------------------------------------

    async def _auto_report(self, reference: str, message_id: str) -> None:
        await asyncio.sleep(self.report_delay)
        await self._send_report(reference, self.report_status, message_id)

    async def _send_report(self, reference: str, status: str, message_id: str | None = None,
                           **extra: str) -> int:
        assert self.report_url is not None
        if self.report_format == "numbers" and status in _NUMERIC:
            status = _NUMERIC[status]
            if status == "20":
                extra = {"REASONCODE": self.report_reason_code, **extra}
        params = {"REFERENCE": reference, "STATUS": status, **extra}
        self.settle(reference, status, extra.get("REASONCODE"))
        if message_id:
            params["ID"] = message_id
        for attempt in range(20):  # Spryng retries a callback that fails
            try:
                # Added to the configured URL's own query (which carries the secret).
                r = await self._reporter.get(httpx.URL(self.report_url).copy_merge_params(params))
                if r.status_code < 500:
                    with self._lock:
                        self.reports_sent.append({**params, "answer": str(r.status_code)})
                    return r.status_code
            except httpx.HTTPError:
                pass
            await asyncio.sleep(min(0.1 * 2**attempt, 2.0))
        return 0

    def report(self, reference: str, status: str = "Delivered", **extra: str) -> int:
        """Send one delivery report now (from the server's thread); returns the HTTP status."""
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(self._send_report(reference, status, **extra), self._loop)
        return future.result(30)

    async def areport(self, reference: str, status: str = "Delivered", **extra: str) -> int:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(
            self._send_report(reference, status, **extra), self._loop))  # type: ignore[arg-type]


def _validate(body: Any) -> dict[str, list[str]]:
    """Spryng's field rules, as its documentation states them."""
    if not isinstance(body, dict):
        return {"body": ["The request body must be a JSON object."]}
    errors: dict[str, list[str]] = {}

    def err(name: str, text: str) -> None:
        errors.setdefault(name, []).append(text)

    if body.get("encoding") not in ("plain", "unicode", "auto"):
        err("encoding", "The encoding must be plain, unicode or auto.")
    if not isinstance(body.get("body"), str) or not body["body"]:
        err("body", "The body field is required.")
    if not isinstance(body.get("route"), str) or not body["route"]:
        err("route", "The route field is required.")
    originator = body.get("originator")
    if not isinstance(originator, str) or not _ORIGINATOR.match(originator):
        err("originator", "The originator must be at most 11 letters and digits or 14 digits.")
    recipients = body.get("recipients")
    if not isinstance(recipients, list) or not recipients:
        err("recipients", "The recipients field is required.")
    elif not all(isinstance(r, str) and _MSISDN.match(r) for r in recipients):
        err("recipients", "Every recipient must be an MSISDN (country code and number, digits only).")
    reference = body.get("reference")
    if reference is not None and (not isinstance(reference, str) or not 1 <= len(reference) <= 255):
        err("reference", "The reference must be a string of at most 255 characters.")
    scheduled = body.get("scheduled_at")
    if scheduled is not None:
        try:
            datetime.fromisoformat(str(scheduled).replace("Z", "+00:00"))
        except ValueError:
            err("scheduled_at", "The scheduled_at must be an ISO 8601 date and time.")
    return errors
