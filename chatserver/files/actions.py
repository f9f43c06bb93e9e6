"""Files sent in a conversation: received, checked, kept, and handed only to who may see
the conversation.

Sending one is three steps: the bytes are streamed to disk under a size limit and
checked (:mod:`chatserver.files.rules`; an image is re-encoded,
:mod:`chatserver.files.images`); the file's row is written, in no conversation yet; the
message that carries it (``kind = "file"``, ``meta = {"file": …}``) is sent through the
conversation's own send path, so it is checked, stored, counted and delivered as any
message is, and that send's own transaction has the row name the message's conversation
(:func:`chatserver.files.storage.attach_query`): whoever receives the message may open
the file. When that send is refused or was a resend, the row and the bytes are taken
away again.

Who may see a file is who may see its conversation, checked on every request and on
every opened link, by the rule that kind of conversation registered
(:mod:`chatserver.files.access`): the two colleagues of a chat; the visitor of a live chat
and the operators of its organisation. Anyone else is told it does not exist.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.chat_batch import Attach
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import NotFound
from chatserver.files import images, links, rules
from chatserver.files import storage as store
from chatserver.files.access import FileAccess
from chatserver.files.blobs import BlobStore
from chatserver.files.models import SentFile
from chatserver.files.storage import Place
from chatserver.signed_links import SignedLinks
from chatserver.storage import chat as chat_store

__all__ = ["Opened", "Place", "describe", "erase_blobs", "in_chat", "open_file", "send_file", "visible_to"]

# Sends the message that carries the file: given the row's description and the statement
# that ties the row to the stored message (to run in the send's own transaction), answers
# {"message": …, "duplicate": bool} as the conversation's send does.
Sender = Callable[[dict[str, Any], Attach], Awaitable[dict[str, Any]]]


async def _receive(svc: Services, tenant_id: int, name: str, chunks: AsyncIterator[bytes]) -> SentFile:
    """The bytes streamed in, checked and kept; the row to insert (not yet added)."""
    blobs = svc.get(BlobStore)
    name = rules.clean_name(name)
    upload = await blobs.receive(chunks, svc.config.max_file_bytes)
    try:
        kind = rules.kind_of(name, upload.head)
        row = SentFile(tenant_id=tenant_id, name=name, type=kind.type, size=upload.size, sha256=upload.sha256,
                       image=kind.image, created_at=svc.clock.now())
        if not kind.image:
            row.storage_key = blobs.new_key(tenant_id)
            await blobs.keep(upload, row.storage_key)
            return row
        row.storage_key, row.thumb_key = blobs.new_key(tenant_id), blobs.new_key(tenant_id, "-thumb")
        dst, thumb = blobs.path(row.storage_key), blobs.path(row.thumb_key)
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            done = await images.reencode(upload.path, dst, thumb, kind.type, svc.config.max_image_pixels)
        except BaseException:
            await blobs.delete([row.storage_key, row.thumb_key])
            raise
        row.width, row.height = done.width, done.height
        # What is kept is what Pillow wrote: its size and digest are the file's.
        row.size = dst.stat().st_size
        row.sha256 = await _sha256(dst)
        return row
    finally:
        await blobs.drop(upload)


async def _sha256(path: Path) -> str:
    def digest() -> str:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                h.update(block)
        return h.hexdigest()

    return await asyncio.to_thread(digest)


async def send_file(svc: Services, actor: User, place: Place, name: str, chunks: AsyncIterator[bytes],
                    send: Sender) -> dict[str, Any]:
    """Receive the file and send the message that carries it; answers the send's result
    with ``file`` (the row's description). The row names its conversation in the
    transaction that stores the message (a visitor's first message may open the
    conversation): until then nobody can see it, from then on the message's readers can."""
    row = await _receive(svc, actor.tenant_id, name, chunks)
    row.uploader_id = actor.id
    keys = [row.storage_key, row.thumb_key]
    try:
        async with svc.transaction() as tx:
            described = store.file_dict(await store.add(tx.session, row))
    except BaseException:
        await svc.get(BlobStore).delete(keys)
        raise
    try:
        result = await send(described, partial(store.attach_query, place, row.id, actor.id))
    except BaseException:
        await _take_back(svc, row.id, keys)
        raise
    if result.get("duplicate"):
        # A resend of a file already sent: the first one stands, this copy goes.
        await _take_back(svc, row.id, keys)
        return {**result, "file": (result["message"].get("meta") or {}).get("file")}
    return {**result, "file": described}


async def _take_back(svc: Services, file_id: int, keys: list[str | None]) -> None:
    async with svc.transaction() as tx:
        await store.remove(tx.session, file_id)
    await svc.get(BlobStore).delete(keys)


async def visible_to(svc: Services, s: AsyncSession, viewer: User, row: SentFile) -> None:
    """Nothing when the viewer may see the file's conversation (its kind's rule,
    :mod:`chatserver.files.access`), else NotFound: a stranger learns nothing, not even
    that the file exists."""
    if viewer.role == "guest" or not await svc.get(FileAccess).may_see(s, viewer, row):
        raise NotFound(f"no file with id {row.id}", code="file_not_found")


async def in_chat(s: AsyncSession, viewer: User, conversation_id: int) -> bool:
    """The colleague chat's rule: its two colleagues."""
    try:
        await chat_store.conversation_for(s, conversation_id, viewer.id)
    except NotFound:
        return False
    return True


async def describe(svc: Services, viewer: User, file_id: int) -> dict[str, Any]:
    """The file as its viewer is told of it, with links only they can open for a while."""
    async with svc.read() as s:
        row = await store.get(s, file_id)
        await visible_to(svc, s, viewer, row)
    signer, now = svc.get(SignedLinks), svc.clock.now().timestamp()
    url, expires = links.url(signer, row.id, "file", viewer, now)
    out = {**store.file_dict(row), "url": url, "expires": expires, "thumb_url": None}
    if row.thumb_key:
        out["thumb_url"] = links.url(signer, row.id, "thumb", viewer, now)[0]
    return out


@dataclass(frozen=True)
class Opened:
    path: Path
    name: str
    type: str
    inline: bool  # a re-encoded image (or its thumbnail): shown in the page


async def open_file(svc: Services, viewer: User, file_id: int, variant: str) -> Opened:
    """The bytes to serve, once the viewer may see the file (every time: a link is only as
    good as the rights behind it)."""
    async with svc.read() as s:
        row = await store.get(s, file_id)
        await visible_to(svc, s, viewer, row)
    key = row.thumb_key if variant == "thumb" else row.storage_key
    if not key:
        raise NotFound(f"file {file_id} has no thumbnail", code="file_not_found")
    path = svc.get(BlobStore).path(key)
    if not path.is_file():
        raise NotFound(f"the bytes of file {file_id} are gone", code="file_not_found")
    name = row.name if variant == "file" else f"thumb-{row.name}"
    return Opened(path=path, name=name, type=row.type, inline=row.image)


async def erase_blobs(svc: Services, rows: list[SentFile]) -> None:
    """The bytes of files whose rows were deleted (a visitor erased)."""
    await svc.get(BlobStore).delete([k for r in rows for k in (r.storage_key, r.thumb_key)])
