"""The widget's live preview for the console's Sites screen: ``/console/preview``.

A blank page that runs the real widget (the current release, by its versioned URL) with
``data-preview``: it makes no visit and opens no socket, and takes the site's unsaved
settings from the console page that frames it, by postMessage from the same origin only.
So the preview is the widget itself, not a picture of it. Framed by this origin only
(``frame-ancestors 'self'``), where every other page here refuses any frame.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from chatserver.security_headers import page_policy
from livechat.api.widget import bundle

__all__ = ["routes"]

_TITLE = {"nl": "Voorbeeld van de chatwidget", "en": "Chat widget preview"}
# Grey like a page behind the widget, so its launcher and panel stand out as on a site.
_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/static/console/preview.css"></head>
<body><main><h1 class="sr">{title}</h1></main>
<script src="{src}" data-site="0" data-preview></script></body></html>
"""


async def preview(request: Request) -> Response:
    lang = "nl" if request.query_params.get("lang") == "nl" else "en"
    page = _PAGE.format(lang=lang, title=escape(_TITLE[lang]), src=escape(bundle().path))
    # The widget styles its Shadow DOM with a <style> of its own, as on a customer's site.
    policy = page_policy(inline_styles=True).replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    return HTMLResponse(page, headers={"Content-Security-Policy": policy, "X-Frame-Options": "SAMEORIGIN",
                                       "Cache-Control": "no-store"})


routes = [Route("/console/preview", preview, methods=["GET"])]
