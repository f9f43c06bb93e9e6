"""All configuration, read from ``CHATSERVER_*`` environment variables in one place.

docs/configuration.md lists every variable; keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///chatserver.db"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Config:
    database_url: str = DEFAULT_DATABASE_URL
    # Empty: the in-process bus and presence (one process). Set: Redis, many nodes.
    redis_url: str = ""
    # Origins allowed to open /ws besides the server's own; "*" allows any.
    allowed_origins: tuple[str, ...] = ()
    max_frame_bytes: int = 64 * 1024
    max_message_chars: int = 4000
    # Token bucket per connection: sustained rate and burst of client frames.
    rate_per_second: float = 20.0
    rate_burst: int = 60
    heartbeat_seconds: float = 20.0
    # How long a node's presence entries live in Redis without a heartbeat.
    node_ttl_seconds: float = 15.0
    # Frames waiting for a slow client before it is disconnected (it replays on reconnect).
    send_queue_limit: int = 2000
    # Durable events kept for replay; older gaps ask the client to resync from REST.
    event_retention_per_user: int = 10000
    token_ttl_hours: int = 24 * 14
    # Peers (addresses or networks) whose X-Forwarded-For is believed for a visitor's IP.
    trusted_proxies: tuple[str, ...] = ()
    # Token bucket per IP for new anonymous live-chat visitor sessions.
    visit_rate_per_minute: float = 10.0
    visit_burst: int = 20
    node_id: str = field(default_factory=lambda: os.urandom(4).hex())
    demo: bool = False
    create_schema: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> Config:
        env = os.environ
        values: dict[str, object] = {
            "database_url": env.get("CHATSERVER_DATABASE_URL") or DEFAULT_DATABASE_URL,
            "redis_url": env.get("CHATSERVER_REDIS_URL", ""),
            "allowed_origins": _list(env.get("CHATSERVER_ALLOWED_ORIGINS")),
            "max_frame_bytes": int(env.get("CHATSERVER_MAX_FRAME_BYTES", 64 * 1024)),
            "rate_per_second": float(env.get("CHATSERVER_RATE_PER_SECOND", 20.0)),
            "rate_burst": int(env.get("CHATSERVER_RATE_BURST", 60)),
            "heartbeat_seconds": float(env.get("CHATSERVER_HEARTBEAT_SECONDS", 20.0)),
            "node_ttl_seconds": float(env.get("CHATSERVER_NODE_TTL_SECONDS", 15.0)),
            "demo": _bool(env.get("CHATSERVER_DEMO"), False),
            "trusted_proxies": _list(env.get("CHATSERVER_TRUSTED_PROXIES")),
            "visit_rate_per_minute": float(env.get("CHATSERVER_VISIT_RATE_PER_MINUTE", 10.0)),
            "visit_burst": int(env.get("CHATSERVER_VISIT_BURST", 20)),
        }
        if env.get("CHATSERVER_NODE_ID"):
            values["node_id"] = env["CHATSERVER_NODE_ID"]
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
