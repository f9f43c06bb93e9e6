"""``chatserver video-recorder``: records calls, in a process of its own (VC-5).

Decoding and encoding video is CPU work that must never hold up the hub's event loop,
so the recorder runs apart and is, to the hub, a member of the call like any other: it
logs in as the system's ``recorder`` user (made in the shared database), keeps one
control connection to ``/ws`` on which the hub asks it in (``video.record``), and for
each call opens a connection of its own and joins.

It only receives. It never offers: aiortc can neither roll back an offer nor restart
ICE, so it is always the answerer (the browsers offer to it as they do to any newcomer
who joins after them, see docs/video.md), and it does not trickle: its answer carries
its candidates. Each participant's audio and video go to one WebM (VP8 + Opus,
:mod:`signaling.webm`), written under a temporary name and moved into place after
``stop()`` (the file is not valid before). If the recorder dies mid-call, its call
connections drop and the hub marks what it was writing incomplete.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack
from aiortc.sdp import candidate_from_sdp

from chatserver.actions.context import Services
from chatserver.client import ChatClient
from chatserver.config import Config
from signaling import recording
from signaling.webm import WebmWriter

__all__ = ["run_recorder"]

log = logging.getLogger(__name__)


@dataclass
class _Member:
    """One participant being recorded: their connection to us and their file."""

    pc: RTCPeerConnection
    tracks: list[MediaStreamTrack] = field(default_factory=list)
    media: WebmWriter | None = None
    recording_id: int = 0
    part: Path | None = None
    final: Path | None = None


class _CallRecording:
    """One call: a connection of the recorder's joined to it, a file per participant."""

    def __init__(self, svc: Services, hub_url: str, token: str, room: str) -> None:
        self.svc = svc
        self.room = room
        self.client = ChatClient(hub_url, token)
        self.members: dict[int, _Member] = {}
        self.people: set[int] = set()
        self.ice: list[RTCIceServer] = []

    async def run(self) -> None:
        await self.client.connect()
        try:
            ack = await self.client.request("video.join", {"room": self.room})
            self.ice = [RTCIceServer(urls=s["urls"], username=s.get("username"), credential=s.get("credential"))
                        for s in ack["ice_servers"]]
            self.people = {p["id"] for p in ack["participants"] if p["role"] != recording.RECORDER}
            log.info("recording call %s: %d in it", self.room[:6], len(self.people))
            await self._serve()
        finally:
            for member_id in list(self.members):
                try:
                    await self._finish(member_id)
                except Exception:  # noqa: BLE001 - the others' files are still to be finished
                    log.exception("finishing the recording of participant %s failed", member_id)
            with contextlib.suppress(Exception):
                await self.client.request("video.leave", {}, timeout=5)
            await self.client.close()

    async def _serve(self) -> None:
        while True:
            frame = await self.client.next_event(timeout=3600)
            data = frame.get("data") or {}
            kind = frame["type"]
            if kind == "video.signal":
                await self._signal(data)
            elif kind == "video.joined":
                self.people.add(data["participant"]["id"])
            elif kind == "video.left":
                self.people.discard(data["participant"])
                await self._finish(data["participant"])
                if not self.people:
                    return  # everyone left: the call is over for the recording
            elif kind in ("video.ended", "video.removed", "_closed"):
                return

    async def _signal(self, data: dict[str, Any]) -> None:
        sender = data["from"]
        if data["kind"] == "offer":
            await self._offer(sender, data["sdp"])
        elif data["kind"] == "candidate":
            member = self.members.get(sender)
            text = (data.get("candidate") or {}).get("candidate") or ""
            if member is None or not text:
                return  # end of candidates, or from someone whose offer failed
            candidate = candidate_from_sdp(text.split(":", 1)[1])
            candidate.sdpMid = data["candidate"].get("sdpMid")
            candidate.sdpMLineIndex = data["candidate"].get("sdpMLineIndex")
            await member.pc.addIceCandidate(candidate)

    async def _offer(self, sender: int, sdp: str) -> None:
        member = self.members.get(sender)
        if member is None:
            pc = RTCPeerConnection(RTCConfiguration(iceServers=self.ice))
            member = self.members[sender] = _Member(pc)
            pc.on("track", member.tracks.append)
        await member.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await member.pc.setLocalDescription(await member.pc.createAnswer())
        await self.client.request("video.signal", {"to": sender, "kind": "answer",
                                                   "sdp": member.pc.localDescription.sdp})
        if member.media is None and member.tracks:
            await self._start(sender, member)

    async def _start(self, sender: int, member: _Member) -> None:
        folder = Path(self.svc.config.media_dir) / "recordings" / self.room[:16]
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"p{sender}-{os.urandom(4).hex()}.webm"
        member.part, member.final = final.with_suffix(".webm.part"), final
        member.recording_id = await recording.begun(
            self.svc, self.room, sender, str(final.relative_to(self.svc.config.media_dir)))
        member.media = WebmWriter(member.part)
        await member.media.start(member.tracks)

    async def _finish(self, member_id: int) -> None:
        member = self.members.pop(member_id, None)
        if member is None:
            return
        try:
            if member.media is not None and member.part is not None and member.final is not None:
                await member.media.stop()
                os.replace(member.part, member.final)  # valid only now: moved into place whole
                await recording.finished(self.svc, member.recording_id, member.final.stat().st_size)
                log.info("recorded participant %s of call %s", member_id, self.room[:6])
        finally:
            await member.pc.close()


async def run_recorder(config: Config, hub_url: str, *, stop: asyncio.Event | None = None) -> None:
    """Record every call the hub at ``hub_url`` asks for, until SIGTERM/SIGINT or ``stop``."""
    from chatserver import services
    from chatserver.bus.memory import MemoryBus
    from chatserver.clock import SystemClock
    from chatserver.db.engine import make_engine
    from chatserver.presence.memory import MemoryPresence

    engine = make_engine(config.database_url)
    # The database only: the recorder talks to the hub over /ws, like any member.
    svc = services.build(config, engine, MemoryBus(config.node_id), MemoryPresence(), SystemClock())
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    calls: dict[str, asyncio.Task[None]] = {}
    try:
        token, _ = await recording.recorder_token(svc, timedelta(days=1))
        control = ChatClient(hub_url, token, reconnect=True)
        for attempt in range(60):  # started beside the hub (the demo): wait for it to listen
            try:
                await control.connect()
                break
            except OSError:
                if attempt == 59:
                    raise
                await asyncio.sleep(0.5)
        log.info("video recorder connected to %s", hub_url)
        stopping = asyncio.create_task(stop.wait())
        while not stop.is_set():
            asking = asyncio.create_task(control.next_event("video.record", timeout=3600))
            done, _ = await asyncio.wait({asking, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if asking not in done:
                asking.cancel()
                break
            with contextlib.suppress(TimeoutError):
                room = asking.result()["data"]["room"]
                if room not in calls or calls[room].done():
                    calls[room] = asyncio.create_task(_CallRecording(svc, hub_url, token, room).run())
        log.info("video recorder stopping")
        with contextlib.suppress(Exception):
            await asyncio.wait_for(control.close(), 2)
    finally:
        # A call being recorded ends its files properly (moved into place) on the way out.
        for task in calls.values():
            task.cancel()
        if calls:
            await asyncio.wait(calls.values(), timeout=10)
        await services.close(svc)
