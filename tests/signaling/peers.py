"""A call member without a browser: an aiortc peer that signals through our /ws.

It answers offers and makes one when asked, as the call page does, but without
perfect negotiation (aiortc can neither roll back nor trickle: it sends its
candidates inside the SDP), so tests let one side offer.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamTrack, VideoStreamTrack

from chatserver.client import ChatClient


class AiortcMember:
    def __init__(self, client: ChatClient, *, relay_only: bool = False) -> None:
        self.client = client
        self.relay_only = relay_only
        self.pc: RTCPeerConnection | None = None
        self.me: dict[str, Any] = {}
        self.others: list[dict[str, Any]] = []
        self.tracks: dict[str, MediaStreamTrack] = {}
        self._track_came = asyncio.Event()
        self._listener: asyncio.Task[None] | None = None

    async def join(self, room: str, **extra: Any) -> dict[str, Any]:
        ack = await self.client.request("video.join", {"room": room, **extra})
        self.me, self.others = ack["participant"], ack["participants"]
        servers = [RTCIceServer(urls=s["urls"], username=s.get("username"), credential=s.get("credential"))
                   for s in ack["ice_servers"]]
        config = RTCConfiguration(iceServers=servers)
        self.pc = RTCPeerConnection(config)
        self.pc.addTrack(AudioStreamTrack())
        self.pc.addTrack(VideoStreamTrack())
        self.pc.on("track", self._on_track)
        self._listener = asyncio.create_task(self._listen())
        return ack

    def _on_track(self, track: MediaStreamTrack) -> None:
        self.tracks[track.kind] = track
        self._track_came.set()

    async def offer_to(self, participant_id: int) -> None:
        assert self.pc is not None
        await self.pc.setLocalDescription(await self.pc.createOffer())
        sdp = self._filtered(self.pc.localDescription.sdp)
        await self.client.request("video.signal", {"to": participant_id, "kind": "offer", "sdp": sdp})

    def _filtered(self, sdp: str) -> str:
        if not self.relay_only:
            return sdp
        # aiortc has no iceTransportPolicy: keep only relayed candidates in what we send,
        # so the other side can reach us through TURN alone.
        return "\r\n".join(line for line in sdp.split("\r\n")
                           if not line.startswith("a=candidate:") or " typ relay" in line) + "\r\n"

    async def _listen(self) -> None:
        assert self.pc is not None
        while True:
            frame = await self.client.next_event("video.signal", timeout=3600)
            data = frame["data"]
            if data["kind"] == "offer":
                await self.pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"], type="offer"))
                await self.pc.setLocalDescription(await self.pc.createAnswer())
                await self.client.request("video.signal", {"to": data["from"], "kind": "answer",
                                                           "sdp": self._filtered(self.pc.localDescription.sdp)})
            elif data["kind"] == "answer":
                await self.pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"], type="answer"))

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
        if self.pc is not None:
            await self.pc.close()
