"""A recorded call (VC-5): the recorder, a process of its own, joins as a member that
only receives and keeps one WebM per participant in the candidate's record; killed
mid-call, the hub goes on and what it wrote is marked incomplete."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from chatserver.client import ChatClient, ClientError
from signaling.models import VideoRecording, VideoRoom
from tests.browser.ui import shoot
from tests.helpers import Server, make_tenant, make_user, running_server, wait_for
from tests.signaling.browser.test_call import media_flowing


@pytest.fixture
async def recorded_server(server: Server, tmp_path: Path) -> AsyncIterator[Server]:
    async with running_server(replace(server.config, media_dir=str(tmp_path / "media"))) as srv:
        yield srv


def start_recorder(srv: Server) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CHATSERVER_DATABASE_URL": srv.config.database_url,
           "CHATSERVER_MEDIA_DIR": srv.config.media_dir}
    return subprocess.Popen([sys.executable, "-m", "chatserver", "video-recorder", "--hub-url", srv.url], env=env)


async def recorder_online(srv: Server) -> None:
    from chatserver.db.models import User
    from signaling.recording import RECORDER

    async def online() -> bool:
        async with srv.services.read() as s:
            uid = (await s.execute(select(User.id).where(User.role == RECORDER))).scalar_one_or_none()
        return uid is not None and bool(await srv.services.presence.connected([uid]))

    await wait_for(online, timeout=30)


async def rows(srv: Server, room: dict[str, Any]) -> list[VideoRecording]:
    """The recordings of one call (the database is shared by the tests of a run)."""
    async with srv.services.read() as s:
        q = (select(VideoRecording).join(VideoRoom, VideoRoom.id == VideoRecording.room_id)
             .where(VideoRoom.token == room["token"]).order_by(VideoRecording.id))
        return list((await s.execute(q)).scalars())


async def call_with_guest(srv: Server, open_call: Callable[..., Any], anna: ChatClient, room: dict[str, Any]
                          ) -> tuple[Page, Page]:
    host = await open_call(room["token"], session={"token": anna.token, "user": anna.user}, base=srv.url,
                           query="?quality=low")
    guest = await open_call(room["token"], base=srv.url, query="?quality=low")
    await guest.get_by_test_id("guest-name").fill("Jan de Vries")
    await host.get_by_test_id("join").click()
    await guest.get_by_test_id("join").click()
    await media_flowing(host, ["Jan de Vries"])
    return host, guest


async def test_a_recorded_call_is_kept_in_the_record_for_colleagues_only(recorded_server, open_call, artifacts):
    srv = recorded_server
    recorder = start_recorder(srv)
    try:
        org = await make_tenant(srv)
        anna = await make_user(srv, org, "Anna Jansen")
        bram = await make_user(srv, org, "Bram")  # a colleague of the same organisation
        outsider = await make_user(srv, await make_tenant(srv, "other"), "Olaf")
        record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Jan de Vries"})
        room = (await anna.rest("POST", "/api/video/rooms", {"record_id": record["id"]}))["room"]
        await recorder_online(srv)
        host, guest = await call_with_guest(srv, open_call, anna, room)

        await host.get_by_test_id("record").click()
        # Everyone sees that it is recorded, from then on.
        await expect(host.get_by_test_id("recorded-notice")).to_be_visible()
        await expect(guest.get_by_test_id("recorded-notice")).to_be_visible()
        await expect(host.get_by_test_id("record")).to_be_hidden()
        await wait_for(lambda: _statuses(srv, room, ["recording", "recording"]), timeout=30)
        started = time.monotonic()
        await shoot(guest, artifacts, "video-recorded-guest")
        await asyncio.sleep(10)
        await guest.get_by_test_id("leave").click()
        await host.get_by_test_id("leave").click()
        length = time.monotonic() - started
        await wait_for(lambda: _statuses(srv, room, ["complete", "complete"]), timeout=30)

        done = await rows(srv, room)
        assert sorted(r.name for r in done) == ["Anna Jansen", "Jan de Vries"]
        for row in done:
            path = Path(srv.config.media_dir) / row.path
            assert path.suffix == ".webm" and not path.with_suffix(".webm.part").exists()
            with av.open(str(path)) as container:
                kinds = sorted(s.type for s in container.streams)
                assert kinds == ["audio", "video"], kinds
                seconds = _duration(container)
            assert abs(seconds - length) <= 0.2 * length, (row.name, seconds, length)
            assert row.bytes == path.stat().st_size > 10_000

        # In the record: a timeline entry per participant's recording, and the files.
        timeline = await anna.rest("GET", f"/api/records/{record['id']}/timeline")
        entries = [e for e in timeline["entries"] if e["kind"] == "recording"]
        # Who was in the call, in the order they joined (which of the two pages joined first is a race).
        assert len(entries) == 2 and all(
            sorted(e["summary"].split("in the call: ")[1].split(", ")) == ["Anna Jansen", "Jan de Vries"]
            for e in entries)
        listed = (await bram.rest("GET", f"/api/records/{record['id']}/recordings"))["recordings"]
        assert sorted(r["name"] for r in listed) == ["Anna Jansen", "Jan de Vries"]

        url = listed[0]["url"]
        async with httpx.AsyncClient(base_url=srv.url) as http:
            full = await http.get(url, headers={"Authorization": f"Bearer {bram.token}"})
            assert full.status_code == 200 and full.headers["content-type"] == "video/webm"
            part = await http.get(url, headers={"Authorization": f"Bearer {bram.token}", "Range": "bytes=0-99"})
            assert part.status_code == 206 and part.content == full.content[:100]  # seeking in the player
            assert (await http.get(url)).status_code == 401
            assert (await http.get(url, headers={"Authorization": f"Bearer {outsider.token}"})).status_code == 404
        with pytest.raises(ClientError) as err:
            await outsider.rest("GET", f"/api/records/{record['id']}/recordings")
        assert err.value.status == 404
        # A guest never gets a recording, not even their own.
        guest_bearer = await guest.evaluate("JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage)"
                                            ".find((k) => k.startsWith('video.guest.')))).token")
        async with httpx.AsyncClient(base_url=srv.url) as http:
            r = await http.get(url, headers={"Authorization": f"Bearer {guest_bearer}"})
            assert r.status_code == 403 and r.json()["error"]["code"] == "guest_token"
    finally:
        recorder.terminate()
        recorder.wait(timeout=30)


async def test_a_recorder_killed_mid_call_leaves_an_incomplete_file_and_the_hub_goes_on(
        recorded_server, open_call):
    srv = recorded_server
    recorder = start_recorder(srv)
    try:
        org = await make_tenant(srv)
        anna = await make_user(srv, org, "Anna")
        record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Piet"})
        room = (await anna.rest("POST", "/api/video/rooms", {"record_id": record["id"]}))["room"]
        await recorder_online(srv)
        host, _ = await call_with_guest(srv, open_call, anna, room)
        await host.get_by_test_id("record").click()
        await wait_for(lambda: _statuses(srv, room, ["recording", "recording"]), timeout=30)
        await asyncio.sleep(2)
        recorder.send_signal(signal.SIGKILL)
        recorder.wait(timeout=10)
        await wait_for(lambda: _statuses(srv, room, ["incomplete", "incomplete"]), timeout=30)
        # Never shown as a recording; the call itself goes on.
        assert (await anna.rest("GET", f"/api/records/{record['id']}/recordings"))["recordings"] == []
        await media_flowing(host, ["Jan de Vries"])
        await anna.connect()
        assert (await anna.request("ping", {}))["pong"] is True
    finally:
        if recorder.poll() is None:
            recorder.kill()
            recorder.wait(timeout=10)


async def _statuses(srv: Server, room: dict[str, Any], expected: list[str]) -> bool:
    return [r.status for r in await rows(srv, room)] == expected


def _duration(container: Any) -> float:
    if container.duration:
        return float(container.duration) / 1_000_000
    # WebM written live may lack a header duration: the last packet's time tells it.
    last = 0.0
    for packet in container.demux(container.streams.video[0]):
        if packet.pts is not None:
            last = max(last, float(packet.pts * packet.time_base))
    return last
