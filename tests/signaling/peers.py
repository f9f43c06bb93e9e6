"""A call member without a browser: an aiortc peer that signals through our /ws.

One RTCPeerConnection per other member, as the call page keeps. aiortc has no perfect
negotiation (it can neither roll back nor trickle: its candidates ride in the SDP), so
the offers go one way only: a newcomer offers to the members in its join ack
(:meth:`offer_to`), and a member offers to a recorder that joins after it (the recorder
never offers). Tests and the video bench use it.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamTrack, VideoStreamTrack

from chatserver.client import ChatClient


class AiortcMember:
    def __init__(self, client: ChatClient, *, relay_only: bool = False) -> None:
        self.client = client
        self.relay_only = relay_only
        self.pcs: dict[int, RTCPeerConnection] = {}
        self.me: dict[str, Any] = {}
        self.others: list[dict[str, Any]] = []
        self.tracks: dict[str, MediaStreamTrack] = {}
        self._config = RTCConfiguration()
        self._track_came = asyncio.Event()
        self._listener: asyncio.Task[None] | None = None

    def _tracks(self) -> list[MediaStreamTrack]:
        """What this member sends (to each other member: a track feeds one connection)."""
        return [AudioStreamTrack(), VideoStreamTrack()]

    async def join(self, room: str, **extra: Any) -> dict[str, Any]:
        ack = await self.client.request("video.join", {"room": room, **extra})
        self.me, self.others = ack["participant"], ack["participants"]
        servers = [RTCIceServer(urls=s["urls"], username=s.get("username"), credential=s.get("credential"))
                   for s in ack["ice_servers"]]
        self._config = RTCConfiguration(iceServers=servers)
        self._listener = asyncio.create_task(self._listen())
        return ack

    def _pc(self, other: int) -> RTCPeerConnection:
        pc = self.pcs.get(other)
        if pc is None:
            pc = self.pcs[other] = RTCPeerConnection(self._config)
            for track in self._tracks():
                pc.addTrack(track)
            pc.on("track", self._on_track)
        return pc

    def _on_track(self, track: MediaStreamTrack) -> None:
        self.tracks.setdefault(track.kind, track)
        self._track_came.set()

    async def offer_to(self, participant_id: int) -> None:
        pc = self._pc(participant_id)
        await pc.setLocalDescription(await pc.createOffer())
        sdp = self._filtered(pc.localDescription.sdp)
        await self.client.request("video.signal", {"to": participant_id, "kind": "offer", "sdp": sdp})

    def _filtered(self, sdp: str) -> str:
        if not self.relay_only:
            return sdp
        # aiortc has no iceTransportPolicy: keep only relayed candidates in what we send,
        # so the other side can reach us through TURN alone.
        return "\r\n".join(line for line in sdp.split("\r\n")
                           if not line.startswith("a=candidate:") or " typ relay" in line) + "\r\n"

    async def _listen(self) -> None:
        while True:
            frame = await self.client.next_event(timeout=3600)
            data = frame.get("data") or {}
            if frame["type"] == "video.joined" and data["participant"]["role"] == "recorder":
                await self.offer_to(data["participant"]["id"])  # it never offers: we do
            elif frame["type"] != "video.signal":
                continue
            elif data["kind"] == "offer":
                pc = self._pc(data["from"])
                await pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"], type="offer"))
                await pc.setLocalDescription(await pc.createAnswer())
                await self.client.request("video.signal", {"to": data["from"], "kind": "answer",
                                                           "sdp": self._filtered(pc.localDescription.sdp)})
            elif data["kind"] == "answer" and data["from"] in self.pcs:
                await self.pcs[data["from"]].setRemoteDescription(RTCSessionDescription(sdp=data["sdp"],
                                                                                       type="answer"))

    async def frames(self, kind: str, n: int, timeout: float = 20) -> int:
        """Receive ``n`` frames of the first remote track of ``kind``; their count."""
        async with asyncio.timeout(timeout):
            while kind not in self.tracks:
                self._track_came.clear()
                await self._track_came.wait()
            track = self.tracks[kind]
            for _ in range(n):
                await track.recv()
        return n

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
        for pc in self.pcs.values():
            await pc.close()
