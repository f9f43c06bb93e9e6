"""The SQL of sent files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.prepared import Prepared, Query
from chatserver.errors import Conflict, NotFound
from chatserver.files.models import SentFile

__all__ = ["Place", "add", "attach_query", "file_dict", "get", "of_livechat", "remove"]

# Where a file is sent: a colleague chat's conversation or a live chat's (the row's column).
Place = Literal["conversation_id", "livechat_conversation_id"]


def _attach(place: Place) -> Prepared:
    # Only a row of this uploader that names no conversation yet: a file is never moved
    # from one conversation to another, nor sent in two (the table's check says so too).
    return Prepared(update(SentFile).where(SentFile.id == bindparam("the_file"),
                                           SentFile.uploader_id == bindparam("the_uploader"),
                                           SentFile.conversation_id.is_(None),
                                           SentFile.livechat_conversation_id.is_(None))
                    .values({place: bindparam("to_conversation")}).returning(SentFile.id))


_ATTACH: dict[Place, Prepared] = {"conversation_id": _attach("conversation_id"),
                                  "livechat_conversation_id": _attach("livechat_conversation_id")}


async def add(s: AsyncSession, row: SentFile) -> SentFile:
    s.add(row)
    await s.flush()
    return row


async def get(s: AsyncSession, file_id: int) -> SentFile:
    row = await s.get(SentFile, file_id)
    if row is None:
        raise NotFound(f"no file with id {file_id}", code="file_not_found")
    return row


async def of_livechat(s: AsyncSession, tenant_id: int, conversation_ids: list[int]) -> list[SentFile]:
    """The files of these live-chat conversations of the organisation, oldest first."""
    if not conversation_ids:
        return []
    q = (select(SentFile).where(SentFile.tenant_id == tenant_id,
                                SentFile.livechat_conversation_id.in_(conversation_ids)).order_by(SentFile.id))
    return list((await s.execute(q)).scalars())


def attach_query(place: Place, file_id: int, uploader_id: int, message: dict[str, Any]) -> Query[None]:
    """The file names the conversation of ``message``, the message that carries it, in the
    transaction that stores that message: whoever receives the message may see the file
    at once. Refused (Conflict) when the file is not the uploader's or is in a
    conversation already; the send is refused with it."""

    def read(rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            raise Conflict(f"file {file_id} cannot be sent in this conversation: it is not yours "
                           "or was sent in a conversation already", code="file_not_attachable")

    return Query(_ATTACH[place], {"the_file": file_id, "the_uploader": uploader_id,
                                  "to_conversation": int(message["conversation_id"])}, read)


async def remove(s: AsyncSession, file_id: int) -> None:
    await s.execute(delete(SentFile).where(SentFile.id == file_id))


def file_dict(row: SentFile) -> dict[str, Any]:
    """What a message says of its file (``meta["file"]``) and what a viewer is told of it;
    where it is kept is never part of it."""
    return {"id": row.id, "name": row.name, "type": row.type, "size": row.size, "sha256": row.sha256,
            "image": row.image, "width": row.width, "height": row.height}
