"""The signature on a webhook delivery: pure, shared by the sender and by receivers' tests.

``X-Chatserver-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``,
as Stripe signs its events: the timestamp inside the MAC lets a receiver refuse a replay
older than its window, and the body is signed byte for byte as sent.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["HEADER", "REPLAY_WINDOW_SECONDS", "header", "sign", "verify"]

HEADER = "X-Chatserver-Signature"
REPLAY_WINDOW_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(secret: str, value: str, body: bytes, now: float, window: int = REPLAY_WINDOW_SECONDS) -> bool:
    """Whether ``value`` (the header) signs ``body`` with ``secret`` within ``window`` seconds of ``now``."""
    parts = dict(p.split("=", 1) for p in value.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > window:
        return False
    return hmac.compare_digest(parts.get("v1", ""), sign(secret, timestamp, body))
