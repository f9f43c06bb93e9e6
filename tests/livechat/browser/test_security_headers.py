"""Security headers seen by Chromium: the widget still works on another origin and on the
demo site under their policies, and that other origin cannot frame the app or the console."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.async_api import ConsoleMessage, Page, expect

from tests.helpers import running_server
from tests.livechat.browser.conftest import shoot

pytestmark = pytest.mark.browser


def _csp_refusals(page: Page) -> list[str]:
    refused: list[str] = []

    def seen(msg: ConsoleMessage) -> None:
        if "Content Security Policy" in msg.text or "frame-ancestors" in msg.text:
            refused.append(msg.text)

    page.on("console", seen)
    return refused


async def test_the_widget_works_on_another_origin_which_cannot_frame_the_app(
        server, livechat, site_pages, open_page, artifacts):
    site_pages.snippet += "".join(
        f'<iframe src="{server.url}{path}" title="{path}" width="300" height="200"></iframe>'
        for path in ("/app", "/console"))
    page = await open_page(None)
    refused = _csp_refusals(page)
    await page.goto(site_pages.origin + "/index.html")
    # The widget, a script of the chat server's origin, runs on the customer's page.
    # (Nobody is online: it offers to leave a message, which needs a session with the server.)
    await page.get_by_test_id("lc-launcher").click()
    await expect(page.get_by_test_id("lc-leave-form")).to_be_visible()
    await expect(page.get_by_test_id("lc-notice")).not_to_have_text("Chat is not available on this page.")
    # The app and the console refuse to be framed there: no login form inside either frame.
    frames = [f for f in page.frames if f is not page.main_frame]
    assert len(frames) == 2
    for frame in frames:
        assert await frame.locator("[data-testid=login-form]").count() == 0
    assert sum("frame-ancestors" in text for text in refused) == 2, refused
    await shoot(page, artifacts, "framed-app-refused")


async def test_the_demo_site_and_its_widget_run_under_their_policy(config, open_page):
    async with running_server(dataclasses.replace(config, demo=True)) as server:
        page = await open_page(None)
        refused = _csp_refusals(page)
        response = await page.goto(f"{server.url}/demo/site")
        assert response is not None
        assert "frame-ancestors 'none'" in (await response.all_headers())["content-security-policy"]
        launcher = page.get_by_test_id("lc-launcher")
        await expect(launcher).to_be_visible()
        # The widget's own style (inline, in its shadow root) applies: it floats at the corner.
        assert await launcher.evaluate("(el) => getComputedStyle(el).position") == "fixed"
        await launcher.click()
        await expect(page.get_by_test_id("lc-panel")).to_be_visible()
        for path in ("/app", "/console"):
            await page.goto(server.url + path)
            await expect(page.get_by_test_id("login-form")).to_be_visible()
        assert refused == []
        assert page.js_errors == []  # type: ignore[attr-defined]
