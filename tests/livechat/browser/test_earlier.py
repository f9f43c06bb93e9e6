"""A returning visitor's earlier conversations in Chromium: Jan chatted before (another
browser, same e-mail address); when he writes again from the site's page (another origin)
the console's side panel lists the earlier chat (date, state, first message), opened
read-only; another organisation's chat with the same address never shows. en and nl."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_canned import visitor_writes_and_is_taken
from tests.livechat.service.helpers import make_org, make_visitor, reply, write

pytestmark = pytest.mark.browser

EMAIL = "jan@example.nl"


async def test_earlier_conversations_in_the_side_panel(server, livechat, site_pages, open_page, artifacts):
    olga = await livechat.make_operator(server, "Olga Bakker")
    await olga.connect()
    # Jan's first chat, last month in another browser: resolved, his address noted.
    before, _ = await make_visitor(server, livechat.site["id"], origin=site_pages.origin)
    first = (await write(before, "Hebben jullie vacatures in Utrecht?"))["conversation"]["id"]
    await reply(olga, first, "Ja, zie https://jobs.example/utrecht en niet javascript:alert(1)")
    await olga.rest("PUT", f"/api/livechat/conversations/{first}/visitor", {"email": EMAIL})
    await olga.rest("POST", f"/api/livechat/conversations/{first}/resolve", {})
    # Another organisation's visitor with the same address.
    other = await make_org(server, "ander-bureau")
    otto = await other.operator("Otto Ander")
    elsewhere, _ = await other.visitor()
    theirs = (await write(elsewhere, "Geheim bij de buren"))["conversation"]["id"]
    await otto.rest("PUT", f"/api/livechat/conversations/{theirs}/visitor", {"email": EMAIL})

    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    await visitor_writes_and_is_taken(console, open_page, site_pages, "Ik ben er weer")
    panel = console.get_by_test_id("visitor-earlier")
    await expect(panel).to_be_hidden()  # no address yet: nothing to match on
    await console.get_by_test_id("visitor-email").fill(EMAIL.upper())
    await console.get_by_test_id("visitor-save").click()

    await expect(panel).to_be_visible()
    await expect(panel.get_by_role("heading")).to_have_text("Earlier conversations")
    item = panel.get_by_test_id(f"earlier-{first}")
    await expect(panel.locator("li")).to_have_count(1)
    await expect(item).to_contain_text("Resolved")
    await expect(item).to_contain_text("Hebben jullie vacatures in Utrecht?")
    await expect(panel).not_to_contain_text("Geheim bij de buren")
    await shoot(console, artifacts, "lc-earlier-01-panel-en")

    await item.click()
    dialog = console.get_by_test_id("earlier-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("heading")).to_contain_text("(read-only)")
    await expect(dialog.get_by_test_id("earlier-message")).to_have_count(2)
    links = dialog.locator("a")
    await expect(links).to_have_count(1)
    await expect(links).to_have_attribute("href", "https://jobs.example/utrecht")
    await expect(links).to_have_attribute("rel", "noopener noreferrer")
    await expect(dialog.locator("textarea, input")).to_have_count(0)  # read-only: nothing to write in
    await shoot(console, artifacts, "lc-earlier-02-dialog-en")
    await dialog.get_by_test_id("earlier-close").click()
    await expect(dialog).to_be_hidden()

    await console.get_by_test_id("app-lang").select_option("nl")
    await expect(panel.get_by_role("heading")).to_have_text("Eerdere gesprekken")
    await expect(item).to_contain_text("Opgelost")
    await shoot(console, artifacts, "lc-earlier-03-panel-nl")
    assert console.js_errors == []
