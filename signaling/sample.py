"""A short recording kept in a record without a call: the demo's records have something to
play at first look, and the player's tests a file to seek in.

It goes the way the recorder's files go (:mod:`signaling.recording`): an ad-hoc call from
the record, a participant, ``begun`` with the file's place under ``CHATSERVER_MEDIA_DIR``,
the file written whole, then ``finished``, which puts it in the record's timeline.
"""

from __future__ import annotations

import asyncio
import fractions
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import av
from sqlalchemy import update

from chatserver.actions.context import Services
from chatserver.db.models import User
from signaling import actions, recording, storage
from signaling.models import VideoParticipant, VideoRecording, VideoRoom

__all__ = ["keep_sample", "write_webm"]


def write_webm(path: Path, seconds: float = 3.0, width: int = 320, height: int = 240, fps: int = 15) -> None:
    """A WebM (VP8 + Opus) of moving stripes and silence, as a browser plays a recording."""
    out: Any = av.open(str(path), mode="w", format="webm")
    try:
        video = out.add_stream("libvpx", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.codec_context.options = {"deadline": "realtime", "cpu-used": "8", "b": "300k"}
        audio = out.add_stream("libopus", rate=48000)
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame(width, height, "yuv420p")
            # A light band moving across a blue-green ground: plainly a moving picture.
            band = (i * 6) % width
            frame.planes[0].update(bytes(200 if abs(x - band) < 24 else 90 for x in range(width)) * height)
            frame.planes[1].update(bytes([160]) * frame.planes[1].buffer_size)
            frame.planes[2].update(bytes([100]) * frame.planes[2].buffer_size)
            frame.pts, frame.time_base = i, fractions.Fraction(1, fps)
            for packet in video.encode(frame):
                out.mux(packet)
        samples = 960  # 20 ms, Opus's frame
        for i in range(int(seconds * 48000 / samples)):
            sound = av.AudioFrame(format="s16", layout="mono", samples=samples)
            sound.planes[0].update(bytes(samples * 2))
            sound.sample_rate, sound.pts, sound.time_base = 48000, i * samples, fractions.Fraction(1, 48000)
            for packet in audio.encode(sound):
                out.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode(None):
                out.mux(packet)
    finally:
        out.close()


async def keep_sample(svc: Services, actor: User, record_id: int, *, seconds: float = 3.0) -> int:
    """A recording of ``actor`` in a call from the record, finished and in its timeline; its id."""
    room = (await actions.start_adhoc(svc, actor, record_id, ""))["room"]
    async with svc.transaction() as tx:
        found = await storage.room_by_token(tx.session, room["token"])
        member = VideoParticipant(room_id=found.id, user_id=actor.id, name=actor.display_name, role="owner",
                                  conn_id=None, joined_at=tx.now, left_at=tx.now)
        tx.session.add(member)
        await tx.session.flush()
        member_id = member.id
    folder = Path(svc.config.media_dir) / "recordings" / room["token"][:16]
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"p{member_id}-{os.urandom(4).hex()}.webm"
    recording_id = await recording.begun(svc, room["token"], member_id, str(final.relative_to(svc.config.media_dir)))
    part = final.with_suffix(".webm.part")
    await asyncio.to_thread(write_webm, part, seconds)
    async with svc.transaction() as tx:
        # As a call of that length would have: its length shows in the timeline.
        await tx.session.execute(update(VideoRecording).where(VideoRecording.id == recording_id)
                                 .values(started_at=tx.now - timedelta(seconds=seconds)))
    os.replace(part, final)
    await recording.finished(svc, recording_id, final.stat().st_size)
    async with svc.transaction() as tx:  # the call is over: its recording is kept
        await tx.session.execute(update(VideoRoom).where(VideoRoom.token == room["token"]).values(ended_at=tx.now))
    return recording_id
