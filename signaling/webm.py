"""One participant's audio and video into a WebM (VP8 + Opus), as they arrive.

Modelled on aiortc's ``MediaRecorder``, with one difference that decides whether a
recording is whole: the VP8 encoder runs with libvpx's real-time settings. With
MediaRecorder's defaults (libvpx's "good" deadline) encoding ran at ~40% of real time
on a two-core machine, the frames queued up, and a 10 s call left a 4 s file.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
from pathlib import Path
from typing import Any

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

__all__ = ["WebmWriter"]

log = logging.getLogger(__name__)

# libvpx: encode as fast as frames come (deadline 1 = realtime), light on the CPU.
_VP8 = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0", "b": "600k"}


class WebmWriter:
    """Write the tracks given to :meth:`start` to ``path`` until :meth:`stop`.

    The file is complete only after ``stop()`` returns (the container's index and
    cues are written last): write to a temporary name and move it into place then.
    """

    def __init__(self, path: Path) -> None:
        self._container: Any = av.open(str(path), mode="w", format="webm")
        self._tasks: list[asyncio.Task[None]] = []
        self._streams: list[Any] = []

    async def start(self, tracks: list[MediaStreamTrack]) -> None:
        """Add a stream per track and write from now on. Waits for the first video frame:
        its size is the stream's, and every codec opens when the first packet is muxed."""
        first_video: Any = None
        for track in sorted(tracks, key=lambda t: t.kind != "video"):
            if track.kind == "video":
                first_video = await asyncio.wait_for(track.recv(), 15)
                stream = self._container.add_stream("libvpx", rate=30)
                stream.pix_fmt = "yuv420p"
                stream.width, stream.height = first_video.width, first_video.height
                stream.codec_context.options = dict(_VP8)
                stream.codec_context.time_base = fractions.Fraction(1, 90000)
                task = self._run(track, stream, first_video)
            elif track.kind == "audio":
                stream = self._container.add_stream("libopus")
                task = self._run(track, stream, None)
            else:
                continue
            self._streams.append(stream)
            self._tasks.append(asyncio.get_running_loop().create_task(task))

    async def _run(self, track: MediaStreamTrack, stream: Any, first: Any) -> None:
        size = (stream.width, stream.height) if track.kind == "video" else None
        frame: Any = first
        while True:
            if frame is None:
                try:
                    frame = await track.recv()
                except MediaStreamError:  # the track ended: the peer left or closed
                    return
            if size is not None and (frame.width, frame.height) != size:
                # The sender changed quality (or the network made it): the file keeps one size.
                frame = frame.reformat(width=size[0], height=size[1])
            for packet in stream.encode(frame):
                self._container.mux(packet)
            frame = None

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:  # noqa: BLE001 - the file keeps what was written before
                log.exception("a track of a recording failed")
        for stream in self._streams:
            with contextlib.suppress(Exception):  # a stream that never got a frame has nothing to flush
                for packet in stream.encode(None):
                    self._container.mux(packet)
        self._container.close()
