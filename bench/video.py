"""Video benchmarks (docs/video.md): ``python -m bench.video [--quick]``.

Three figures, each beside a peer measured in the same run:

1. **join to first frame**: from a member's ``video.join`` to the first decoded video
   frame of the other member, two aiortc peers signalling through a ``chatserver serve``
   process; the peer is the same two peers handing each other their SDP directly (no
   hub), so the ratio is what our signaling adds.
2. **the recorder's CPU**: ``chatserver video-recorder`` recording N participants that
   send a moving 640x360 picture; its CPU per participant (of one core) and how much of
   the call its files hold (1.0: all of it). The peer is aiortc's ``MediaRecorder`` with
   its defaults encoding the same frames in this process: the CPU one participant costs
   it per second of call (over 1.0 of a core: it cannot keep up in real time).
3. **the hub's chat latency beside a recording**: send-to-ack p50/p99 of chat messages at
   a fixed rate, without and with a recording of two participants running (the recorder
   and the members on this machine too); the ratio is what a recording costs the chat.

Everything runs on this machine (2 cores here): the members' own encoding competes with
the recorder and the hub, as it would not in production. Figures are printed as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import av
import httpx
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRecorder
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

from bench.servers import free_port, stop, wait_port
from chatserver.client import ChatClient
from tests.signaling.peers import AiortcMember

PASSWORD = "bench-password-1"
W, H = 640, 360


class MovingPicture(VideoStreamTrack):
    """A gradient that slides a little each frame: motion for the encoder, no numpy."""

    def __init__(self) -> None:
        super().__init__()
        self._n = 0
        row = bytes(x * 255 // W for x in range(W)) * 2
        self._rows = row

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        shift = (self._n * 7) % W
        self._n += 1
        frame = av.VideoFrame(W, H, "yuv420p")
        luma = self._rows[shift:shift + W] * H
        frame.planes[0].update(luma[: frame.planes[0].buffer_size])
        frame.planes[1].update(bytes([128]) * frame.planes[1].buffer_size)
        frame.planes[2].update(bytes([128]) * frame.planes[2].buffer_size)
        frame.pts, frame.time_base = pts, time_base
        return frame


class Member(AiortcMember):
    """A bench member sends the moving picture and a tone's worth of audio."""

    def _tracks(self) -> list[Any]:
        return [AudioStreamTrack(), MovingPicture()]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.asynccontextmanager
