"""SMS tables (SM-1..SM-17), on the shared :class:`Base`; shapes agreed in docs/sms.md.

``sms_messages`` and ``sms_recipients`` (the outbox) are the seam with the dispatcher
(``sms/dispatcher.py``, ``sms/actions/outbox.py``): keep their columns as the contract
names them. Every table carries ``tenant_id`` (directly, or through its parent for
member rows) so storage filters by it and answers NotFound for another tenant's ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chatserver.db.models import Base, BigId, UTCDateTime

MESSAGE_STATUSES = ("awaiting_approval", "scheduled", "sending", "sent", "failed", "cancelled")
RECIPIENT_STATES = ("skipped", "pending", "submitting", "submitted", "delivered", "failed", "unknown")


class SmsMessage(Base):
    __tablename__ = "sms_messages"
    __table_args__ = (
        Index("ix_sms_messages_tenant_status", "tenant_id", "status"),
        Index("ix_sms_messages_status_send_at", "status", "send_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="")  # internal, never sent (SM-6)
    body: Mapped[str] = mapped_column(Text)
    originator: Mapped[str] = mapped_column(String(20))
    sender_kind: Mapped[str] = mapped_column(String(20))  # default | own_number
    encoding: Mapped[str] = mapped_column(String(10))  # gsm7 | ucs2
    parts: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # null: as soon as possible
    status: Mapped[str] = mapped_column(String(20))
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The selections as the author made them; resolved into people at release (SM-16).
    selection: Mapped[Any] = mapped_column(JSON)
    # Only persons subscribed (and not opted out) to this list receive it (seed 002).
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_subscriptions.id", ondelete="SET NULL"), nullable=True
    )
    # Resolvable recipients counted at compose/edit time: the recipient limit and the preview.
    recipients_planned: Mapped[int] = mapped_column(Integer, default=0)
    recipients_sent: Mapped[int] = mapped_column(Integer, default=0)
    credits_charged: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsRecipient(Base):
    """One person considered at release: the outbox row when included, the why when not."""

    __tablename__ = "sms_recipients"
    __table_args__ = (
        Index("ix_sms_recipients_state_next", "state", "next_attempt_at"),
        Index("ix_sms_recipients_message", "message_id", "id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(ForeignKey("sms_messages.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str | None] = mapped_column(String(20), nullable=True)  # E.164
    raw_number: Mapped[str] = mapped_column(String(64), default="")
    included: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reason_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # 32 hex characters, the idempotency key the gateway gets and reports back.
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    gateway: Mapped[str | None] = mapped_column(String(40), nullable=True)
    provider_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsGroup(Base):
    """An SMS group (SM-11): a named list of custom numbers, colleagues and persons."""

    __tablename__ = "sms_groups"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsGroupMember(Base):
    __tablename__ = "sms_group_members"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("sms_groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # custom | user | person
    name: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str] = mapped_column(String(64), default="")  # custom: E.164 as validated
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsSubscription(Base):
    """An opt-in list; a message naming one reaches only its subscribed persons."""

    __tablename__ = "sms_subscriptions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsSubscriptionMember(Base):
    __tablename__ = "sms_subscription_members"
    __table_args__ = (UniqueConstraint("subscription_id", "person_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("sms_subscriptions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Kept, not deleted, so "why did X not receive" can say when they opted out.
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SmsDynamicGroup(Base):
    """Rules over directory fields, evaluated when a message is released (SM-14, SM-16)."""

    __tablename__ = "sms_dynamic_groups"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    rules: Mapped[Any] = mapped_column(JSON)  # [{"field", "op", "value"}], all must hold
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsCreditBalance(Base):
    """The tenant's current balance: one row updated in place, so concurrent charges serialise on it."""

    __tablename__ = "sms_credit_balances"
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)


class SmsCreditEntry(Base):
    """One change of a tenant's balance (SM-17): a top-up or a message's charge."""

    __tablename__ = "sms_credit_ledger"
    __table_args__ = (Index("ix_sms_credit_ledger_tenant_id", "tenant_id", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    delta: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(20))  # top_up | message
    note: Mapped[str] = mapped_column(String(300), default="")
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_messages.id", ondelete="SET NULL"), nullable=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsMessageRecord(Base):
    """A message related to a record (SM-10); it then shows in the record's timeline."""

    __tablename__ = "sms_message_records"
    message_id: Mapped[int] = mapped_column(ForeignKey("sms_messages.id", ondelete="CASCADE"), primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsSavedFilter(Base):
    """A user's saved search of the SMS list, with the columns they chose (SM-9)."""

    __tablename__ = "sms_saved_filters"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[Any] = mapped_column(JSON)
    columns: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
