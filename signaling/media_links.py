"""Signed, short-lived links to a recording's file, for one colleague (VC-5).

A ``<video>`` element fetches its source itself, with Range requests while it plays and
seeks, and cannot send the app's bearer token. So a colleague allowed to see the record
is given a link that carries who it is for and until when, signed with the server's key:
``?user=<id>&expires=<unix seconds>&signature=<HMAC-SHA256>``. The server checks the
signature and the time, then checks the user again (still a colleague of the recording's
organisation), so a link is only as good as the rights behind it. Guests never get one.

Pure: no I/O, the time is given.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
from dataclasses import dataclass
from datetime import datetime

__all__ = ["LinkRefused", "MediaLinks", "SignedLink"]

log = logging.getLogger(__name__)


class LinkRefused(Exception):
    """The link's signature does not match, or its time is over: ``code`` says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SignedLink:
    url: str
    expires: int  # unix seconds


def _signature(key: bytes, recording_id: int, user_id: int, expires: int) -> str:
    # The purpose is part of what is signed: a signature made for one kind of link never
    # passes for another that may be signed with the same key later.
    message = f"recording-file:{recording_id}:{user_id}:{expires}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class MediaLinks:
    """Makes and checks the links; one per process (``Services.provide``)."""

    def __init__(self, secret: str, seconds: int, *, several_nodes: bool = False) -> None:
        if not secret and several_nodes:
            log.warning("CHATSERVER_SECRET_KEY is not set: a recording's link works only on the node that gave it")
        self._key = secret.encode() if secret else os.urandom(32)
        self.seconds = seconds

    def link(self, recording_id: int, user_id: int, now: datetime) -> SignedLink:
        expires = int(now.timestamp()) + self.seconds
        signature = _signature(self._key, recording_id, user_id, expires)
        url = (f"/api/video/recordings/{recording_id}/file"
               f"?user={user_id}&expires={expires}&signature={signature}")
        return SignedLink(url=url, expires=expires)

    def check(self, recording_id: int, user_id: int, expires: int, signature: str, now: datetime) -> None:
        """Raise :class:`LinkRefused` unless the link was made here for this recording and
        user and its time is not over (the signature first: an altered time fails it)."""
        wanted = _signature(self._key, recording_id, user_id, expires)
        if not hmac.compare_digest(wanted.encode(), signature.encode("utf-8", "replace")):
            raise LinkRefused("bad_signature", "this link to the recording is not valid: open the record again")
        if now.timestamp() >= expires:
            raise LinkRefused("link_expired", "this link to the recording has expired: open the record again")
