"""The demo's pretend company site (`serve --demo`, /demo/site): the README's way to try
live chat with nothing set up. A visitor writes from it and the demo operator gets it."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from playwright.async_api import expect

from chatserver.client import ChatClient
from livechat.demo import DEMO_ORIGIN
from tests.helpers import running_server
from tests.livechat.browser.conftest import shoot

pytestmark = pytest.mark.browser


async def test_a_visitor_on_the_demo_site_reaches_the_demo_operator(config, open_page, artifacts):
    async with running_server(dataclasses.replace(config, demo=True)) as server:
        olga = await ChatClient.login(server.url, "demo", "olga", "demo-password")
        server.clients.append(olga)
        await olga.connect()
        await olga.rest("PUT", "/api/livechat/availability", {"online": True})

        page = await open_page(f"{server.url}/demo/site")
        await expect(page.get_by_role("heading", name="Demo Staffing")).to_be_visible()
        await page.get_by_test_id("lc-launcher").click()
        box = page.get_by_test_id("lc-input")
        await box.fill("Is de vacature in Utrecht nog open?")
        await box.press("Enter")

        incoming = await olga.next_event("livechat.incoming")
        assert incoming["data"]["conversation"]["last_message"]["body"] == "Is de vacature in Utrecht nog open?"
        await shoot(page, artifacts, "demo-site")
        assert page.js_errors == []  # type: ignore[attr-defined]

        # The page opened again does not add its origin again, and the chat is still there.
        await page.reload()
        await expect(page.get_by_test_id("lc-message-body").filter(has_text="Utrecht")).to_have_count(1)
        sites = (await olga.rest("GET", "/api/livechat/sites"))["sites"]
        assert [(s["name"], s["origins"]) for s in sites] == [("Demo Staffing website", [DEMO_ORIGIN])]


async def test_there_is_no_demo_site_without_demo(server):
    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.get("/demo/site")).status_code == 404


async def test_a_host_header_does_not_add_its_origin_to_the_demo_site(config):
    evil = "http://evil.example:4444"
    async with running_server(dataclasses.replace(config, demo=True)) as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            page = await http.get("/demo/site", headers={"Host": "evil.example:4444"})
            assert page.status_code == 200
            site_id = int(page.text.split('data-site="')[1].split('"')[0])

            async def visit(origin: str, host: str | None = None) -> httpx.Response:
                headers = {"Origin": origin, "Content-Type": "text/plain", **({"Host": host} if host else {})}
                return await http.post("/api/livechat/visit", headers=headers,
                                       content=f'{{"site_id": {site_id}, "url": "{origin}/demo/site"}}')

            # The hub's own page may chat (same origin), and from the forged host only
            # within that request: nothing was stored.
            assert (await visit(server.url)).status_code == 200
            assert (await visit(evil, host="evil.example:4444")).status_code == 200
            refused = await visit(evil)
            assert refused.status_code == 403 and refused.json()["error"]["code"] == "origin_not_allowed"
        kees = await ChatClient.login(server.url, "demo", "kees", "demo-password")
        server.clients.append(kees)
        sites = (await kees.rest("GET", "/api/livechat/sites"))["sites"]
        assert [s["origins"] for s in sites] == [[DEMO_ORIGIN]]


async def test_the_demo_key_user_opens_the_sites_editor_with_its_preview(config, open_page, artifacts):
    async with running_server(dataclasses.replace(config, demo=True)) as server:
        page = await open_page(f"{server.url}/console", locale="nl-NL")
        # The README's way: log in to the console as kees with the demo password.
        await page.get_by_test_id("login-tenant").fill("demo")
        await page.get_by_test_id("login-username").fill("kees")
        await page.get_by_test_id("login-password").fill("demo-password")
        await page.get_by_test_id("login-submit").click()
        await expect(page.get_by_test_id("console")).to_have_attribute("data-ready", "true")
        await page.get_by_test_id("nav-sites").click()
        await page.get_by_test_id("list-sites").get_by_role("button", name="Site bewerken").click()
        editor = page.get_by_test_id("site-editor")
        await expect(editor.get_by_role("heading", level=2)).to_contain_text("bewerken")
        frame = editor.frame_locator("iframe")
        await expect(frame.get_by_test_id("lc-panel")).to_be_visible()
        await shoot(page, artifacts, "lc-demo-sites-editor-nl")
        assert page.js_errors == []  # type: ignore[attr-defined]
