"""The one signer of short-lived links (chatserver.signed_links): a link opens only what it
was made for (purpose, organisation, subject, user), only until it expires, only with the
key that made it; and the two kinds in use keep their URLs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chatserver.db.models import User
from chatserver.files import links as file_links
from chatserver.signed_links import Link, LinkRefused, Purpose, SignedLinks
from signaling import media_links

pytestmark = pytest.mark.dbindependent

NOW = 1_800_000_000.0
FILE = Purpose("test-file", "the file", "open the conversation again")
RECORDING = Purpose("test-recording", "the recording", "open the record again")


def _signer(key: bytes = b"k" * 32) -> SignedLinks:
    return SignedLinks(key, 60)


def _refused(signer: SignedLinks, purpose: Purpose, tenant: int, subject: tuple[int | str, ...], link: Link,
             now: float = NOW) -> LinkRefused:
    with pytest.raises(LinkRefused) as refused:
        signer.check(purpose, tenant, subject, link, now)
    return refused.value


def test_a_link_opens_what_it_was_made_for_until_it_expires() -> None:
    signer = _signer()
    link = signer.make(FILE, 1, (7, "thumb"), 42, NOW)
    assert (link.user, link.expires) == (42, int(NOW) + 60)
    signer.check(FILE, 1, (7, "thumb"), link, NOW + 59)
    expired = _refused(signer, FILE, 1, (7, "thumb"), link, NOW + 60)
    assert expired.code == "link_expired"
    assert str(expired) == "this link to the file has expired: open the conversation again"


def test_a_tampered_link_is_refused_the_signature_checked_before_the_time() -> None:
    signer = _signer()
    link = signer.make(FILE, 1, (7, "file"), 42, NOW)
    for tampered in (Link(42, link.expires, link.signature[:-2] + ("AA" if link.signature[-2:] != "AA" else "BB")),
                     Link(43, link.expires, link.signature),  # someone else's
                     Link(42, link.expires + 3600, link.signature),  # longer
                     Link(42, link.expires, ""), Link(42, link.expires, "ü" * 43)):
        refused = _refused(signer, FILE, 1, (7, "file"), tampered)
        assert refused.code == "bad_signature", tampered
        assert str(refused) == "this link to the file is not valid: open the conversation again"
    # Another file, or the other variant of the same one.
    assert _refused(signer, FILE, 1, (8, "file"), link).code == "bad_signature"
    assert _refused(signer, FILE, 1, (7, "thumb"), link).code == "bad_signature"
    # An altered time fails on its signature even once it has passed.
    assert _refused(signer, FILE, 1, (7, "file"), Link(42, 0, link.signature)).code == "bad_signature"


def test_a_link_made_for_one_purpose_never_passes_for_another() -> None:
    signer = _signer()
    link = signer.make(FILE, 1, (7,), 42, NOW)
    refused = _refused(signer, RECORDING, 1, (7,), link)
    assert refused.code == "bad_signature" and "the recording" in str(refused)
    # The two kinds in use: a file's link on the recording of the same number.
    viewer = User(id=42, tenant_id=1)
    url, _ = file_links.url(signer, 7, "file", viewer, NOW)
    query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
    given = Link(int(query["user"]), int(query["expires"]), query["signature"])
    file_links.check(signer, 7, "file", viewer, given, NOW)
    with pytest.raises(LinkRefused):
        media_links.check(signer, 7, viewer, given, datetime.fromtimestamp(NOW, UTC))


def test_a_link_made_in_one_organisation_opens_nothing_in_another() -> None:
    signer = _signer()
    link = signer.make(FILE, 1, (7,), 42, NOW)
    assert _refused(signer, FILE, 2, (7,), link).code == "bad_signature"
    signer.check(FILE, 1, (7,), link, NOW)


def test_only_the_key_that_made_a_link_opens_it() -> None:
    link = _signer(b"a" * 32).make(FILE, 1, (7,), 42, NOW)
    assert _refused(_signer(b"b" * 32), FILE, 1, (7,), link).code == "bad_signature"
    # Without a configured secret each process has a key of its own; with one, all share it.
    one, other = SignedLinks.from_secret("", 60), SignedLinks.from_secret("", 60)
    assert _refused(other, FILE, 1, (7,), one.make(FILE, 1, (7,), 42, NOW)).code == "bad_signature"
    shared = SignedLinks.from_secret("s3cret", 60).make(FILE, 1, (7,), 42, NOW)
    SignedLinks.from_secret("s3cret", 60).check(FILE, 1, (7,), shared, NOW)


def test_the_fields_cannot_run_into_each_other() -> None:
    signer = _signer()
    link = signer.make(FILE, 1, ("1:2",), 42, NOW)
    assert _refused(signer, FILE, 1, (1, 2), link).code == "bad_signature"
    assert _refused(signer, FILE, 1, ("1", "2"), link).code == "bad_signature"


def test_the_links_keep_their_urls() -> None:
    signer = _signer()
    viewer = User(id=42, tenant_id=1)
    url, expires = file_links.url(signer, 7, "thumb", viewer, NOW)
    assert url.startswith("/api/files/7/content?variant=thumb&user=42&expires=") and "&signature=" in url
    assert expires == int(NOW) + 60
    made = media_links.link(signer, 9, viewer, datetime.fromtimestamp(NOW, UTC))
    assert made.url.startswith(f"/api/video/recordings/9/file?user=42&expires={made.expires}&signature=")
