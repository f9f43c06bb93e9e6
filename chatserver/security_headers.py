"""Security headers on every HTTP answer, set in one place (a middleware in the app factory).

* HTML pages (the app, the console, the demo site, any page under /static): a
  Content-Security-Policy allowing only this origin's scripts, styles and connections
  (``connect-src 'self'`` covers the same-origin WebSocket), no plugins, no ``<base>``,
  and ``frame-ancestors 'none'`` (with X-Frame-Options for older browsers): no other
  site can frame a page to trick a click. A page that needs more (the demo site's
  inline styles) sets its own policy with :func:`page_policy`; it is left alone.
* Everything: ``X-Content-Type-Options: nosniff`` (a browser runs nothing whose type
  is not declared) and ``Referrer-Policy: no-referrer``. Answers that are not pages get
  ``default-src 'none'``: opened as a document, they can do nothing.
* The widget (``/widget.js``, ``/widget/...``) is a script other sites embed, so it is
  marked ``Cross-Origin-Resource-Policy: cross-origin``; a page's frame-ancestors or
  CSP would not apply to a script anyway, and nothing here stops a site embedding it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SecurityHeaders", "page_policy"]


def page_policy(*, inline_styles: bool = False) -> str:
    """The Content-Security-Policy of an HTML page served here."""
    style = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return ("default-src 'self'; script-src 'self'; "
            f"style-src {style}; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


_PAGE = page_policy()
_NOT_A_PAGE = "default-src 'none'; frame-ancestors 'none'"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                page = headers.get("content-type", "").startswith("text/html")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Content-Security-Policy", _PAGE if page else _NOT_A_PAGE)
                if page:
                    headers.setdefault("X-Frame-Options", "DENY")
                if path == "/widget.js" or path.startswith("/widget/"):
                    headers["Cross-Origin-Resource-Policy"] = "cross-origin"
            await send(message)

        await self.app(scope, receive, send_with_headers)
