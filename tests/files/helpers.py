"""Files for the tests, made here: real images (Pillow), a PDF's start, text; and an
upload as the app and the widget make it (the bytes as the body, the name in the query)."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
from PIL import Image

from chatserver.client import ChatClient
from tests.helpers import Server

# Rides after a PNG's last chunk: a viewer ignores it, a sniffing browser might not.
RIDER = b"<script>alert('rider')</script>"


def png(width: int = 640, height: int = 480, *, rider: bool = False) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", (width, height), (30, 120, 200))
    for x in range(0, width, 8):
        img.putpixel((x, x * height // width), (250, 200, 0))
    img.save(out, "PNG")
    return out.getvalue() + (RIDER if rider else b"")


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def upload(server: Server, client: ChatClient | None, path: str, data: bytes | Any, name: str,
                 *, client_msg_id: str | None = None, origin: str | None = None,
                 **params: Any) -> httpx.Response:
    """POST the bytes (or an async iterator of chunks: sent chunked) as ``client``."""
    headers = {"Content-Type": "application/octet-stream"}
    if client is not None:
        headers["Authorization"] = f"Bearer {client.token}"
    if origin:
        headers["Origin"] = origin
    query = {"name": name, "client_msg_id": client_msg_id or uuid.uuid4().hex, **params}
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        return await http.post(path, content=data, params=query, headers=headers)


async def get(server: Server, path: str, client: ChatClient | None = None, **headers: str) -> httpx.Response:
    if client is not None:
        headers["Authorization"] = f"Bearer {client.token}"
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        return await http.get(path, headers=headers)
