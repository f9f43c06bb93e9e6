"""What a request says about itself, believed only from a trusted reverse proxy.

``CHATSERVER_TRUSTED_PROXIES`` lists the proxies' addresses or networks. Only when the
peer is one of them are its ``X-Forwarded-*`` headers read; anyone else could write them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

__all__ = ["in_networks", "is_secure"]


def in_networks(addr: str, networks: tuple[str, ...]) -> bool:
    """Whether ``addr`` is one of ``networks`` (addresses or CIDR networks; bad entries never match)."""
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    for net in networks:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


def is_secure(scheme: str, headers: Mapping[str, str], peer: str, trusted: tuple[str, ...]) -> bool:
    """Whether the client reached us over TLS: ``https``/``wss`` here, or a trusted proxy says so."""
    if scheme in ("https", "wss"):
        return True
    if trusted and in_networks(peer, trusted):
        forwarded = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        return forwarded in ("https", "wss")
    return False
