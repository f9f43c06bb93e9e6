"""What an e-mail address must look like, apart from sending mail (chatserver.mail), so that
pure rules (live chat's pre-chat form) can check one without importing the database."""

from __future__ import annotations

import re

from chatserver.errors import BadRequest

__all__ = ["check_address"]

_ADDRESS = re.compile(r"[^@\s<>,;]{1,64}@[^@\s<>,;]+\.[^@\s<>,;]{2,}")


def check_address(address: str, field: str = "email") -> str:
    """One address, trimmed; a clear 400 naming ``field`` otherwise (never a list, never
    header syntax: what reaches the To header is one plain address)."""
    address = address.strip()
    if len(address) > 254 or not _ADDRESS.fullmatch(address):
        raise BadRequest(f"{field}: an e-mail address such as jan@example.nl", code="invalid_value", field=field)
    return address
