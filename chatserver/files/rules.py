"""What a sent file may be and how it is served: pure rules, no I/O.

The type of a file is decided here, from its name's extension *and* its first bytes,
never from what the sender's browser declared: a ``.png`` that is not a PNG, an SVG (it
can carry script), an HTML page or a program is refused. Raster images are re-encoded
before they are kept (:mod:`chatserver.files.images`), so what is served inline is what
Pillow wrote; everything else is only ever served as an attachment.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from chatserver.errors import BadRequest

__all__ = ["ALLOWED", "IMAGE_TYPES", "Kind", "clean_name", "content_disposition", "kind_of"]

# Raster images: re-encoded, shown inline with a thumbnail. GIF becomes PNG (its first frame).
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/png",
               "webp": "image/webp"}
_IMAGE_MAGIC = {"png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
                "gif": (b"GIF87a", b"GIF89a"), "webp": (b"RIFF",)}
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the old Office formats
# Attachments: served for download only, with the type named here.
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "zip": ("application/zip", _ZIP),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "doc": ("application/msword", _OLE),
    "xls": ("application/vnd.ms-excel", _OLE),
    "txt": ("text/plain; charset=utf-8", None),
    "csv": ("text/csv; charset=utf-8", None),
}
ALLOWED = sorted([*IMAGE_TYPES, *DOCUMENT_TYPES])
# Text that a browser could take for a page or a drawing with script, whatever its name.
_MARKUP = re.compile(rb"^\s*(<!doctype|<html|<svg|<\?xml|<script)", re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    type: str  # the Content-Type it is served with
    image: bool  # re-encoded raster image: inline, with a thumbnail


def clean_name(name: str) -> str:
    """A file name fit to show and to send back in Content-Disposition: no path, no
    control characters, at most 200 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        raise BadRequest("the file has no name", code="invalid_value", field="name")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 199 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def _refused(ext: str) -> BadRequest:
    return BadRequest(f"files of type .{ext or '?'} cannot be sent (allowed: {', '.join(ALLOWED)})",
                      code="file_type_refused", type=ext, allowed=ALLOWED)


def kind_of(name: str, head: bytes) -> Kind:
    """The file's kind from its name and first bytes (at least 512 of them when it has
    that many); refused (``file_type_refused``) unless both agree on an allowed type."""
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext in IMAGE_TYPES:
        magic = _IMAGE_MAGIC[ext]
        if not head.startswith(magic) or (ext == "webp" and head[8:12] != b"WEBP"):
            raise BadRequest(f"this file is not the .{ext} image its name says", code="file_content_mismatch",
                             type=ext)
        return Kind(IMAGE_TYPES[ext], True)
    if ext not in DOCUMENT_TYPES:
        raise _refused(ext)
    served, magics = DOCUMENT_TYPES[ext]
    if magics is None:
        if b"\x00" in head or _MARKUP.match(head):
            raise BadRequest(f"this file is not the .{ext} text its name says", code="file_content_mismatch",
                             type=ext)
    elif not head.startswith(magics):
        raise BadRequest(f"this file is not the .{ext} file its name says", code="file_content_mismatch",
                         type=ext)
    return Kind(served, False)


def content_disposition(name: str, *, inline: bool) -> str:
    """``attachment`` (or ``inline``) with the name twice: an ASCII fallback with nothing a
    header could be broken by, and the exact name as ``filename*=UTF-8''…`` (RFC 6266)."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;%' else "_" for ch in name) or "file"
    return f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
