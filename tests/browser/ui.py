"""Steps a user takes in the app, shared by the browser tests."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Locator, Page, expect


async def log_in(page: Page, tenant: str, username: str, password: str) -> None:
    await page.get_by_test_id("login-tenant").fill(tenant)
    await page.get_by_test_id("login-username").fill(username)
    await page.get_by_test_id("login-password").fill(password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("side-panel")).to_be_visible()
    # Connected: the hello handshake is done and the status is shown.
    await expect(page.get_by_test_id("conn-state")).to_have_attribute("data-state", "online")


async def shoot(page: Page, artifacts: Path, name: str) -> None:
    await page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


async def loaded_width(img: Locator) -> int:
    """An <img>'s natural width once it has loaded (one without a src yet counts as
    complete, with no width: wait for its load instead)."""
    await expect(img).to_have_attribute("src", re.compile(r"."))
    return int(await img.evaluate(
        "img => img.complete && img.naturalWidth ? img.naturalWidth"
        " : new Promise((ok) => img.addEventListener('load', () => ok(img.naturalWidth), { once: true }))"))
