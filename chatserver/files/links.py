"""Signed, short-lived links to a sent file, for one viewer (as signaling.media_links does
for recordings).

An ``<img>`` and a download link fetch by themselves and cannot send a bearer token, and
the widget runs on another site's page. So whoever may see a file asks for its links
(``GET /api/files/{id}``) and gets URLs that carry who they are for and until when, signed
with the server's key: ``?variant=&user=&expires=&signature=``. Opening one checks the
signature and the time, then the viewer's right to the conversation again. Pure: no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

__all__ = ["FileLinks", "LinkRefused"]

VARIANTS = ("file", "thumb")


class LinkRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FileLinks:
    """Makes and checks the links; one per process (``Services.provide``)."""

    key: bytes
    seconds: int

    @classmethod
    def from_secret(cls, secret: str, seconds: int) -> FileLinks:
        return cls(secret.encode() if secret else os.urandom(32), seconds)

    def _signature(self, file_id: int, variant: str, user_id: int, expires: int) -> str:
        # The purpose is signed too: a recording's link never passes for a file's.
        message = f"sent-file:{file_id}:{variant}:{user_id}:{expires}".encode()
        return base64.urlsafe_b64encode(hmac.new(self.key, message, hashlib.sha256).digest()).rstrip(b"=").decode()

    def url(self, file_id: int, variant: str, user_id: int, now: float) -> tuple[str, int]:
        expires = int(now) + self.seconds
        signature = self._signature(file_id, variant, user_id, expires)
        return (f"/api/files/{file_id}/content?variant={variant}&user={user_id}&expires={expires}"
                f"&signature={signature}", expires)

    def check(self, file_id: int, variant: str, user_id: int, expires: int, signature: str, now: float) -> None:
        wanted = self._signature(file_id, variant, user_id, expires)
        if not hmac.compare_digest(wanted.encode(), signature.encode("utf-8", "replace")):
            raise LinkRefused("bad_signature", "this link to the file is not valid: open the conversation again")
        if now >= expires:
            raise LinkRefused("link_expired", "this link to the file has expired: open the conversation again")
