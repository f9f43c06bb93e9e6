"""Video's settings (docs/video.md, docs/configuration.md "Video"), read from its own variables.

A section of the core's config (``Feature.config``): ``svc.config.section(VideoConfig)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self

from chatserver.config import env_list

__all__ = ["VideoConfig"]


@dataclass(frozen=True)
class VideoConfig:
    # ICE servers handed to a room's members when they join.
    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    # coturn's static-auth-secret (use-auth-secret): TURN credentials are derived from it.
    turn_secret: str = ""
    # People in one room: media is a mesh, each sends to every other (docs/video.md).
    room_cap: int = 6
    # A chat call rings this long; unanswered, the conversation notes a missed call (VC-1).
    ring_seconds: float = 30.0
    # How long a room's link works after it was made (a planned one: after its end).
    room_ttl_hours: float = 24.0
    # Signals (offers, answers, candidates) per second a member may send; burst on top.
    signal_rate: float = 50.0
    signal_burst: int = 200

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Self:
        """The ICE servers and the room cap; the others are the code's (no variable)."""
        return cls(
            stun_urls=env_list(env.get("CHATSERVER_STUN_URLS")),
            turn_urls=env_list(env.get("CHATSERVER_TURN_URLS")),
            turn_secret=env.get("CHATSERVER_TURN_SECRET", ""),
            room_cap=int(env.get("CHATSERVER_VIDEO_ROOM_CAP", 6)),
        )
