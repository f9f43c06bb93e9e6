"""Signed, short-lived links: one signer for every kind (a sent file's, a recording's).

An ``<img>``, a ``<video>`` and a download link fetch by themselves and cannot send a
bearer token. So whoever may see a thing asks for its link and gets a URL that carries who
it is for and until when, signed with the server's key: ``user=&expires=&signature=``
(:meth:`Link.query`). What is signed besides is the link's purpose (a file's link never
passes for a recording's), the organisation it was made in and what it opens (its
subject: a file and variant, a recording). Opening one checks the signature in constant
time, then the time; the caller then checks the user's right to the thing again, so a link
is only as good as the rights behind it.

Pure: no I/O, the time is given.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Link", "LinkRefused", "Purpose", "SignedLinks"]

log = logging.getLogger(__name__)


class LinkRefused(Exception):
    """The link's signature does not match, or its time is over: ``code`` says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Purpose:
    """A kind of link: its name is signed; the rest words its refusal."""

    name: str  # "sent-file"
    thing: str  # "the file"
    remedy: str  # "open the conversation again"


@dataclass(frozen=True)
class Link:
    """What a link carries in its query besides its path."""

    user: int
    expires: int  # unix seconds
    signature: str

    def query(self) -> str:
        return f"user={self.user}&expires={self.expires}&signature={self.signature}"


Subject = Sequence[int | str]


class SignedLinks:
    """Makes and checks the links; one per process (``Services.provide``)."""

    def __init__(self, key: bytes, seconds: int) -> None:
        self._key = key
        self.seconds = seconds

    @classmethod
    def from_secret(cls, secret: str, seconds: int, *, several_nodes: bool = False) -> SignedLinks:
        """Signed with ``CHATSERVER_SECRET_KEY``; without one, with a key of this process."""
        if not secret and several_nodes:
            log.warning("CHATSERVER_SECRET_KEY is not set: a signed link works only on the node that gave it")
        return cls(secret.encode() if secret else os.urandom(32), seconds)

    def _signature(self, purpose: Purpose, tenant_id: int, subject: Subject, user_id: int, expires: int) -> str:
        # JSON: no field can run into the next (a subject "1:2" is not the subject 1, 2).
        message = json.dumps([purpose.name, tenant_id, list(subject), user_id, expires]).encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def make(self, purpose: Purpose, tenant_id: int, subject: Subject, user_id: int, now: float) -> Link:
        """A link for this user of this organisation to this subject, for ``seconds``."""
        expires = int(now) + self.seconds
        return Link(user_id, expires, self._signature(purpose, tenant_id, subject, user_id, expires))

    def check(self, purpose: Purpose, tenant_id: int, subject: Subject, link: Link, now: float) -> None:
        """Raise :class:`LinkRefused` unless the link was made here for this purpose,
        organisation, subject and user and its time is not over (the signature first: an
        altered time fails it)."""
        wanted = self._signature(purpose, tenant_id, subject, link.user, link.expires)
        if not hmac.compare_digest(wanted.encode(), link.signature.encode("utf-8", "replace")):
            raise LinkRefused("bad_signature", f"this link to {purpose.thing} is not valid: {purpose.remedy}")
        if now >= link.expires:
            raise LinkRefused("link_expired", f"this link to {purpose.thing} has expired: {purpose.remedy}")
