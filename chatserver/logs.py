"""Log lines an operator can follow: a request id, a connection id, JSON when asked, no secrets.

``CHATSERVER_LOG_FORMAT=json`` writes one JSON object a line (``time``, ``level``,
``logger``, ``message`` and, where known, ``request_id``, ``conn_id``, ``user_id``,
``exc``); ``text`` (the default) writes the usual lines with the same ids appended.

The ids come from context variables, so every line logged while a request or a socket
is served carries them without being passed along: :class:`RequestId` (ASGI middleware)
gives each HTTP request an id, taken from its ``X-Request-ID`` header when that is a
plain short token, else new, and returns it in the response's ``X-Request-ID``; the
WebSocket endpoint calls :func:`bind_connection` once the connection has its id.
A task started while serving one of them inherits its ids (asyncio copies the
context): a worker shared by many (a batcher) calls :func:`unbind` first.

Secrets: every line that reaches the handler :func:`configure` installs passes through
:func:`chatserver.log_redact.redact` (the message, its arguments and any traceback),
whatever logger wrote it, on top of the filters ``log_redact.install`` puts on
uvicorn's loggers.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any, TextIO

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chatserver.log_redact import RedactSecrets, redact

__all__ = ["FORMATS", "JsonFormatter", "RequestId", "bind_connection", "configure", "conn_id", "request_id",
           "unbind"]

FORMATS = ("text", "json")
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
conn_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("conn_id", default=None)
user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
_IDS = (("request_id", request_id), ("conn_id", conn_id), ("user_id", user_id))
# A caller's own id is kept only when it cannot smuggle anything into a log line.
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def bind_connection(connection: str, user: int) -> None:
    """Every line logged from now on in this task (and tasks it starts) names the connection."""
    conn_id.set(connection)
    user_id.set(user)


def unbind() -> None:
    """This task serves many: its lines name none of the requests or connections it was started from."""
    for _, var in _IDS:
        var.set(None)


class _ContextIds(logging.Filter):
    """Puts the ids of the context on the record; ids given as ``extra`` win."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in _IDS:
            if getattr(record, name, None) is None:
                setattr(record, name, var.get())
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name, _ in _IDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class _TextFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        # The ids end the line itself, before any traceback.
        text = super().formatMessage(record)
        ids = " ".join(f"{name}={value}" for name, _ in _IDS if (value := getattr(record, name, None)) is not None)
        return f"{text} [{ids}]" if ids else text

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure(fmt: str = "text", level: str | int = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """One handler on the root logger (to ``stream``, standard error by default), for every
    logger of the process: uvicorn's too when it is run with ``log_config=None``."""
    if fmt not in FORMATS:
        raise ValueError(f"CHATSERVER_LOG_FORMAT must be one of {', '.join(FORMATS)}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         _TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_ContextIds())
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    return handler


class RequestId:
    """ASGI middleware: an id for each HTTP request, in its log lines and its ``X-Request-ID``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._request(scope, receive, send)
        else:  # a WebSocket is named by its connection id (bind_connection)
            await self.app(scope, receive, send)

    async def _request(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = Headers(scope=scope).get("x-request-id", "")
        rid = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
