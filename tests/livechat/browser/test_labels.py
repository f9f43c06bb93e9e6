"""Labels in Chromium: a key-user keeps the list on its screen; operators put labels on
chats and take them off, see colleagues' changes live, and filter the lists by label."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.service.helpers import make_visitor, write

pytestmark = pytest.mark.browser


async def test_labels_screen_chat_chips_and_filter(server, livechat, site_pages, open_page, artifacts):
    kees = livechat.key
    for setting in ("livechat.enabled", "livechat.reachable"):
        await kees.rest("PUT", f"/api/users/{kees.user['id']}/settings/{setting}", {"value": True})
    olga = await livechat.make_operator(server, "Olga Bakker")
    await kees.rest("POST", "/api/livechat/labels", {"name": "Sales", "colour": "#f9d71c"})
    piet, _ = await make_visitor(server, livechat.site["id"], origin=site_pages.origin)
    anna, _ = await make_visitor(server, livechat.site["id"], origin=site_pages.origin)
    piet_conv = (await write(piet, "Ik wil een offerte voor 20 monteurs"))["conversation"]["id"]
    anna_conv = (await write(anna, "Wat zijn de openingstijden?"))["conversation"]["id"]

    # The key-user adds a label on the Labels screen (Dutch).
    c_kees = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(c_kees, livechat.tenant["slug"], kees.user["username"], online=False)
    await c_kees.get_by_test_id("nav-labels").click()
    await c_kees.get_by_test_id("label-name").fill("VIP")
    await c_kees.get_by_test_id("label-colour").fill("#d93025")
    await c_kees.get_by_role("button", name="Label toevoegen").click()
    chips = c_kees.get_by_test_id("list-labels").get_by_test_id("label-chip")
    await expect(chips).to_have_text(["Sales", "VIP"])
    await expect(chips.nth(1)).to_have_css("background-color", "rgb(217, 48, 37)")
    await expect(chips.nth(0)).to_have_css("color", "rgb(29, 35, 48)")  # dark text on yellow
    await shoot(c_kees, artifacts, "lc-labels-01-screen-nl")
    vip = next(x for x in (await kees.rest("GET", "/api/livechat/labels"))["labels"] if x["name"] == "VIP")

    # Olga labels Piet's chat VIP from the chat window.
    c_olga = await open_page(server.url + "/console")
    await console_login(c_olga, livechat.tenant["slug"], olga.user["username"])
    await c_olga.get_by_test_id("nav-incoming").click()
    await c_olga.get_by_test_id(f"conv-open-{piet_conv}").click()
    await c_olga.get_by_test_id("label-add").select_option(label="VIP")
    await expect(c_olga.get_by_test_id("chat-labels").get_by_test_id("label-chip")).to_have_text(["VIP×"])
    # Kees's list shows it at once.
    await c_kees.get_by_test_id("nav-incoming").click()
    kees_item = c_kees.get_by_test_id(f"conv-{piet_conv}")
    await expect(kees_item.get_by_test_id("label-chip")).to_have_text(["VIP"])

    # Filter by label: only Piet's; all labels: both.
    await c_olga.get_by_test_id("nav-incoming").click()
    await expect(c_olga.get_by_test_id("list-incoming").locator("li.conv")).to_have_count(2)
    await c_olga.get_by_test_id("label-filter").select_option(label="VIP")
    items = c_olga.get_by_test_id("list-incoming").locator("li.conv")
    await expect(items).to_have_count(1)
    await expect(items.first).to_have_attribute("data-testid", f"conv-{piet_conv}")
    await expect(c_olga.get_by_test_id("count-incoming")).to_have_text("1")
    await shoot(c_olga, artifacts, "lc-labels-02-filtered-en")
    # The search and the history ask the server with the label.
    await c_olga.get_by_test_id("search-input").fill("openingstijden")
    await expect(c_olga.get_by_test_id("view-search").get_by_text("Nothing found.")).to_be_visible()
    await c_olga.get_by_test_id("label-filter").select_option(label="All labels")
    await expect(c_olga.get_by_test_id("list-search").locator("li.conv")).to_have_count(1)
    await c_olga.get_by_test_id("search-input").fill("")
    await expect(c_olga.get_by_test_id("view-overview")).to_be_visible()  # an empty search goes back
    await c_olga.get_by_test_id("nav-incoming").click()
    await expect(items).to_have_count(2)

    # Renamed by the key-user: Olga's chips follow; removed in the chat: gone everywhere.
    await c_kees.get_by_test_id("nav-labels").click()
    name = c_kees.get_by_test_id(f"label-name-{vip['id']}")
    # Kees selects the name to replace it, and the list changes meanwhile (a colleague
    # adds a label): the screen is drawn again and keeps the field and the selection, so
    # what he types replaces the name instead of landing in front of it.
    await name.click()
    await c_kees.keyboard.press("ControlOrMeta+A")
    await kees.rest("POST", "/api/livechat/labels", {"name": "Terugbellen", "colour": "#1a73e8"})
    await expect(c_kees.get_by_test_id("list-labels").get_by_text("Terugbellen")).to_be_visible()
    await c_kees.keyboard.type("Topklant")
    await expect(name).to_have_value("Topklant")
    # It changes again after he typed: the screen keeps what he typed, so his save
    # renames to what he sees.
    await kees.rest("POST", "/api/livechat/labels", {"name": "Later", "colour": "#188038"})
    await expect(c_kees.get_by_test_id("list-labels").get_by_text("Later")).to_be_visible()
    await expect(name).to_have_value("Topklant")
    await expect(name).to_be_focused()
    await c_kees.get_by_test_id(f"label-save-{vip['id']}").click()
    await expect(c_olga.get_by_test_id(f"conv-{piet_conv}").get_by_test_id("label-chip")).to_have_text(["Topklant"])
    await c_olga.get_by_test_id(f"conv-open-{piet_conv}").click()
    await shoot(c_olga, artifacts, "lc-labels-03-chat-en")
    await c_olga.get_by_test_id(f"label-remove-{vip['id']}").click()
    await expect(c_olga.get_by_test_id("chat-labels").get_by_test_id("label-chip")).to_have_count(0)
    await c_kees.get_by_test_id("nav-incoming").click()
    await expect(kees_item.get_by_test_id("label-chip")).to_have_count(0)
    assert (await olga.rest("GET", f"/api/livechat/conversations/{anna_conv}"))["label_ids"] == []
    assert c_olga.js_errors == [] and c_kees.js_errors == []
