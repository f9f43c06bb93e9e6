"""The demo's mail viewer at ``/demo/mail`` (``serve --demo`` only): the mails kept in the
local outbox because no SMTP server is configured (chatserver.mail), newest first, as
their recipients would read them. Text only, escaped: a mail's content is user text."""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from chatserver import mail
from chatserver.actions.context import Services


async def page(request: Request) -> Response:
    svc: Services = request.app.state.services
    async with svc.read() as s:
        mails = await mail.outbox(s)
    items = "\n".join(
        f"""<article class="mail" data-testid="mail">
  <h2 data-testid="mail-subject">{html.escape(m.subject)}</h2>
  <p class="meta">To <span data-testid="mail-to">{html.escape(m.to)}</span> ·
     {html.escape(m.created_at.strftime("%Y-%m-%d %H:%M"))} UTC{" · with " + html.escape(_attachments(m.raw)) if "Content-Disposition: attachment" in m.raw else ""}</p>
  <pre data-testid="mail-body">{html.escape(m.body)}</pre>
</article>"""
        for m in mails
    ) or '<p data-testid="no-mail">No mail yet.</p>'
    return HTMLResponse(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo mail</title><link rel="stylesheet" href="/static/app/app.css"></head>
<body class="demo-mail"><main style="max-width:48rem;margin:1rem auto;padding:0 1rem">
<h1>Outbox (demo)</h1>
<p>No SMTP server is configured (CHATSERVER_SMTP_URL), so the mails the server sends are kept here.</p>
{items}
</main></body></html>""")


def _attachments(raw: str) -> str:
    names = [line.split("filename=", 1)[1].strip().strip('"') for line in raw.splitlines() if "filename=" in line]
    return ", ".join(names)
