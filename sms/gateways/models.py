"""The embedded SMS gateway's own table (GATEWAYS), on the shared :class:`Base`.

The embedded gateway "sends" by writing here, so the demo and the tests need no
provider account. It is a provider's log, not part of the outbox: a row means "the
gateway has this message", which is what lets it answer a lookup after the dispatcher
was killed mid-call, and it carries its own delivery report schedule so a report
promised before a restart is still made after it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chatserver.db.models import Base, BigId, UTCDateTime


class SmsGatewayLog(Base):
    __tablename__ = "sms_gateway_log"
    __table_args__ = (Index("ix_sms_gateway_log_report_due", "reported_at", "report_due_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Unique: a repeated submit of the same reference is recognised, never recorded twice.
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    provider_id: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(20))
    originator: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    encoding: Mapped[str] = mapped_column(String(10))
    # Times the same reference was submitted again (and recognised).
    repeats: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    report_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
