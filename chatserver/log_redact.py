"""Secrets out of the logs: values of query parameters such as ``token`` are redacted.

uvicorn logs every request's path with its query string (the access log) and every
WebSocket's (``"WebSocket /ws?token=..." [accepted]``), and a browser can only give its
token to ``/ws`` in the query string. :func:`install` puts :class:`RedactSecrets` on the
loggers uvicorn writes to, so no line they write carries a token, a delivery report's
secret or a password, whatever the log level or format.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

__all__ = ["DropQueries", "RedactSecrets", "install", "redact"]

# Names compared lowercased after percent-decoding (``%74oken`` is ``token`` to the app too).
SECRET_NAMES = frozenset({"token", "access_token", "ticket", "secret", "password", "key", "api_key", "auth",
                          "authorization", "signature"})
LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn")
# HTTP clients log every request's URL at INFO; the URLs are others' (a webhook receiver's,
# an SMS provider's), whose query may hold a key under any name: the whole query goes.
CLIENT_LOGGERS = ("httpx", "httpcore")
_QUERY = re.compile(r"\?[^\s\"'#]*")
_PAIR = re.compile(r"([?&;])([^=&;\s\"'?#]+)=([^&;\s\"'#]*)")
# A video room's link token is its path: whoever has the link may knock as a guest.
_ROOM_PATH = re.compile(r"(/v/|/api/video/rooms/)([^/?#\s\"']+)")


def redact(text: str) -> str:
    """The text with the values of secret query parameters, and room link tokens in paths,
    replaced by ``[redacted]``."""
    if "/v" in text:
        text = _ROOM_PATH.sub(r"\1[redacted]", text)
    if "=" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        if unquote_plus(m.group(2)).strip().lower() in SECRET_NAMES:
            return f"{m.group(1)}{m.group(2)}=[redacted]"
        return m.group(0)

    return _PAIR.sub(one, text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


class DropQueries(logging.Filter):
    """Every query string out of an HTTP client's lines (its URL arguments are objects)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(a if isinstance(a, int | float) else _QUERY.sub("?[redacted]", str(a))
                                for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("?[redacted]", record.msg) if not record.args else record.msg
        return True


def install() -> None:
    """Put the filters on uvicorn's and the HTTP client's loggers (once). Filters on a
    logger outlive uvicorn's logging setup, which replaces handlers only."""
    for names, kind in ((LOGGERS, RedactSecrets), (CLIENT_LOGGERS, DropQueries)):
        for name in names:
            logger = logging.getLogger(name)
            if not any(isinstance(f, kind) for f in logger.filters):
                logger.addFilter(kind())
