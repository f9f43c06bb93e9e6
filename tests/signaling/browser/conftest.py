"""Chromium with a fake camera and microphone (a test pattern and a beep), and no
permission prompt: calls between pages of one browser run real WebRTC on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page

from tests.browser.conftest import artifacts, chromium, sign_in  # noqa: F401 - the fixture
from tests.helpers import Server

MEDIA_ARGS = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              "--autoplay-policy=no-user-gesture-required")

OpenCall = Callable[..., Awaitable[Page]]


@pytest.fixture
async def media_browser() -> AsyncIterator[Browser]:
    async with chromium(timeout=20_000, extra_args=MEDIA_ARGS) as browser:
        yield browser


@pytest.fixture
async def open_call(media_browser: Browser, server: Server) -> AsyncIterator[OpenCall]:
    """A page at /v/{token} in a context of its own: as a colleague signed in to the app
    (``session``: the login's token and user; the token goes in the session cookie) or as a guest."""
    contexts: list[BrowserContext] = []

    async def open_(token: str, *, session: dict[str, Any] | None = None, locale: str = "en-US",
                    query: str = "", viewport: dict[str, int] | None = None, base: str | None = None) -> Page:
        context = await media_browser.new_context(locale=locale, viewport=viewport or {"width": 1100, "height": 760})
        contexts.append(context)
        if session is not None:
            await sign_in(context, base or server.url, session["token"])
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        await page.goto(f"{base or server.url}/v/{token}{query}")
        return page

    yield open_
    for context in contexts:
        await context.close()
