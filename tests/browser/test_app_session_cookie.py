"""Another site's page cannot act as a signed-in colleague (docs/security.md, "Web session").

The other site here is a page of another port of 127.0.0.1: another origin, but the same
*site*, so Chromium does send our SameSite=Strict cookie with its requests. What stops
them is the CSRF rule itself (chatserver/api/web_session.py): no X-CSRF-Token, a foreign
Origin. The colleague's tab goes on as if nothing happened. The signed-in tabs, reload and
logout across tabs: tests/browser/test_app_phone_and_session.py.
"""

from __future__ import annotations

import json

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in
from tests.helpers import PASSWORD, two_contacts
from tests.livechat.browser.conftest import SitePages

pytestmark = pytest.mark.browser

ATTACKS = """async ([server, bram]) => {
  const answers = {};
  // A fetch with the browser's cookies; the answer is opaque to the page either way.
  for (const [name, path, body] of [["logout", "/api/auth/logout", "{}"],
                                     ["request", "/api/contact-requests", JSON.stringify({ user_id: bram })],
                                     ["ticket", "/api/ws/ticket", "{}"]]) {
    try {
      const r = await fetch(server + path, { method: "POST", body, credentials: "include", mode: "no-cors",
                                             headers: { "Content-Type": "text/plain" } });
      answers[name] = r.type;
    } catch (exc) {
      answers[name] = String(exc);
    }
  }
  // With the CSRF header the browser must ask first (a preflight), which the server never grants.
  try {
    await fetch(server + "/api/contact-requests", { method: "POST", credentials: "include",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": "guess" }, body: JSON.stringify({ user_id: bram }) });
    answers.preflighted = "sent";
  } catch (exc) {
    answers.preflighted = "blocked";
  }
  return answers;
}"""


async def test_another_sites_page_cannot_act_with_the_colleagues_cookie(server, open_app):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    await bram.rest("DELETE", f"/api/contacts/{anna.user['id']}")
    app = await open_app()
    await log_in(app, tenant["slug"], anna.user["username"], PASSWORD)
    site = SitePages()
    try:
        evil = await app.context.new_page()
        await evil.goto(site.origin + "/index.html")
        answers = await evil.evaluate(ATTACKS, [server.url, bram.user["id"]])
        assert answers == {"logout": "opaque", "request": "opaque", "ticket": "opaque", "preflighted": "blocked"}
        # A form that posts JSON-looking text (the old trick against JSON APIs): a 403 naming why.
        await evil.set_content(
            f'<form method="post" enctype="text/plain" action="{server.url}/api/contact-requests">'
            f'<input name=\'{{"user_id": {bram.user["id"]}, "x": "\' value=\'"}}\'></form>')
        async with evil.expect_navigation():
            await evil.evaluate("document.forms[0].submit()")
        refusal = json.loads(await evil.inner_text("body"))
        assert refusal["error"]["code"] == "csrf_origin"
    finally:
        site.close()
    # Nothing happened: no contact request reached Bram, Anna is still signed in and connected.
    assert (await bram.rest("GET", "/api/contact-requests"))["incoming"] == []
    await expect(app.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await app.reload()
    await expect(app.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")
    await expect(app.get_by_test_id("login-form")).to_be_hidden()
    assert app.js_errors == []
