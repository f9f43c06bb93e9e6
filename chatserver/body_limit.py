"""ASGI middleware: a request body over the limit is refused (413) without being read.

A body declared too large by ``Content-Length`` is answered at once, before a byte of it
is read. A chunked body (no length) is counted as it arrives: the chunk that crosses the
limit raises :class:`~chatserver.errors.TooLarge` out of the view's ``request.body()``,
which answers 413. Nothing more is read either way.

The answer carries ``Connection: close``, else uvicorn would keep the connection and read
(and drop) the rest of the body. But a socket closed with unread data answers with a
reset, and a reset can make the client's kernel drop the 413 before the client read it.
So the connection is closed only :data:`LINGER_SECONDS` after the answer is written, while
nothing is read (uvicorn stops reading once 64 KiB wait): the client has its answer
and stops sending, or is cut off then.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chatserver.errors import TooLarge

__all__ = ["BodyLimit", "Refusal"]

LINGER_SECONDS = 1.0


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, linger: float = LINGER_SECONDS) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.linger = linger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send, self._error(f"{declared} bytes declared"))
            return
        seen = 0
        tripped = False

        async def limited() -> Message:
            nonlocal seen, tripped
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    tripped = True
                    raise self._error(f"over {seen} bytes sent")
            return message

        async def closing(message: Message) -> None:
            if not tripped:
                await send(message)
            elif message["type"] == "http.response.start":
                await send({**message, "headers": [*message.get("headers", []), (b"connection", b"close")]})
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                await self._finish(send, message.get("body", b""))
            else:
                await send(message)

        await self.app(scope, limited, closing)

    def _error(self, what: str) -> TooLarge:
        return TooLarge(f"request body is over the limit of {self.max_bytes} bytes ({what})",
                        code="too_large", limit=self.max_bytes)

    async def _refuse(self, send: Send, exc: TooLarge) -> None:
        await Refusal(exc, self.linger).answer(send)

    async def _finish(self, send: Send, body: bytes) -> None:
        await _linger_then_end(send, body, self.linger)


async def _linger_then_end(send: Send, body: bytes, linger: float) -> None:
    """Write the whole answer, wait, then end it (uvicorn closes the connection)."""
    await send({"type": "http.response.body", "body": body, "more_body": True})
    await asyncio.sleep(linger)
    await send({"type": "http.response.body", "body": b"", "more_body": False})


class Refusal:
    """An ASGI answer to a request whose body is left unread (a view's own, smaller limit:
    a sent file's): the error with ``Connection: close``, the connection closed only after
    :data:`LINGER_SECONDS`, for the reason the module's docstring gives. ``headers``: more
    of them (CORS for the widget)."""

    def __init__(self, exc: TooLarge, linger: float = LINGER_SECONDS, headers: dict[str, str] | None = None) -> None:
        self.exc, self.linger, self.headers = exc, linger, headers or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.answer(send)

    async def answer(self, send: Send) -> None:
        body = json.dumps({"error": self.exc.to_dict()}).encode()
        extra = [(k.lower().encode(), v.encode()) for k, v in self.headers.items()]
        await send({"type": "http.response.start", "status": self.exc.status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close"), *extra]})
        await _linger_then_end(send, body, self.linger)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server's parser refuses a malformed length itself
    return None
