"""Signed, short-lived links to a recording (VC-5): a ``<video>`` cannot send a bearer token,
so a colleague who may see the record gets a link for them alone; altered, expired, for
another organisation or for a guest, it plays nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select

from chatserver.client import ClientError
from chatserver.clock import FakeClock
from chatserver.db.models import User
from chatserver.signed_links import SignedLinks
from signaling import media_links
from signaling.sample import keep_sample
from tests.helpers import Server, make_tenant, make_user, running_server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


@pytest.fixture
async def media_server(config, tmp_path: Path, clock: FakeClock) -> AsyncIterator[Server]:
    async with running_server(replace(config, media_dir=str(tmp_path / "media"), media_link_seconds=60),
                              clock=clock) as srv:
        yield srv


async def _recorded(srv: Server) -> dict[str, Any]:
    org = await make_tenant(srv)
    anna = await make_user(srv, org, "Anna Jansen")
    bram = await make_user(srv, org, "Bram de Vries")
    record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Jan de Vries"})
    rid = await keep_sample(srv.services, await _user(srv, anna.user["id"]), record["id"], seconds=1.0)
    return {"org": org, "anna": anna, "bram": bram, "record": record, "recording_id": rid}


def _with(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return f"{parts.path}?{urlencode(query)}"


async def test_a_colleague_plays_a_recording_by_its_signed_link_with_seeking(media_server):
    srv = media_server
    w = await _recorded(srv)
    listed = (await w["bram"].rest("GET", f"/api/records/{w['record']['id']}/recordings"))["recordings"]
    assert [r["id"] for r in listed] == [w["recording_id"]]
    link = listed[0]["media_url"]
    assert f"user={w['bram'].user['id']}" in link and "signature=" in link
    # The record's timeline gives the same kind of link, for its viewer.
    timeline = await w["bram"].rest("GET", f"/api/records/{w['record']['id']}/timeline")
    entry = next(e for e in timeline["entries"] if e["kind"] == "recording")
    assert entry["details"]["media_url"].startswith(f"/api/video/recordings/{w['recording_id']}/file?")

    async with httpx.AsyncClient(base_url=srv.url) as http:
        full = await http.get(link)  # no Authorization header: as a <video> asks
        assert full.status_code == 200 and full.headers["content-type"] == "video/webm"
        assert full.content[:4] == b"\x1a\x45\xdf\xa3"  # an EBML (WebM) header
        part = await http.get(link, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206 and part.content == full.content[100:200]
        assert part.headers["content-range"] == f"bytes 100-199/{len(full.content)}"


async def test_an_altered_or_expired_link_is_refused(media_server, clock):
    srv = media_server
    w = await _recorded(srv)
    link = (await w["anna"].rest("GET", f"/api/records/{w['record']['id']}/recordings"))["recordings"][0]["media_url"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    async with httpx.AsyncClient(base_url=srv.url) as http:
        async def refused(url: str, code: str, status: int = 403) -> None:
            r = await http.get(url)
            assert r.status_code == status, (url, r.status_code, r.text)
            assert r.json()["error"]["code"] == code

        assert (await http.get(link)).status_code == 200
        await refused(_with(link, signature=query["signature"][:-2] + "AA"), "bad_signature")
        await refused(_with(link, user=str(w["bram"].user["id"])), "bad_signature")  # someone else's
        await refused(_with(link, expires=str(int(query["expires"]) + 3600)), "bad_signature")  # longer
        other = await keep_sample(srv.services, await _user(srv, w["anna"].user["id"]), w["record"]["id"],
                                  seconds=0.5)
        await refused(link.replace(f"/recordings/{w['recording_id']}/", f"/recordings/{other}/"), "bad_signature")
        await refused(_with(link, expires="soon"), "invalid_value", 400)
        # Its time over: the same link, valid a minute ago, plays nothing now.
        clock.advance(59)
        assert (await http.get(link)).status_code == 200
        clock.advance(2)
        await refused(link, "link_expired")


async def test_another_organisation_and_a_guest_get_no_recording(media_server):
    srv = media_server
    w = await _recorded(srv)
    outsider = await make_user(srv, await make_tenant(srv, "other"), "Olaf")
    with pytest.raises(ClientError) as err:
        await outsider.rest("GET", f"/api/records/{w['record']['id']}/recordings")
    assert err.value.status == 404
    with pytest.raises(ClientError) as err:
        await outsider.rest("GET", f"/api/records/{w['record']['id']}/timeline")
    assert err.value.status == 404
    link = (await w["anna"].rest("GET", f"/api/records/{w['record']['id']}/recordings"))["recordings"][0]["media_url"]
    # A link made for the outsider (as if they had been given one) finds nothing in another organisation.
    signer = srv.services.get(SignedLinks)
    theirs = media_links.link(signer, w["recording_id"], await _user(srv, outsider.user["id"]),
                              srv.services.clock.now()).url
    # A guest of the call: never a link, and a link made out to them plays nothing.
    room = (await w["anna"].rest("POST", "/api/video/rooms", {"record_id": w["record"]["id"]}))["room"]
    async with httpx.AsyncClient(base_url=srv.url) as http:
        guest = (await http.post(f"/api/video/rooms/{room['token']}/guests", json={"name": "Jan"})).json()
        r = await http.get(theirs)
        assert r.status_code == 404 and r.json()["error"]["code"] == "no_such_recording"
        r = await http.get(f"/api/records/{w['record']['id']}/recordings",
                           headers={"Authorization": f"Bearer {guest['token']}"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "guest_token"
        guest_link = media_links.link(signer, w["recording_id"], await _user(srv, guest["user"]["id"]),
                                      srv.services.clock.now()).url
        r = await http.get(guest_link)
        assert r.status_code == 403 and r.json()["error"]["code"] == "bad_signature"
        assert (await http.get(link)).status_code == 200  # the colleague's own still plays


async def _user(srv: Server, user_id: int) -> User:
    async with srv.services.read() as s:
        user = (await s.execute(select(User).where(User.id == user_id))).scalar_one()
    return user
