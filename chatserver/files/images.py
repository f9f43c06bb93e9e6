"""Images re-encoded and thumbnailed with Pillow, off the event loop.

What is kept of a sent image is what Pillow wrote from its pixels: whatever else rode in
the file (metadata, a script or an archive appended after the image data, a second image)
is gone. The size in pixels is checked from the header before anything is unpacked, so a
small file that unpacks to a huge image (a decompression bomb) is refused cheaply.
"""

from __future__ import annotations

import asyncio
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from chatserver.errors import BadRequest

__all__ = ["THUMB_PIXELS", "Encoded", "reencode"]

# A thumbnail fits in this square (twice what the chat shows, for sharp screens).
THUMB_PIXELS = 320
_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class Encoded:
    width: int
    height: int
    thumb_type: str


def _unreadable() -> BadRequest:
    return BadRequest("this image cannot be read", code="image_unreadable")


def _reencode(src: Path, dst: Path, thumb: Path, served: str, max_pixels: int) -> Encoded:
    with warnings.catch_warnings():
        # Pillow's own bomb check warns first: the size check below decides instead.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(src) as img:
                width, height = img.size
                if width * height > max_pixels or width < 1 or height < 1:
                    raise BadRequest(f"this image is {width}×{height} pixels, over the limit of {max_pixels}",
                                     code="image_too_large", limit=max_pixels,
                                     megapixels=round(max_pixels / 1_000_000, 1))
                img.seek(0)  # an animation keeps its first frame
                frame = ImageOps.exif_transpose(img)
                frame.load()
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
            raise _unreadable() from exc
    fmt = _FORMATS[served]
    if fmt == "JPEG":
        frame = frame.convert("RGB")
    elif frame.mode not in ("RGB", "RGBA", "L", "LA"):
        frame = frame.convert("RGBA")
    # No exif, icc or text chunks are passed on: the pixels only.
    frame.save(dst, fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}))
    small = frame.copy()
    small.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
    small.save(thumb, fmt, **({"quality": 80} if fmt in ("JPEG", "WEBP") else {}))
    return Encoded(frame.width, frame.height, served)


async def reencode(src: Path, dst: Path, thumb: Path, served: str, max_pixels: int) -> Encoded:
    """Write the image at ``src`` anew to ``dst`` (in the ``served`` type) and its thumbnail
    to ``thumb``; refused (400) when it is not a readable image within ``max_pixels``."""
    return await asyncio.to_thread(_reencode, src, dst, thumb, served, max_pixels)
