"""A file sent in a conversation: who sent it where, what it is, and where it is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from chatserver.db.models import Base, BigId, UTCDateTime

__all__ = ["SentFile"]


class SentFile(Base):
    """One file in one conversation: a colleague chat's (``conversation_id``) or a live
    chat's (``livechat_conversation_id``), never both; neither until the transaction that
    stores its message. Deleting the conversation (a visitor erased, GDPR) deletes the
    row; the bytes on disk are deleted by whoever deletes it
    (:mod:`chatserver.files.actions`)."""

    __tablename__ = "files"
    # Never in two conversations at once (migration 0701); which one is set when the
    # message that carries it is stored (chatserver.files.storage.attach_query).
    __table_args__ = (CheckConstraint("conversation_id IS NULL OR livechat_conversation_id IS NULL",
                                      name="ck_files_one_conversation"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    livechat_conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("livechat_conversations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(100))  # as served (chatserver.files.rules)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))  # of the bytes kept (an image: re-encoded)
    storage_key: Mapped[str] = mapped_column(String(200))  # under <media_dir>/files/
    image: Mapped[bool] = mapped_column(Boolean, default=False)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    thumb_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
