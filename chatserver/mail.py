"""Sending e-mail: through SMTP (``CHATSERVER_SMTP_URL``), or into the local outbox.

With no SMTP server configured (the demo, a developer's machine) a mail is kept in the
``mail_outbox`` table instead, whole (the raw message, attachments included), and the
demo shows it at ``/demo/mail``: every flow that sends mail can be followed without an
account anywhere. Video invitations (docs/video.md) send through here; so will live
chat's transcripts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from chatserver.config import Config
from chatserver.db.models import Base, BigId, UTCDateTime
from chatserver.errors import ChatError
from chatserver.mail_address import check_address

__all__ = ["Attachment", "Mail", "MailFailed", "OutboxMail", "check_address", "compose", "deliver", "outbox"]

log = logging.getLogger(__name__)

class MailFailed(ChatError):
    status = 502
    code = "mail_failed"


class OutboxMail(Base):
    """A mail kept instead of sent (no SMTP server configured)."""

    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), nullable=True,
                                                  index=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)  # the whole message as sent over SMTP
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)


def compose(config: Config, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=config.mail_from.rpartition("@")[2] or "localhost")
    message.set_content(mail.body)
    for item in mail.attachments:
        main, _, rest = item.content_type.partition("/")
        subtype, _, params = rest.partition(";")
        extra = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
        message.add_attachment(item.data, maintype=main, subtype=subtype.strip(), filename=item.filename,
                               params=extra)
    return message


async def deliver(config: Config, s: AsyncSession, mail: Mail, *, tenant_id: int | None, now: datetime) -> str:
    """Send ``mail`` (or keep it in the outbox); "sent" or "outbox". Raises MailFailed."""
    message = compose(config, mail)
    if not config.smtp_url:
        s.add(OutboxMail(tenant_id=tenant_id, to=mail.to, subject=mail.subject, body=mail.body,
                         raw=message.as_string(), created_at=now))
        await s.flush()
        return "outbox"
    import aiosmtplib

    url = urlsplit(config.smtp_url)
    secure = url.scheme == "smtps"
    try:
        await aiosmtplib.send(
            message, hostname=url.hostname or "localhost", port=url.port or (465 if secure else 25),
            username=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            use_tls=secure, start_tls="starttls=1" in (url.query or "") or None, timeout=15,
        )
    except (aiosmtplib.SMTPException, OSError) as exc:
        # The server's host only: the URL may hold a password.
        log.warning("mail to %s through %s failed: %s", mail.to, url.hostname, type(exc).__name__)
        raise MailFailed("the e-mail could not be sent; try again later") from None
    return "sent"


async def outbox(s: AsyncSession, limit: int = 50) -> list[OutboxMail]:
    rows = await s.execute(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit))
    return list(rows.scalars())
