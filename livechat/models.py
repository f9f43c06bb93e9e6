"""Live chat tables (LC-1..LC-11), on the shared :class:`Base`.

A visitor is a ``users`` row with ``role = "visitor"``; ``livechat_visitors`` holds the
site and what was captured about them. Every table carries ``tenant_id`` so storage can
filter by it and answer NotFound for another tenant's ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chatserver.db.models import Base, BigId, UTCDateTime


class Site(Base):
    """A web site of a tenant where the widget runs; only its origins may start visits."""

    __tablename__ = "livechat_sites"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    origins: Mapped[Any] = mapped_column(JSON)  # ["https://www.example.nl", ...]
    greeting: Mapped[Any] = mapped_column(JSON)  # {"nl": "...", "en": "..."}
    # Business hours (livechat.hours); null: always open.
    hours: Mapped[Any] = mapped_column(JSON, nullable=True)
    # Pre-chat form and proactive messages (livechat.prechat); null: off.
    prechat: Mapped[Any] = mapped_column(JSON, nullable=True)
    proactive: Mapped[Any] = mapped_column(JSON, nullable=True)
    # The widget's colour, side, launcher text and default language (livechat.look).
    look: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Visitor(Base):
    """The live-chat side of a visitor user: its site, details an operator set, what was captured."""

    __tablename__ = "livechat_visitors"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("livechat_sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Name, e-mail and phone that an operator entered win over what the visitor types
    # later (a left message); the visitor's differing values are kept as suggestions.
    operator_fields: Mapped[Any] = mapped_column(JSON, nullable=True)  # ["name", "email"]
    suggested: Mapped[Any] = mapped_column(JSON, nullable=True)  # {"name": "..."}
    browser: Mapped[str] = mapped_column(String(80), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    referrer: Mapped[str] = mapped_column(String(2000), default="")
    user_agent: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LiveConversation(Base):
    """One visitor's conversation: incoming, active (with an operator) or resolved.

    ``opened_at`` is when it last became open (created or reopened); resolution and first
    response times (LC-9) are measured from it.
    """

    __tablename__ = "livechat_conversations"
    __table_args__ = (Index("ix_livechat_conversations_tenant_state", "tenant_id", "state"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("livechat_sites.id", ondelete="CASCADE"))
    visitor_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20))  # incoming | active | resolved
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_s: Mapped[float | None] = mapped_column(nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Visitor messages the operators have not opened yet.
    unread: Mapped[int] = mapped_column(Integer, default=0)


class LiveMessage(Base):
    __tablename__ = "livechat_messages"
    __table_args__ = (
        UniqueConstraint("sender_user_id", "client_msg_id"),
        Index("ix_livechat_messages_conversation_id_id", "conversation_id", "id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("livechat_conversations.id", ondelete="CASCADE"))
    sender: Mapped[str] = mapped_column(String(20))  # visitor | operator | system
    sender_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    client_msg_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "file": ``meta`` describes a sent file (chatserver.files); ``body`` is its name.
    kind: Mapped[str] = mapped_column(String(16), default="text", server_default="text")
    meta: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)


class OperatorAvailability(Base):
    """An operator's own online/offline choice (LC-3); ``last_assigned_at`` drives round robin."""

    __tablename__ = "livechat_availability"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    assigned_count: Mapped[int] = mapped_column(BigInteger, default=0)


class CannedResponse(Base):
    """A reply an operator inserts by typing ``/shortcut``: the organisation's
    (``owner_id`` null, kept by key-users) or one operator's own (only theirs to see)."""

    __tablename__ = "livechat_canned"
    __table_args__ = (Index("ix_livechat_canned_tenant_owner", "tenant_id", "owner_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    shortcut: Mapped[str] = mapped_column(String(40))  # lower case, without the slash
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LiveNote(Base):
    """An operator's private note in a conversation: operators see it, the visitor never
    does (a table apart from the messages, so no visitor path can pick one up)."""

    __tablename__ = "livechat_notes"
    __table_args__ = (UniqueConstraint("author_id", "client_msg_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("livechat_conversations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    client_msg_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Label(Base):
    """One of the organisation's labels for conversations, with its colour (``#rrggbb``)."""

    __tablename__ = "livechat_labels"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConversationLabel(Base):
    """A label on a conversation."""

    __tablename__ = "livechat_conversation_labels"
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("livechat_conversations.id", ondelete="CASCADE"), primary_key=True
    )
    label_id: Mapped[int] = mapped_column(ForeignKey("livechat_labels.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)


class LiveRating(Base):
    """A visitor's rating of a resolved chat (CSAT): a score of 1 to 5 and an optional
    comment. One per resolution: a chat reopened and resolved again may be rated again."""

    __tablename__ = "livechat_ratings"
    __table_args__ = (Index("ix_livechat_ratings_tenant_created", "tenant_id", "created_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("livechat_conversations.id", ondelete="CASCADE"), index=True
    )
    # The operator who had the chat when it was rated (reports per operator).
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TranscriptSend(Base):
    """A transcript mailed to a visitor at their request: the hourly limit per conversation
    counts these rows, so every node counts the same sends (livechat.storage.transcript_sends)."""

    __tablename__ = "livechat_transcript_sends"
    __table_args__ = (Index("ix_livechat_transcript_sends_conversation_sent", "conversation_id", "sent_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("livechat_conversations.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LiveOpening(Base):
    """One opening of a conversation: from its creation or reopening to its resolution, and
    the operator who had it then. Reports count every opening (a conversation's own row
    keeps only its latest ``opened_at`` and ``resolved_at``)."""

    __tablename__ = "livechat_openings"
    __table_args__ = (
        Index("ix_livechat_openings_tenant_opened", "tenant_id", "opened_at"),
        Index("ix_livechat_openings_tenant_resolved", "tenant_id", "resolved_at"),
        Index("ix_livechat_openings_conversation", "conversation_id", "opened_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("livechat_conversations.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
