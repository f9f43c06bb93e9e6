"""How the widget reaches visitors: compressed, a short-cached loader at the snippet's
URL, and the widget itself under a versioned URL cached for good. Measured on what the
server sends over loopback, not on the file."""

from __future__ import annotations

import gzip
import hashlib
import re

import httpx

import widget

GZIP = {"Accept-Encoding": "gzip"}


async def _raw(server, path: str, headers: dict[str, str] | None = None) -> tuple[httpx.Response, bytes]:
    """The response and the bytes on the wire (still compressed)."""
    async with httpx.AsyncClient(base_url=server.url) as http:
        async with http.stream("GET", path, headers=headers or GZIP) as r:
            wire = b"".join([chunk async for chunk in r.aiter_raw()])
    return r, wire


async def test_the_widget_is_gzipped_under_20_kb_and_cached_for_good_under_its_hash(server):
    loader, loader_wire = await _raw(server, "/widget.js")
    assert loader.status_code == 200
    assert loader.headers["content-type"].startswith("application/javascript")
    # The snippet's URL is cached briefly: a release reaches visitors within minutes.
    assert loader.headers["cache-control"] == "public, max-age=300"
    assert loader.headers["access-control-allow-origin"] == "*"
    text = loader_wire.decode() if loader.headers.get("content-encoding") != "gzip" else gzip.decompress(
        loader_wire).decode()
    [path] = re.findall(r'"(/widget/[0-9a-f]+\.js)"', text)
    source = widget.script_path().read_bytes()
    assert path == f"/widget/{hashlib.sha256(source).hexdigest()[:16]}.js"

    full, wire = await _raw(server, path)
    assert full.status_code == 200
    assert full.headers["content-encoding"] == "gzip"
    assert full.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert full.headers["access-control-allow-origin"] == "*"
    assert gzip.decompress(wire) == source
    assert len(wire) < 20 * 1024, f"{len(wire)} bytes on the wire"
    assert len(wire) < len(source) / 2

    # Revalidation by ETag costs no body.
    again, body = await _raw(server, path, {**GZIP, "If-None-Match": full.headers["etag"]})
    assert again.status_code == 304 and body == b""

    # Without Accept-Encoding: the plain file.
    plain, plain_wire = await _raw(server, path, {"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain_wire == source

    # Another release's hash (an old page): today's widget, not cached for good.
    old, _ = await _raw(server, "/widget/0123456789abcdef.js")
    assert old.status_code == 200 and old.headers["cache-control"] == "public, max-age=300"


async def test_json_answers_are_compressed_too(server):
    r, wire = await _raw(server, "/openapi.json")
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert gzip.decompress(wire).startswith(b"{")
