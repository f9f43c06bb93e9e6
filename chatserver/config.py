"""All configuration, read from ``CHATSERVER_*`` environment variables in one place.

docs/configuration.md lists every variable; keep the two in step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
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
    # SMS dispatch (docs/configuration.md, "SMS gateways"): which gateway sends, and
    # whether this hub runs the dispatcher itself or leaves it to `chatserver sms-worker`.
    sms_gateway: str = "embedded"  # embedded | spryng | smpp
    sms_worker: str = "embedded"  # embedded | off
    # Submits per second; 0 takes the gateway's own default.
    sms_rate_per_second: float = 0.0
    sms_concurrency: int = 8
    # Seconds between looks at the outbox when nothing woke the dispatcher.
    sms_poll_seconds: float = 1.0
    # A row left 'submitting' this long belongs to a dispatcher that died mid-call.
    sms_stale_seconds: float = 120.0
    # An 'unknown' row (no answer from the provider) is looked up at the provider this
    # often, and fails as "no word from the provider" once it has been unknown this long.
    sms_unknown_poll_seconds: float = 300.0
    sms_unknown_expire_seconds: float = 48 * 3600.0
    # Delivery report callbacks must carry this secret in their URL; empty refuses them all.
    sms_report_secret: str = ""
    # The embedded gateway reports 'delivered' this many seconds after a submit.
    sms_embedded_report_seconds: float = 1.0
    spryng_url: str = "https://rest.spryngsms.com/v1"
    spryng_token: str = ""
    spryng_route: str = "business"
    smpp_host: str = "127.0.0.1"
    smpp_port: int = 2775
    smpp_system_id: str = ""
    smpp_password: str = ""
    smpp_system_type: str = ""
    # How a text longer than one SMS goes: "udh" (concatenated parts) or "payload" (message_payload TLV).
    smpp_long: str = "udh"
    # Video (docs/video.md): ICE servers handed to a room's members when they join.
    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    # coturn's static-auth-secret (use-auth-secret): TURN credentials are derived from it.
    turn_secret: str = ""
    # People in one room: media is a mesh, each sends to every other (docs/video.md).
    video_room_cap: int = 6
    # A chat call rings this long; unanswered, the conversation notes a missed call (VC-1).
    video_ring_seconds: float = 30.0
    # How long a room's link works after it was made (a planned one: after its end).
    video_room_ttl_hours: float = 24.0
    # Signals (offers, answers, candidates) per second a member may send; burst on top.
    video_signal_rate: float = 50.0
    video_signal_burst: int = 200
    # E-mail (chatserver/mail.py): smtp://user:pass@host:587?starttls=1 or smtps://...;
    # empty keeps every mail in the local outbox (the demo shows it at /demo/mail).
    smtp_url: str = ""
    # The organisation's clock for texts such as an invitation's date (the .ics is in UTC).
    time_zone: str = "Europe/Amsterdam"
    mail_from: str = "chat@localhost"
    # Set (serve --demo): this process starts `chatserver video-recorder` against this
    # hub URL and stops it when it stops. Production runs the recorder from the Procfile.
    video_recorder_hub: str = ""
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

    @classmethod
    def from_env(cls, **overrides: object) -> Config:
        env = os.environ
        values: dict[str, object] = {
            "database_url": env.get("CHATSERVER_DATABASE_URL") or DEFAULT_DATABASE_URL,
            "redis_url": env.get("CHATSERVER_REDIS_URL", ""),
            "allowed_origins": _list(env.get("CHATSERVER_ALLOWED_ORIGINS")),
            "max_frame_bytes": int(env.get("CHATSERVER_MAX_FRAME_BYTES", 64 * 1024)),
            "max_body_bytes": int(env.get("CHATSERVER_MAX_BODY_BYTES", 16 * 1024 * 1024)),
            "rate_per_second": float(env.get("CHATSERVER_RATE_PER_SECOND", 20.0)),
            "rate_burst": int(env.get("CHATSERVER_RATE_BURST", 60)),
            "heartbeat_seconds": float(env.get("CHATSERVER_HEARTBEAT_SECONDS", 20.0)),
            "close_timeout_seconds": float(env.get("CHATSERVER_CLOSE_TIMEOUT_SECONDS", 5.0)),
            "node_ttl_seconds": float(env.get("CHATSERVER_NODE_TTL_SECONDS", 15.0)),
            "demo": _bool(env.get("CHATSERVER_DEMO"), False),
            "trusted_proxies": _list(env.get("CHATSERVER_TRUSTED_PROXIES")),
            "visit_rate_per_minute": float(env.get("CHATSERVER_VISIT_RATE_PER_MINUTE", 150.0)),
            "visit_burst": int(env.get("CHATSERVER_VISIT_BURST", 200)),
            "catch_up_concurrency": int(env.get("CHATSERVER_CATCH_UP_CONCURRENCY", 4)),
            "max_in_flight": int(env.get("CHATSERVER_MAX_IN_FLIGHT", 64)),
            "sqlite_synchronous": _synchronous(env.get("CHATSERVER_SQLITE_SYNCHRONOUS", "normal")),
            "token_ttl_hours": float(env.get("CHATSERVER_TOKEN_TTL_HOURS", 24 * 14)),
            "ws_ticket_seconds": float(env.get("CHATSERVER_WS_TICKET_SECONDS", 30.0)),
            "ws_query_token": _bool(env.get("CHATSERVER_WS_QUERY_TOKEN"), True),
            "stun_urls": _list(env.get("CHATSERVER_STUN_URLS")),
            "turn_urls": _list(env.get("CHATSERVER_TURN_URLS")),
            "turn_secret": env.get("CHATSERVER_TURN_SECRET", ""),
            "video_room_cap": int(env.get("CHATSERVER_VIDEO_ROOM_CAP", 6)),
            "media_dir": env.get("CHATSERVER_MEDIA_DIR", "media"),
            "secret_key": env.get("CHATSERVER_SECRET_KEY", ""),
            "media_link_seconds": int(env.get("CHATSERVER_MEDIA_LINK_SECONDS", 600)),
            "max_file_bytes": int(env.get("CHATSERVER_MAX_FILE_BYTES", 10 * 1024 * 1024)),
            "max_image_pixels": int(env.get("CHATSERVER_MAX_IMAGE_PIXELS", 40_000_000)),
            "smtp_url": env.get("CHATSERVER_SMTP_URL", ""),
            "mail_from": env.get("CHATSERVER_MAIL_FROM", "chat@localhost"),
            "time_zone": env.get("CHATSERVER_TIME_ZONE", "Europe/Amsterdam"),
            "metrics_token": env.get("CHATSERVER_METRICS_TOKEN", ""),
            "metrics_allow": _list(env.get("CHATSERVER_METRICS_ALLOW")),
            "metrics_port": int(env.get("CHATSERVER_METRICS_PORT") or 0),
            "metrics_host": env.get("CHATSERVER_METRICS_HOST") or "127.0.0.1",
            "log_format": (env.get("CHATSERVER_LOG_FORMAT") or "text").strip().lower(),
            "webhook_backoff_seconds": float(env.get("CHATSERVER_WEBHOOK_BACKOFF_SECONDS", 10.0)),
            "webhook_allow_private": _bool(env.get("CHATSERVER_WEBHOOK_ALLOW_PRIVATE"), False),
            **_sms_from_env(env),
        }
        if env.get("CHATSERVER_NODE_ID"):
            values["node_id"] = env["CHATSERVER_NODE_ID"]
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def _sms_from_env(env: Mapping[str, str]) -> dict[str, object]:
    """The SMS gateway and dispatcher variables; unset ones keep the dataclass defaults."""
    spec: dict[str, tuple[str, type]] = {
        "CHATSERVER_SMS_GATEWAY": ("sms_gateway", str),
        "CHATSERVER_SMS_WORKER": ("sms_worker", str),
        "CHATSERVER_SMS_RATE_PER_SECOND": ("sms_rate_per_second", float),
        "CHATSERVER_SMS_CONCURRENCY": ("sms_concurrency", int),
        "CHATSERVER_SMS_POLL_SECONDS": ("sms_poll_seconds", float),
        "CHATSERVER_SMS_STALE_SECONDS": ("sms_stale_seconds", float),
        "CHATSERVER_SMS_UNKNOWN_POLL_SECONDS": ("sms_unknown_poll_seconds", float),
        "CHATSERVER_SMS_UNKNOWN_EXPIRE_SECONDS": ("sms_unknown_expire_seconds", float),
        "CHATSERVER_SMS_REPORT_SECRET": ("sms_report_secret", str),
        "CHATSERVER_SMS_EMBEDDED_REPORT_SECONDS": ("sms_embedded_report_seconds", float),
        "CHATSERVER_SPRYNG_URL": ("spryng_url", str),
        "CHATSERVER_SPRYNG_TOKEN": ("spryng_token", str),
        "CHATSERVER_SPRYNG_ROUTE": ("spryng_route", str),
        "CHATSERVER_SMPP_HOST": ("smpp_host", str),
        "CHATSERVER_SMPP_PORT": ("smpp_port", int),
        "CHATSERVER_SMPP_SYSTEM_ID": ("smpp_system_id", str),
        "CHATSERVER_SMPP_PASSWORD": ("smpp_password", str),
        "CHATSERVER_SMPP_SYSTEM_TYPE": ("smpp_system_type", str),
        "CHATSERVER_SMPP_LONG": ("smpp_long", str),
    }
    values: dict[str, object] = {}
    for var, (name, kind) in spec.items():
        raw = env.get(var)
        if raw is not None and raw != "":
            values[name] = kind(raw.strip()) if kind is str else kind(raw)
    if values.get("sms_gateway", "embedded") not in ("embedded", "spryng", "smpp"):
        raise ValueError("CHATSERVER_SMS_GATEWAY must be embedded, spryng or smpp")
    if values.get("sms_worker", "embedded") not in ("embedded", "off"):
        raise ValueError("CHATSERVER_SMS_WORKER must be embedded or off")
    return values