async def hub(workdir: Path) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """A ``chatserver serve`` on SQLite with a fresh database, and its environment."""
    port = free_port()
    env = {**os.environ, "CHATSERVER_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'bench.db'}",
           "CHATSERVER_MEDIA_DIR": str(workdir / "media"), "CHATSERVER_RATE_PER_SECOND": "1000",
           "CHATSERVER_RATE_BURST": "2000"}
    proc = subprocess.Popen([sys.executable, "-m", "chatserver", "serve", "--port", str(port), "--log-level",
                             "warning"], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_port(port, proc)
        yield f"http://127.0.0.1:{port}", env
    finally:
        stop(proc)


async def users(url: str, env: dict[str, str], n: int) -> tuple[list[ChatClient], int]:
    """``n`` colleagues of a new organisation, contacts of the first, and a record."""
    slug = f"b{uuid.uuid4().hex[:8]}"
    cli = [sys.executable, "-m", "chatserver"]
    subprocess.run([*cli, "create-tenant", slug], env=env, check=True, capture_output=True)
    clients = []
    for i in range(n):
        subprocess.run([*cli, "create-user", slug, f"u{i}", "--name", f"User {i}", "--password", PASSWORD],
                       env=env, check=True, capture_output=True)
        clients.append(await ChatClient.login(url, slug, f"u{i}", PASSWORD))
    for other in clients[1:]:
        req = await clients[0].rest("POST", "/api/contact-requests", {"user_id": other.user["id"]})
        await other.rest("POST", f"/api/contact-requests/{req['id']}/accept")
    record = await clients[0].rest("POST", "/api/records", {"kind": "candidate", "title": "Bench"})
    return clients, record["id"]


async def join_to_first_frame(url: str, env: dict[str, str], runs: int) -> dict[str, Any]:
    (a, b), record = await users(url, env, 2)
    await a.connect()
    await b.connect()
    hub_times = []
    for _ in range(runs):
        room = (await a.rest("POST", "/api/video/rooms", {"record_id": record}))["room"]["token"]
        first, second = Member(a), Member(b)
        try:
            await first.join(room)
            started = time.perf_counter()
            ack = await second.join(room)
            await second.offer_to(ack["participants"][0]["id"])
            await first.frames("video", 1, timeout=30)
            hub_times.append(time.perf_counter() - started)
        finally:
            await first.close()
            await second.close()
            with contextlib.suppress(Exception):
                await a.request("video.leave", {})
            with contextlib.suppress(Exception):
                await b.request("video.leave", {})
    direct = [await _direct_first_frame() for _ in range(runs)]
    for c in (a, b):
        await c.close()
    hub_ms, direct_ms = statistics.median(hub_times) * 1000, statistics.median(direct) * 1000
    return {"runs": runs, "hub_median_ms": round(hub_ms, 1), "hub_max_ms": round(max(hub_times) * 1000, 1),
            "direct_median_ms": round(direct_ms, 1), "ratio": round(hub_ms / direct_ms, 2)}


async def _direct_first_frame() -> float:
    """Two aiortc peers with their SDP handed over in this process: WebRTC's own cost."""
    one, two = RTCPeerConnection(), RTCPeerConnection()
    got: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def on_track(track: Any) -> None:
        if track.kind == "video" and not got.done():
            got.set_result(track)

    one.on("track", on_track)
    two.addTrack(AudioStreamTrack())
    two.addTrack(MovingPicture())
    one.addTransceiver("audio", direction="recvonly")
    one.addTransceiver("video", direction="recvonly")
    started = time.perf_counter()
    try:
        await one.setLocalDescription(await one.createOffer())
        await two.setRemoteDescription(RTCSessionDescription(sdp=one.localDescription.sdp, type="offer"))
        await two.setLocalDescription(await two.createAnswer())
        await one.setRemoteDescription(RTCSessionDescription(sdp=two.localDescription.sdp, type="answer"))
        track = await asyncio.wait_for(got, 30)
        await asyncio.wait_for(track.recv(), 30)
        return time.perf_counter() - started
    finally:
        await one.close()
        await two.close()


@contextlib.asynccontextmanager
async def recorded_call(url: str, env: dict[str, str], clients: list[ChatClient],
                        record: int) -> AsyncIterator[tuple[subprocess.Popen[bytes], list[Member]]]:
    """A call of ``clients`` being recorded by a ``chatserver video-recorder`` process."""
    recorder = subprocess.Popen([sys.executable, "-m", "chatserver", "video-recorder", "--hub-url", url], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    members: list[Member] = []
    try:
        for c in clients:
            await c.connect()
        room = (await clients[0].rest("POST", "/api/video/rooms", {"record_id": record}))["room"]["token"]
        for c in clients:
            member = Member(c)
            ack = await member.join(room)
            for other in ack["participants"]:
                await member.offer_to(other["id"])
            members.append(member)
        for _ in range(100):  # until the recorder's control connection is up
            with contextlib.suppress(Exception):
                await clients[0].request("video.start_recording", {})
                break
            await asyncio.sleep(0.2)
        # The members offer to the recorder as it joins (it never offers); let it settle.
        await asyncio.sleep(5)
        yield recorder, members
    finally:
        for member in members:
            await member.close()
        for c in clients:
            await c.close()
        stop(recorder)


async def recorder_cpu(url: str, env: dict[str, str], participants: int, seconds: float) -> dict[str, Any]:
    clients, record = await users(url, env, participants)
    async with recorded_call(url, env, clients, record) as (recorder, members):
        before, wall = cpu_seconds(recorder.pid), time.perf_counter()
        await asyncio.sleep(seconds)
        used, wall = cpu_seconds(recorder.pid) - before, time.perf_counter() - wall
        for member in members:
            await member.client.request("video.leave", {})
        await asyncio.sleep(3)
    held = _recorded_seconds(Path(env["CHATSERVER_MEDIA_DIR"]))
    share = used / wall / participants
    peer = await _media_recorder_cpu(min(seconds, 10.0))
    return {"participants": participants, "seconds": round(wall, 1),
            "cpu_per_participant": round(share, 3), "files_hold_of_call": [round(h / (wall + 5), 2) for h in held],
            "peer_media_recorder_cpu_per_participant": round(peer, 3),
            "ratio": round(share / peer, 2) if peer else None}


def _recorded_seconds(media: Path) -> list[float]:
    out = []
    for path in sorted(media.rglob("*.webm")):
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            last = max((float(p.pts * p.time_base) for p in container.demux(stream) if p.pts is not None), default=0)
        out.append(last)
    return out


async def _media_recorder_cpu(seconds: float) -> float:
    """aiortc's MediaRecorder, defaults, fed the same picture as fast as it takes it."""
    with tempfile.TemporaryDirectory() as tmp:
        recorder = MediaRecorder(str(Path(tmp) / "peer.webm"), format="webm")
        track = MovingPicture()
        recorder.addTrack(track)
        started_cpu, started = time.process_time(), time.perf_counter()
        await recorder.start()
        await asyncio.sleep(seconds)
        await recorder.stop()
        return (time.process_time() - started_cpu) / (time.perf_counter() - started)


async def chat_beside_recording(url: str, env: dict[str, str], rate: float, seconds: float) -> dict[str, Any]:
    (a, b, c, d), record = await users(url, env, 4)
    for x in (a, b):
        await x.connect()

    async def latencies() -> list[float]:
        out: list[float] = []
        interval = 1 / rate
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            await a.send_message(b.user["id"], "bench")
            out.append(time.perf_counter() - t0)
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - t0)))
        return out

    quiet = await latencies()
    async with recorded_call(url, env, [c, d], record):
        busy = await latencies()
    for x in (a, b):
        await x.close()

    def p(values: list[float], q: float) -> float:
        return round(sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000, 2)

    return {"rate": rate, "seconds": seconds, "quiet_p50_ms": p(quiet, 0.5), "quiet_p99_ms": p(quiet, 0.99),
            "recording_p50_ms": p(busy, 0.5), "recording_p99_ms": p(busy, 0.99),
            "p99_ratio": round(p(busy, 0.99) / max(p(quiet, 0.99), 0.01), 2)}


async def main(quick: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        async with hub(Path(tmp)) as (url, env):
            async with httpx.AsyncClient() as http:
                assert (await http.get(url + "/health")).status_code == 200
            results = {
                "join_to_first_frame": await join_to_first_frame(url, env, 3 if quick else 10),
                "recorder_cpu": await recorder_cpu(url, env, 2, 5 if quick else 15),
                "chat_beside_recording": await chat_beside_recording(url, env, 50, 5 if quick else 15),
            }
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.quick)), indent=2))
