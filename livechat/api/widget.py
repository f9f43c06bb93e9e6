"""The live-chat widget as sites load it: a tiny loader at ``/widget.js`` and the widget
itself at ``/widget/<hash>.js``.

The snippet that customers paste once names ``/widget.js``; that URL is cached for a
few minutes only, so a new release reaches visitors at once. It loads the widget from a
URL that carries a hash of its content and is cached for a year (``immutable``): a
visitor downloads a given widget once, and a release changes the URL. Both are
compressed by the application's GZip middleware.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import widget

LOADER_MAX_AGE = 300
IMMUTABLE = "public, max-age=31536000, immutable"

# Runs as the pasted snippet: adds the versioned widget with the snippet's data-site.
_LOADER = """/*! chatserver live-chat widget loader */
(() => {
  const me = document.currentScript;
  if (!me || window.__chatserverWidget) return;
  const s = document.createElement("script");
  s.src = new URL(%s, me.src).href;
  s.async = true;
  s.setAttribute("data-site", me.getAttribute("data-site") || "");
  (document.head || document.documentElement).append(s);
})();
"""


@dataclass(frozen=True)
class Bundle:
    key: tuple[float, int]  # the file's mtime and size when read
    body: bytes
    digest: str
    loader: bytes

    @property
    def path(self) -> str:
        return f"/widget/{self.digest}.js"


_bundle: Bundle | None = None


def bundle() -> Bundle:
    """The widget as it is on disk now (read again when the file changed)."""
    global _bundle
    path = widget.script_path()
    st = path.stat()
    key = (st.st_mtime, st.st_size)
    if _bundle is None or _bundle.key != key:
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:16]
        loader = (_LOADER % json.dumps(f"/widget/{digest}.js")).encode()
        _bundle = Bundle(key=key, body=body, digest=digest, loader=loader)
    return _bundle


def _js(body: bytes, cache: str, etag: str, request: Request) -> Response:
    headers = {"Access-Control-Allow-Origin": "*", "Cache-Control": cache, "ETag": f'"{etag}"'}
    if request.headers.get("if-none-match") == f'"{etag}"':
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/javascript; charset=utf-8", headers=headers)


async def loader(request: Request) -> Response:
    """The snippet's script: loads the current widget by its versioned URL (cached 5 minutes)."""
    b = bundle()
    return _js(b.loader, f"public, max-age={LOADER_MAX_AGE}", f"l-{b.digest}", request)


async def versioned(request: Request) -> Response:
    """The widget itself; cached for good under the hash of its content. A hash of another
    release (an old page, a node not yet updated) gets today's widget, cached briefly."""
    b = bundle()
    cache = IMMUTABLE if request.path_params["digest"] == b.digest else f"public, max-age={LOADER_MAX_AGE}"
    return _js(b.body, cache, b.digest, request)


routes = [
    Route("/widget.js", loader, methods=["GET"]),
    Route("/widget/{digest:str}.js", versioned, methods=["GET"]),
]
