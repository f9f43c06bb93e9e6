"""The schema, as SQLAlchemy 2 declarative models. Alembic migrations are generated from it.

Ids are integers; a request naming an id of another tenant is answered 404 by the
storage layer, which always filters by tenant.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


BigId = BigInteger().with_variant(Integer, "sqlite")


class Tenant(Base):
    __tablename__ = "tenants"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Users who are not colleagues: a website visitor (live chat), a video call's guest, the
# video recorder's own user. None is ever found, listed, messaged or counted as a colleague.
ANONYMOUS_ROLES = ("visitor", "guest", "recorder")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "username"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(120))
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    function: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20), default="user")  # user | key_user
    password_hash: Mapped[str] = mapped_column(String(200))
    # The status the user chose (IC-5); what others see is derived in presence.
    status: Mapped[str] = mapped_column(String(20), default="online")
    # Durable event stream (see storage/events.py): last sequence number and its epoch.
    event_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    event_epoch: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Token(Base):
    __tablename__ = "tokens"
    # sha256 of the bearer token: a database leak does not leak usable tokens.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class WsTicket(Base):
    """A one-use ticket that opens one /ws connection for a token (docs/security.md): a
    browser puts it in the URL instead of its long-lived token. Kept in the database that
    every node shares, so a ticket minted on one node opens a socket on another."""

    __tablename__ = "ws_tickets"
    # sha256 of the ticket, as for tokens: a database leak holds no usable ticket.
    ticket_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The token it stands for: the socket closes with that token (revoked, expired).
    token_hash: Mapped[str] = mapped_column(ForeignKey("tokens.token_hash", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Set by the one redemption; kept (until purged) so a second one is told "already used".
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SettingValue(Base):
    __tablename__ = "setting_values"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "name"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    # NULL: the tenant's value; set: that user's override.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(JSON)


class ContactRequest(Base):
    """A contact request; an accepted one is the contact relation itself (symmetric)."""

    __tablename__ = "contact_requests"
    __table_args__ = (UniqueConstraint("from_user_id", "to_user_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # pending | accepted | declined | blocked
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Conversation(Base):
    """A one-to-one conversation; ``user_low_id < user_high_id`` makes the pair unique."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("user_low_id", "user_high_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_low_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_high_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ConversationMember(Base):
    __tablename__ = "conversation_members"
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    last_read_message_id: Mapped[int] = mapped_column(BigInteger, default=0)
    # The newest message of the other party that reached one of this user's connections
    # (the client says so with chat.delivered; reading implies it): the sender's second tick.
    last_delivered_message_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    unread_count: Mapped[int] = mapped_column(Integer, default=0)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # A client retrying a send after a lost ack must not store it twice.
        UniqueConstraint("sender_id", "client_msg_id"),
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # No foreign keys on the conversation and the sender, nor on user_events.user_id: these
    # are the rows every send writes (one message, two events), and on PostgreSQL each key
    # is a trigger that looks up and locks its row per row written, ~20 us of the database's
    # CPU per message (docs/benchmarks.md, step 46). A send checks both in the same
    # transaction before it writes; a user is deleted only by accounts.delete_users, which
    # deletes these rows itself (what ON DELETE CASCADE did).
    conversation_id: Mapped[int] = mapped_column(BigId)
    sender_id: Mapped[int] = mapped_column(BigId)
    client_msg_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(300), default="")
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "text" (what clients send) or "call" (the server's note of a video call, VC-1): the
    # app renders a kind from ``meta`` in its user's language; ``body`` is the fallback.
    kind: Mapped[str] = mapped_column(String(16), default="text", server_default="text")
    meta: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)


class UserEvent(Base):
    """One durable event in a user's stream, replayed to a reconnecting client by ``seq``."""

    __tablename__ = "user_events"
    __table_args__ = (UniqueConstraint("user_id", "seq"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId)  # no foreign key: see Message
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(60))
    data: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- Directory and records (AC-4) -------------------------------------------------------


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Folder(Base):
    __tablename__ = "folders"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Person(Base):
    """A candidate or a contact person (colleagues are users)."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # candidate | contact_person
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    mobile: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True
    )
    folder_id: Mapped[int | None] = mapped_column(ForeignKey("folders.id", ondelete="SET NULL"), nullable=True)
    external_ref: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Group(Base):
    __tablename__ = "groups"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupMember(Base):
    __tablename__ = "group_members"
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)


class Record(Base):
    """A dossier: candidate, contact person, vacancy, ... with a timeline."""

    __tablename__ = "records"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TimelineEntry(Base):
    __tablename__ = "timeline_entries"
    __table_args__ = (Index("ix_timeline_record_created", "record_id", "created_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # chat | sms | video (a call) | appointment | recording | note
    summary: Mapped[str] = mapped_column(Text)
    ref_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
