"""A visitor's data on request in Chromium (issue 14, GDPR): a key-user exports it as a file
from the conversation's panel and erases it; every open console drops the conversation at
once; an operator who is not a key-user has neither button."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_canned import visitor_writes_and_is_taken

pytestmark = pytest.mark.browser


async def test_a_key_user_exports_and_erases_a_visitors_data(server, livechat, site_pages, open_page, artifacts):
    await livechat.key.rest("PUT", f"/api/users/{livechat.key.user['id']}/settings/livechat.enabled",
                            {"value": True})
    await livechat.key.rest("PUT", f"/api/users/{livechat.key.user['id']}/settings/livechat.reachable",
                            {"value": True})
    olga = await livechat.make_operator(server, "Olga Bakker")
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], livechat.key.user["username"])
    other = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(other, livechat.tenant["slug"], olga.user["username"])
    # Olga has no buttons for it (she is no key-user); Kees takes the chat and has them.
    await visitor_writes_and_is_taken(console, open_page, site_pages, "Mijn telefoonnummer is 0612345678")
    await expect(console.get_by_test_id("visitor-privacy")).to_be_visible()
    [conv] = (await livechat.key.rest("GET", "/api/livechat/conversations"))["conversations"]
    conv_id = conv["id"]
    await other.get_by_test_id("nav-active").click()
    await expect(other.get_by_test_id("list-active")).to_contain_text("0612345678")

    async with console.expect_download() as info:
        await console.get_by_test_id("export-data").click()
    download = await info.value
    assert download.suggested_filename == f"visitor-data-{conv_id}.json"
    data = json.loads(Path(await download.path()).read_text(encoding="utf-8"))
    assert [m["body"] for m in data["conversations"][0]["messages"]] == ["Mijn telefoonnummer is 0612345678"]
    await shoot(console, artifacts, "lc-privacy-01-panel-en")

    console.once("dialog", lambda dialog: dialog.accept())
    await console.get_by_test_id("erase-data").click()
    await expect(console.get_by_test_id("toasts")).to_contain_text("The visitor's data is erased.")
    await expect(console.get_by_test_id("chat-window")).to_be_hidden()
    await expect(console.get_by_test_id("list-active")).not_to_contain_text("0612345678")
    # Olga's console drops it too, without a reload.
    await expect(other.get_by_test_id("list-active")).not_to_contain_text("0612345678")
    await shoot(other, artifacts, "lc-privacy-02-other-console-nl")
    r = await livechat.key._http.post("/api/livechat/privacy/export", json={"conversation_id": conv_id})
    assert r.status_code == 404
    assert console.js_errors == [] and other.js_errors == []
