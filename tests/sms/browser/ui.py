"""Steps a user takes in the SMS screens."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect

from tests.browser.ui import log_in
from tests.helpers import PASSWORD


async def open_sms(page: Page, tenant: str, username: str, route: str = "") -> None:
    """Log in and open an SMS screen through the top bar's SMS link (as a user would)."""
    await log_in(page, tenant, username, PASSWORD)
    await page.get_by_test_id("sms-open").click()
    await expect(page.get_by_test_id("sms-section")).to_be_visible()
    if route:
        await page.get_by_test_id(f"sms-nav-{route}").click()


async def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's findings in the SMS section, short enough to read in an assertion."""
    results = await Axe().run(page, context="#sms-view")
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"][:160] for n in v["nodes"][:3]]}
        for v in results.response["violations"]
    ]
