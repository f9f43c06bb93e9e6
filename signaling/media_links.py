"""Signed, short-lived links to a recording's file, for one colleague (VC-5), made by the
core's signer (chatserver.signed_links, as a sent file's are).

A ``<video>`` element fetches its source itself, with Range requests while it plays and
seeks, and cannot send the app's bearer token. So a colleague allowed to see the record
is given a link that carries who it is for and until when, signed with the server's key:
``/api/video/recordings/{id}/file?user=<id>&expires=<unix seconds>&signature=<HMAC-SHA256>``.
The server checks the signature and the time, then checks the user again (still a
colleague of the recording's organisation), so a link is only as good as the rights
behind it. Guests never get one.

Pure: no I/O, the time is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chatserver.db.models import User
from chatserver.signed_links import Link, Purpose, SignedLinks

__all__ = ["PURPOSE", "SignedLink", "check", "link"]

PURPOSE = Purpose("recording-file", "the recording", "open the record again")


@dataclass(frozen=True)
class SignedLink:
    url: str
    expires: int  # unix seconds


def link(links: SignedLinks, recording_id: int, viewer: User, now: datetime) -> SignedLink:
    made = links.make(PURPOSE, viewer.tenant_id, (recording_id,), viewer.id, now.timestamp())
    return SignedLink(url=f"/api/video/recordings/{recording_id}/file?{made.query()}", expires=made.expires)


def check(links: SignedLinks, recording_id: int, user: User, given: Link, now: datetime) -> None:
    """Raise :class:`~chatserver.signed_links.LinkRefused` unless the link was made for this
    recording and user, and is in time."""
    links.check(PURPOSE, user.tenant_id, (recording_id,), given, now.timestamp())
