"""TURN credentials in coturn's REST form (``use-auth-secret``), and the ICE servers list.

coturn accepts a username ``<expiry unix time>:<name>`` whose password is
``base64(HMAC-SHA1(secret, username))``: the server hands them out without talking to
coturn, and they stop working at the expiry. They go only to a room's members, in the
ack of their ``video.join``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

__all__ = ["ice_servers", "turn_credentials"]


def turn_credentials(secret: str, name: str, now: float, ttl_seconds: int) -> tuple[str, str]:
    """(username, password) valid until ``now + ttl_seconds``."""
    username = f"{int(now) + ttl_seconds}:{name}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(stun_urls: tuple[str, ...], turn_urls: tuple[str, ...], turn_secret: str, *, name: str,
                now: float, ttl_seconds: int = 3600) -> list[dict[str, Any]]:
    """What ``RTCPeerConnection({iceServers})`` takes: STUN as is, TURN with fresh credentials."""
    servers: list[dict[str, Any]] = []
    if stun_urls:
        servers.append({"urls": list(stun_urls)})
    if turn_urls and turn_secret:
        username, credential = turn_credentials(turn_secret, name, now, ttl_seconds)
        servers.append({"urls": list(turn_urls), "username": username, "credential": credential})
    return servers
