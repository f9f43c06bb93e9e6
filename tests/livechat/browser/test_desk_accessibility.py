"""axe-core over the console's canned responses, labels, notes and rating parts, with
content, in both languages: no serious or critical violation in them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect

from tests.livechat.browser.conftest import console_login
from tests.livechat.service.helpers import make_visitor, write

pytestmark = pytest.mark.browser


async def serious(page: Page, selector: str) -> list[dict[str, Any]]:
    results = await Axe().run(page, context=selector)
    return [
        {"id": v["id"], "nodes": [n["html"][:140] for n in v["nodes"][:3]]}
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("locale", ["en-US", "nl-NL"])
async def test_the_desk_screens_have_no_serious_axe_violations(server, livechat, site_pages, open_page, locale):
    kees = livechat.key
    for setting in ("livechat.enabled", "livechat.reachable"):
        await kees.rest("PUT", f"/api/users/{kees.user['id']}/settings/{setting}", {"value": True})
    vip = await kees.rest("POST", "/api/livechat/labels", {"name": "VIP", "colour": "#f9d71c"})
    await kees.rest("POST", "/api/livechat/canned", {"scope": "organisation", "shortcut": "welkom", "text": "Welkom!"})
    vis, _ = await make_visitor(server, livechat.site["id"], origin=site_pages.origin)
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await kees.rest("POST", f"/api/livechat/conversations/{conv_id}/labels", {"label_id": vip["id"]})
    await kees.rest("POST", f"/api/livechat/conversations/{conv_id}/notes", {"body": "Notitie", "client_msg_id": "n1"})

    page = await open_page(server.url + "/console", locale=locale)
    await console_login(page, livechat.tenant["slug"], kees.user["username"])
    found: dict[str, list[dict[str, Any]]] = {}
    await page.get_by_test_id("nav-canned").click()
    await expect(page.get_by_test_id("canned-organisation").locator(".canned-item")).to_have_count(1)
    found["canned"] = await serious(page, "#view-canned")
    await page.get_by_test_id("nav-labels").click()
    await expect(page.get_by_test_id("list-labels").locator(".label-row")).to_have_count(1)
    found["labels"] = await serious(page, "#view-labels")
    found["filter"] = await serious(page, "#label-filter-row")
    await page.get_by_test_id("nav-incoming").click()
    await page.get_by_test_id(f"conv-open-{conv_id}").click()
    await expect(page.get_by_test_id("messages").get_by_test_id("note")).to_have_count(1)
    await page.get_by_test_id("composer-input").press_sequentially("/wel")
    await expect(page.get_by_test_id("canned-option")).to_have_count(1)
    found["chat"] = await serious(page, "#view-chat")
    await page.get_by_test_id("composer-input").press("Escape")
    await page.get_by_test_id("mode-note").click()
    found["note mode"] = await serious(page, "#view-chat")
    bad = {k: v for k, v in found.items() if v}
    assert not bad, json.dumps(bad, indent=1)
