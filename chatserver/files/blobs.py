"""Sent files on disk, under the media directory (``<media_dir>/files/``), beside the
video recordings and like them never served from there directly.

An upload is streamed into a temporary file while its size is counted and its SHA-256
taken: the first chunk over the limit stops it (nothing more is read or written) and the
partial file is deleted. A kept file's name on disk (its storage key) is random, so
nothing the sender chose reaches the file system.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path

from chatserver.errors import BadRequest, TooLarge

__all__ = ["HEAD_BYTES", "BlobStore", "Upload", "too_large"]

log = logging.getLogger(__name__)

# How much of the start of a file the type check reads (chatserver.files.rules.kind_of).
HEAD_BYTES = 512


def too_large(limit: int) -> TooLarge:
    """The refusal of a file over the limit; ``megabytes`` is for the screens' sentence."""
    return TooLarge(f"the file is larger than {limit} bytes", code="file_too_large", limit=limit,
                    megabytes=round(limit / 1024 / 1024, 1))


@dataclass
class Upload:
    """A received file waiting in the temporary folder until it is kept or dropped."""

    path: Path
    size: int
    sha256: str
    head: bytes


class BlobStore:
    """One per process (``Services.provide``); ``root`` is ``<media_dir>/files``."""

    def __init__(self, media_dir: str) -> None:
        self.root = Path(media_dir) / "files"

    def path(self, key: str) -> Path:
        return self.root / key

    async def receive(self, chunks: AsyncIterator[bytes], limit: int) -> Upload:
        """Stream the body into a temporary file; :class:`TooLarge` (``file_too_large``)
        at the first chunk over ``limit`` bytes, :class:`BadRequest` for an empty file."""
        tmp = self.root / "tmp"
        await asyncio.to_thread(tmp.mkdir, parents=True, exist_ok=True)
        path = tmp / uuid.uuid4().hex
        digest, size, head = hashlib.sha256(), 0, b""
        out = await asyncio.to_thread(path.open, "wb")
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                digest.update(chunk)
                await asyncio.to_thread(out.write, chunk)
            if size == 0:
                raise BadRequest("the file is empty", code="empty_file")
        except BaseException:
            out.close()
            path.unlink(missing_ok=True)
            raise
        out.close()
        return Upload(path=path, size=size, sha256=digest.hexdigest(), head=head)

    def new_key(self, tenant_id: int, suffix: str = "") -> str:
        return f"{tenant_id}/{uuid.uuid4().hex}{suffix}"

    async def keep(self, upload: Upload, key: str) -> None:
        """Move the upload to its key (a rename on one file system: no copy)."""
        target = self.path(key)
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(os.replace, upload.path, target)

    async def delete(self, keys: Iterable[str | None]) -> None:
        """Delete the kept files (erased, or left by a send that failed); a file already
        gone is no error, any other failure is logged and the rest are still deleted."""
        for key in keys:
            if not key:
                continue
            try:
                await asyncio.to_thread(self.path(key).unlink, True)
            except OSError:
                log.exception("could not delete a sent file (key %s)", key)

    async def drop(self, upload: Upload) -> None:
        await asyncio.to_thread(upload.path.unlink, True)
