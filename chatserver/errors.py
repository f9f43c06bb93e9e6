"""Every error a caller of chatserver can see, as one tree.

    ChatError                   code, message, HTTP status; sent as an ``error`` frame or JSON body
    ├── BadRequest              400  malformed input: wrong type, missing field, invalid value
    │   ├── ProtocolError       400  a frame that cannot be decoded or has no valid envelope
    │   └── TooLarge            413  a message or frame over the limit
    ├── Unauthorized            401  no or invalid token, wrong password
    │   └── TicketRefused       401  a /ws ticket unknown, used or expired (close 4002: fetch another)
    ├── Forbidden               403  authenticated, but not allowed (role, setting, status)
    ├── NotFound                404  unknown id, or an id of another tenant or user
    ├── Conflict                409  the state does not allow it (blocked, already contacts)
    └── RateLimited             429  too many frames or requests

Another tenant's ids are reported as NotFound, never Forbidden, so ids do not leak.
"""

from __future__ import annotations

from typing import Any


class ChatError(Exception):
    status = 500
    code = "internal"
    # The id of the client frame this error answers, when known.
    msg_id: str | None = None

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class BadRequest(ChatError):
    status = 400
    code = "bad_request"


class ProtocolError(BadRequest):
    code = "protocol_error"


class TooLarge(BadRequest):
    status = 413
    code = "too_large"


class Unauthorized(ChatError):
    status = 401
    code = "unauthorized"


class TicketRefused(Unauthorized):
    """A /ws ticket that opens nothing; the token it was minted for may still be good, so
    the client fetches a new ticket rather than logging in again."""

    code = "ticket_refused"


class Forbidden(ChatError):
    status = 403
    code = "forbidden"


class NotFound(ChatError):
    status = 404
    code = "not_found"


class Conflict(ChatError):
    status = 409
    code = "conflict"


class RateLimited(ChatError):
    status = 429
    code = "rate_limited"


__all__ = [
    "BadRequest",
    "ChatError",
    "Conflict",
    "Forbidden",
    "NotFound",
    "ProtocolError",
    "RateLimited",
    "TicketRefused",
    "TooLarge",
    "Unauthorized",
]
