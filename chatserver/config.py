"""The core's configuration, read from ``CHATSERVER_*`` environment variables in one place.

A feature reads its own variables into a section of its own (``Feature.config``: SMS's
sms/config.py, video's signaling/config.py), which :meth:`Config.section` hands out.
docs/configuration.md lists every variable, the core's and the features'; keep them in step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol, Self, TypeVar

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///chatserver.db"


class Section(Protocol):
    """A feature's settings (``Feature.config``): a frozen dataclass whose every field has
    a default, read from its own CHATSERVER_* variables."""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Self: ...


S = TypeVar("S", bound=Section)


def env_bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _send_batches(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= 16:
        raise ValueError("CHATSERVER_SEND_BATCHES must be a whole number from 1 to 16")
    return int(value)


def _synchronous(value: str) -> str:
    value = value.strip().lower() or "normal"
    if value not in ("normal", "full"):
        raise ValueError("CHATSERVER_SQLITE_SYNCHRONOUS must be normal or full")
    return value


@dataclass(frozen=True)
class Config:
    database_url: str = DEFAULT_DATABASE_URL
    # Empty: the in-process bus and presence (one process). Set: Redis, many nodes.
    redis_url: str = ""
    # Origins allowed to open /ws besides the server's own; "*" allows any.
    allowed_origins: tuple[str, ...] = ()
    max_frame_bytes: int = 64 * 1024
    max_message_chars: int = 4000
    # A REST body over this is refused (413) unread: by its Content-Length, or where a
    # chunked one crosses it (chatserver.body_limit).
    max_body_bytes: int = 16 * 1024 * 1024
    # Token bucket per connection: sustained rate and burst of client frames.
    rate_per_second: float = 20.0
    rate_burst: int = 60
    heartbeat_seconds: float = 20.0
    # How long a node's presence entries live in Redis without a heartbeat.
    node_ttl_seconds: float = 15.0
    # Frames waiting for a slow client before it is disconnected (it replays on reconnect).
    send_queue_limit: int = 2000
    # Requests one connection may have in flight (pipelined chat.send, docs/protocol.md);
    # at the limit the gateway stops reading that socket until one is answered.
    max_in_flight: int = 64
    # PostgreSQL: batches of sends stored at once, each on its own connection; a sender's
    # sends are never in two at once (docs/benchmarks.md, step 45). SQLite has one writer.
    send_batches: int = 2
    # SQLite's `synchronous` in WAL mode: "normal" (a commit survives the process
    # crashing; a power loss may take the last commits) or "full" (an fsync of the log
    # per commit; docs/configuration.md, "SQLite durability").
    sqlite_synchronous: str = "normal"
    # argon2's cost for new password hashes: "standard" is argon2-cffi's default (RFC 9106's
    # low-memory profile: 64 MiB, ~0.1-0.4 s of CPU a hash, on purpose). "cheapest" is for the
    # test suite, which creates and logs in thousands of users: it is never read from the
    # environment, so no deployment can choose it (chatserver.actions.login_guard.hasher).
    password_hashing: str = "standard"
    # How long a close frame may wait for a client that does not read before the
    # connection is dropped without it (gateway).
    close_timeout_seconds: float = 5.0
    # Connections reading what they missed (replay) at once. A reconnect storm queues here
    # instead of taking every database connection from sends and logins.
    catch_up_concurrency: int = 4
    # Durable events kept for replay; older gaps ask the client to resync from REST.
    event_retention_per_user: int = 10000
    token_ttl_hours: float = 24 * 14
    # A /ws ticket (POST /api/ws/ticket) opens one connection within this many seconds.
    ws_ticket_seconds: float = 30.0
    # /ws?token=: the token in the URL (deprecated: browsers use tickets, other clients the
    # Authorization header). Off: such a connection is closed with 4001.
    ws_query_token: bool = True
    # permessage-deflate on /ws when a client offers it (every browser does). Off by
    # default: a chat frame is a few hundred bytes, and each compressing connection keeps
    # a zlib compressor and decompressor for its whole life (docs/benchmarks.md, step 41).
    ws_compression: bool = False
    # Peers (addresses or networks) whose X-Forwarded-For is believed for a visitor's IP.
    trusted_proxies: tuple[str, ...] = ()
    # Token bucket per IP for new anonymous live-chat visitor sessions: room for a busy
    # office or a mobile carrier's shared address (100 new visitors a minute and more).
    visit_rate_per_minute: float = 150.0
    visit_burst: int = 200
    node_id: str = field(default_factory=lambda: os.urandom(4).hex())
    # /metrics answers a scrape with this bearer token, or straight from these addresses
    # or networks; with neither, nobody (chatserver.api.metrics).
    metrics_token: str = ""
    metrics_allow: tuple[str, ...] = ()
    # Where `chatserver sms-worker` answers /metrics (a hub answers on its own port); 0: nowhere.
    metrics_port: int = 0
    metrics_host: str = "127.0.0.1"
    # Log lines as "text" or one JSON object a line ("json"), with request and connection ids.
    log_format: str = "text"
    demo: bool = False
    create_schema: bool = True
    # Set by ``serve --demo``: this hub's own URL, for the demo's parts that call it as a
    # client (video's recorder, the links in the demo's mails).
    demo_hub_url: str = ""
    # E-mail (chatserver/mail.py): smtp://user:pass@host:587?starttls=1 or smtps://...;
    # empty keeps every mail in the local outbox (the demo shows it at /demo/mail).
    smtp_url: str = ""
    # The organisation's clock for texts such as an invitation's date (the .ics is in UTC).
    time_zone: str = "Europe/Amsterdam"
    mail_from: str = "chat@localhost"
    # Recordings (and later other uploaded media) live here, never served from it directly.
    media_dir: str = "media"
    # Signs short-lived links (a recording's file for a <video>, which cannot send a bearer
    # token). Empty: a random key per process, so a link works only on the node that gave
    # it: set the same value on every node behind one address.
    secret_key: str = ""
    # How long such a link works; the player asks for a fresh one when it runs out.
    media_link_seconds: int = 600
    # Files sent in chat and live chat (chatserver.files): the largest one, counted while
    # it streams in (the upload stops at the first byte over), and images' largest size in
    # pixels (a small file can unpack to a huge image).
    max_file_bytes: int = 10 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    # Webhooks (docs/webhooks.md): a failed delivery is tried again after this many
    # seconds, three times longer each time (10 s, 30 s, 90 s, ... capped at 6 h), 8 tries.
    webhook_backoff_seconds: float = 10.0
    # Deliveries to loopback, private or link-local addresses are refused (a key-user must
    # not reach the servers behind ours); on for the demo and tests, whose receivers are local.
    webhook_allow_private: bool = False
    # The features' own settings (Feature.config: SMS's, video's), by their type. A section
    # missing here is read from ``environ`` when asked (:meth:`section`); the composition
    # root reads every feature's once when it builds the services, so a bad value stops
    # the start.
    sections: Mapping[type, object] = field(default_factory=dict)
    # The CHATSERVER_* variables this config was read from (from_env); empty when built in
    # code, so a section missing here takes its defaults.
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)

    def section(self, kind: type[S]) -> S:
        """A feature's settings: those set here, else read from ``environ`` (defaults)."""
        found = self.sections.get(kind)
        return found if isinstance(found, kind) else kind.from_env(self.environ)

    def with_sections(self, *values: object) -> Config:
        """This config with these sections set (a test's: ``replace(cfg.section(X), ...)``)."""
        return replace(self, sections={**self.sections, **{type(v): v for v in values}})

    @classmethod
    def from_env(cls, **overrides: object) -> Config:
        env = os.environ
        values: dict[str, object] = {
            "database_url": env.get("CHATSERVER_DATABASE_URL") or DEFAULT_DATABASE_URL,
            "redis_url": env.get("CHATSERVER_REDIS_URL", ""),
            "allowed_origins": env_list(env.get("CHATSERVER_ALLOWED_ORIGINS")),
            "max_frame_bytes": int(env.get("CHATSERVER_MAX_FRAME_BYTES", 64 * 1024)),
            "max_body_bytes": int(env.get("CHATSERVER_MAX_BODY_BYTES", 16 * 1024 * 1024)),
            "rate_per_second": float(env.get("CHATSERVER_RATE_PER_SECOND", 20.0)),
            "rate_burst": int(env.get("CHATSERVER_RATE_BURST", 60)),
            "heartbeat_seconds": float(env.get("CHATSERVER_HEARTBEAT_SECONDS", 20.0)),
            "close_timeout_seconds": float(env.get("CHATSERVER_CLOSE_TIMEOUT_SECONDS", 5.0)),
            "node_ttl_seconds": float(env.get("CHATSERVER_NODE_TTL_SECONDS", 15.0)),
            "demo": env_bool(env.get("CHATSERVER_DEMO"), False),
            "trusted_proxies": env_list(env.get("CHATSERVER_TRUSTED_PROXIES")),
            "visit_rate_per_minute": float(env.get("CHATSERVER_VISIT_RATE_PER_MINUTE", 150.0)),
            "visit_burst": int(env.get("CHATSERVER_VISIT_BURST", 200)),
            "catch_up_concurrency": int(env.get("CHATSERVER_CATCH_UP_CONCURRENCY", 4)),
            "max_in_flight": int(env.get("CHATSERVER_MAX_IN_FLIGHT", 64)),
            "send_batches": _send_batches(env.get("CHATSERVER_SEND_BATCHES", "2")),
            "sqlite_synchronous": _synchronous(env.get("CHATSERVER_SQLITE_SYNCHRONOUS", "normal")),
            "token_ttl_hours": float(env.get("CHATSERVER_TOKEN_TTL_HOURS", 24 * 14)),
            "ws_ticket_seconds": float(env.get("CHATSERVER_WS_TICKET_SECONDS", 30.0)),
            "ws_query_token": env_bool(env.get("CHATSERVER_WS_QUERY_TOKEN"), True),
            "ws_compression": env_bool(env.get("CHATSERVER_WS_COMPRESSION"), False),
            "media_dir": env.get("CHATSERVER_MEDIA_DIR", "media"),
            "secret_key": env.get("CHATSERVER_SECRET_KEY", ""),
            "media_link_seconds": int(env.get("CHATSERVER_MEDIA_LINK_SECONDS", 600)),
            "max_file_bytes": int(env.get("CHATSERVER_MAX_FILE_BYTES", 10 * 1024 * 1024)),
            "max_image_pixels": int(env.get("CHATSERVER_MAX_IMAGE_PIXELS", 40_000_000)),
            "smtp_url": env.get("CHATSERVER_SMTP_URL", ""),
            "mail_from": env.get("CHATSERVER_MAIL_FROM", "chat@localhost"),
            "time_zone": env.get("CHATSERVER_TIME_ZONE", "Europe/Amsterdam"),
            "metrics_token": env.get("CHATSERVER_METRICS_TOKEN", ""),
            "metrics_allow": env_list(env.get("CHATSERVER_METRICS_ALLOW")),
            "metrics_port": int(env.get("CHATSERVER_METRICS_PORT") or 0),
            "metrics_host": env.get("CHATSERVER_METRICS_HOST") or "127.0.0.1",
            "log_format": (env.get("CHATSERVER_LOG_FORMAT") or "text").strip().lower(),
            "webhook_backoff_seconds": float(env.get("CHATSERVER_WEBHOOK_BACKOFF_SECONDS", 10.0)),
            "webhook_allow_private": env_bool(env.get("CHATSERVER_WEBHOOK_ALLOW_PRIVATE"), False),
            "environ": {k: v for k, v in env.items() if k.startswith("CHATSERVER_")},
        }
        if env.get("CHATSERVER_NODE_ID"):
            values["node_id"] = env["CHATSERVER_NODE_ID"]
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

