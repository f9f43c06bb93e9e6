"""Many new visitors from one address (an office, a mobile carrier): the widget of the
one over the limit says it is busy and tries again, it is not told chat is unavailable."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import expect

from chatserver.clock import FakeClock
from chatserver.config import Config
from tests.helpers import Server, running_server
from tests.livechat.browser.conftest import shoot

pytestmark = pytest.mark.browser


@pytest.fixture
def config(config: Config) -> Config:
    # One new visitor at once, then one every two seconds, from this address.
    return dataclasses.replace(config, visit_burst=1, visit_rate_per_minute=30)


@pytest.fixture
async def server(config: Config) -> AsyncIterator[Server]:
    # The limiter's time stands still until the test moves it: on a slow machine the
    # second visitor could otherwise arrive after the two seconds that let it in.
    async with running_server(config, clock=FakeClock()) as srv:
        yield srv


async def test_a_visitor_over_the_limit_sees_busy_and_gets_in_after_a_retry(
    server, livechat, site_pages, open_page, artifacts
):
    await livechat.make_operator(server, "Olga Bakker")
    first = await open_page(site_pages.origin + "/index.html")
    await expect(first.locator("#chatserver-livechat")).to_have_attribute("data-state", "offline")

    second = await open_page(None, locale="nl-NL")
    states: list[str] = []

    def note(state: str) -> None:
        states.append(state)

    await second.expose_function("noteState", note)
    await second.add_init_script("""
      new MutationObserver(() => {
        const w = document.getElementById("chatserver-livechat");
        if (w) window.noteState(w.getAttribute("data-state"));
      }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-state"]});
    """)
    await second.goto(site_pages.origin + "/index.html")
    widget = second.locator("#chatserver-livechat")
    await expect(widget).to_have_attribute("data-state", "busy")
    await second.get_by_test_id("lc-launcher").click()
    await expect(second.get_by_test_id("lc-notice")).to_have_text("Het is nu erg druk; we verbinden zo opnieuw…")
    await shoot(second, artifacts, "lc-busy-retrying")
    # The server asks for 2 s; the widget tries again by itself and gets in once they passed.
    clock = server.services.clock
    assert isinstance(clock, FakeClock)
    clock.advance(2)
    await expect(widget).to_have_attribute("data-state", "offline", timeout=15_000)
    await expect(second.get_by_test_id("lc-leave-form")).to_be_visible()
    assert "unavailable" not in states
    assert second.js_errors == []  # type: ignore[attr-defined]
