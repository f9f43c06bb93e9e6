"""A pretend company web site with the live-chat widget, for ``serve --demo`` only.

Open ``/demo/site`` in one window and ``/console`` (as olga) in another to try live chat
with nothing else set up. The page is served by the hub itself, so its origin is the
hub's; the demo site allows whatever origin the page was opened on (the host and port
``serve`` was given), which a real site never does: its origins are set by a key-user.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from chatserver.actions import livechat
from chatserver.actions.context import Services
from chatserver.demo import DEMO_TENANT
from chatserver.errors import NotFound
from chatserver.security_headers import page_policy
from chatserver.storage import accounts as account_store
from chatserver.storage import livechat as livechat_store

SITE_NAME = "Demo Staffing website"
GREETING = {"nl": "Hallo! Waarmee kunnen we je helpen?", "en": "Hello! How can we help you?"}


async def ensure_site(svc: Services, origin: str) -> int:
    """The demo tenant's site, made on first use, with ``origin`` among its origins."""
    async with svc.read() as s:
        tenant = await account_store.tenant_by_slug(s, DEMO_TENANT)
        key_user = await account_store.user_by_login(s, DEMO_TENANT, "kees")
        if tenant is None or key_user is None:
            raise NotFound("the demo organisation is not there (serve --demo makes it)")
        site = next((x for x in await livechat_store.sites_of(s, tenant.id) if x.name == SITE_NAME), None)
    base = origin
    if site is None:
        made = await livechat.create_site(svc, key_user, {"name": SITE_NAME, "origins": [origin],
                                                          "greeting": GREETING}, base)
        return int(made["id"])
    if origin not in site.origins:
        data = {"name": site.name, "origins": [*site.origins, origin], "greeting": dict(site.greeting)}
        await livechat.update_site(svc, key_user, site.id, data, base)
    return site.id


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
    origin = str(request.base_url).rstrip("/")
    site_id = await ensure_site(svc, origin)
    tag = f'<script async src="{origin}/widget.js" data-site="{site_id}"></script>'
    # Its own <style> and the widget's (in its shadow root) are inline styles.
    return HTMLResponse(PAGE.format(snippet=html.escape(tag), tag=tag),
                        headers={"Content-Security-Policy": page_policy(inline_styles=True)})
