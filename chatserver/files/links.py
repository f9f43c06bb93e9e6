"""A sent file's signed, short-lived links, for one viewer (chatserver.signed_links, as
a recording's are: signaling.media_links).

An ``<img>`` and a download link fetch by themselves and cannot send a bearer token, and
the widget runs on another site's page. So whoever may see a file asks for its links
(``GET /api/files/{id}``) and gets URLs that carry who they are for and until when, signed
with the server's key: ``/api/files/{id}/content?variant=&user=&expires=&signature=``.
Opening one checks the signature and the time, then the viewer's right to the
conversation again. Pure: no I/O.
"""

from __future__ import annotations

from chatserver.db.models import User
from chatserver.signed_links import Link, Purpose, SignedLinks

__all__ = ["PURPOSE", "VARIANTS", "check", "url"]

VARIANTS = ("file", "thumb")
PURPOSE = Purpose("sent-file", "the file", "open the conversation again")


def url(links: SignedLinks, file_id: int, variant: str, viewer: User, now: float) -> tuple[str, int]:
    """The link to the file (or its thumbnail) for this viewer, and until when it opens."""
    link = links.make(PURPOSE, viewer.tenant_id, (file_id, variant), viewer.id, now)
    return f"/api/files/{file_id}/content?variant={variant}&{link.query()}", link.expires


def check(links: SignedLinks, file_id: int, variant: str, viewer: User, link: Link, now: float) -> None:
    """Raise :class:`~chatserver.signed_links.LinkRefused` unless the link was made for this
    file's variant and viewer, and is in time."""
    links.check(PURPOSE, viewer.tenant_id, (file_id, variant), link, now)
