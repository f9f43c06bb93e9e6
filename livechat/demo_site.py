"""A pretend company web site with the live-chat widget, for ``serve --demo`` only.

Open ``/demo/site`` in one window and ``/console`` (as olga) in another to try live chat
with nothing else set up. The page is served by the hub itself, so its origin is the
hub's, whatever host and port ``serve`` was given and the browser used. The demo site's
stored origins stay what they were made with (the README's address): a request's Host
header never changes them. Instead the visit accepts, for the demo site only and only
with ``--demo``, the hub's own origin (:func:`same_origin_demo`), as a page the hub
serves itself has; a real site's origins are set by a key-user.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from chatserver.actions.context import Services
from chatserver.demo import DEMO_TENANT
from chatserver.errors import NotFound
from chatserver.security_headers import page_policy
from chatserver.storage import accounts as account_store
from livechat import demo


async def ensure_site(svc: Services, base_url: str) -> int:
    """The demo tenant's site (livechat.demo makes it at the first start).
    ``base_url`` only goes into the snippet the console shows."""
    async with svc.read() as s:
        key_user = await account_store.user_by_login(s, DEMO_TENANT, "kees")
    if key_user is None:
        raise NotFound("the demo organisation is not there (serve --demo makes it)")
    return await demo.ensure_site(svc, key_user, base_url)


def own_origin(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def same_origin_demo(request: Request, site_id: int, origin: str | None) -> str | None:
    """With ``--demo``: the origin to accept besides the demo site's own for this visit,
    when the page calling is the hub's own (``/demo/site``); None otherwise. Nothing is
    stored, so a forged Host header grants nothing beyond this one request."""
    svc: Services = request.app.state.services
    if not svc.config.demo or not origin or site_id != getattr(request.app.state, "demo_site_id", None):
        return None
    return origin if origin.rstrip("/") == own_origin(request) else None


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo Staffing - vacancies</title>
<style>
 body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
 header {{ border-bottom: 3px solid #2a6; margin-bottom: 1.5rem; }}
 .note {{ background: #f4f7f4; border-left: 4px solid #2a6; padding: .75rem 1rem; }}
</style>
</head>
<body>
<header><h1>Demo Staffing</h1></header>
<p class="note">This is a pretend company site for trying live chat. Log in to
<a href="/console" target="_blank" rel="noopener">the operator console</a> as <b>olga</b>
in another window, then open the chat button at the bottom right of this page. The one
line that puts the chat on any site is:<br><code>{snippet}</code></p>
<h2>Vacancies</h2>
<ul><li>Warehouse employee, Utrecht, 32-40 hours</li><li>Recruiter, Amsterdam, 36 hours</li></ul>
<p><a href="/demo/site?page=2">Another page</a>: the conversation goes with you.</p>
{tag}
</body>
</html>
"""


async def page(request: Request) -> Response:
    svc: Services = request.app.state.services
    origin = own_origin(request)
    site_id = await ensure_site(svc, origin)
    request.app.state.demo_site_id = site_id
    tag = f'<script async src="{origin}/widget.js" data-site="{site_id}"></script>'
    # Its own <style> and the widget's (in its shadow root) are inline styles.
    return HTMLResponse(PAGE.format(snippet=html.escape(tag), tag=tag),
                        headers={"Content-Security-Policy": page_policy(inline_styles=True)})
