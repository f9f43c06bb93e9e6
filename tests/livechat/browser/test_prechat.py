"""The pre-chat form and proactive messages in the widget, from the site's own (second)
origin: a required field left out is refused by the server, naming it; then the chat starts
and the operator reads the details in the console. A proactive rule opens the widget with
its message on a matching page only."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import expect

from tests.livechat.browser.conftest import console_login, shoot

pytestmark = pytest.mark.browser

PRECHAT = {"fields": {"name": "required", "email": "required", "phone": "optional"}}
RULES = [{"url": "/other*", "seconds": 1, "message": {"nl": "Vragen over ons bedrijf?", "en": "Questions about us?"}}]


async def _configure(livechat, **settings) -> None:
    site = {k: livechat.site[k] for k in ("name", "origins", "greeting")}
    await livechat.key.rest("PUT", f"/api/livechat/sites/{livechat.site['id']}", {**site, **settings})


async def test_the_pre_chat_form_refuses_a_missing_field_then_starts_the_chat(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    await _configure(livechat, prechat=PRECHAT)
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])

    for locale, need, started in [("en-US", "Please fill in: E-mail.", "Sanne"), ("nl-NL", "Vul in: E-mailadres.", "Piet")]:
        visitor = await open_page(site_pages.origin + "/index.html", locale=locale)
        await expect(visitor.locator("#chatserver-livechat")).to_have_attribute("data-state", "ready")
        await visitor.get_by_test_id("lc-launcher").click()
        await expect(visitor.get_by_test_id("lc-composer")).to_be_hidden()
        await expect(visitor.get_by_test_id("lc-leave-form")).to_be_visible()
        await visitor.get_by_test_id("lc-leave-name").fill(f"{started} de Vries")
        await visitor.get_by_test_id("lc-leave-body").fill(f"Vraag van {started} over monteurswerk")
        await visitor.get_by_test_id("lc-leave-send").click()
        await expect(visitor.get_by_test_id("lc-leave-error")).to_have_text(need)
        await shoot(visitor, artifacts, f"lc-prechat-refused-{locale[:2]}")
        await visitor.get_by_test_id("lc-leave-email").fill(f"{started.lower()}@example.nl")
        await visitor.get_by_test_id("lc-leave-send").click()
        await expect(visitor.get_by_test_id("lc-message-body")).to_have_text(f"Vraag van {started} over monteurswerk")
        await expect(visitor.get_by_test_id("lc-composer")).to_be_visible()
        await expect(visitor.get_by_test_id("lc-leave-form")).to_be_hidden()
        await shoot(visitor, artifacts, f"lc-prechat-started-{locale[:2]}")
        assert visitor.js_errors == []  # type: ignore[attr-defined]

    await console.get_by_test_id("nav-incoming").click()
    item = console.get_by_test_id("list-incoming").locator("li", has_text="Sanne")
    await item.get_by_role("button").first.click()
    await expect(console.get_by_test_id("messages")).to_contain_text("Vraag van Sanne")
    await expect(console.get_by_test_id("visitor-name")).to_have_value("Sanne de Vries")
    await expect(console.get_by_test_id("visitor-email")).to_have_value("sanne@example.nl")
    await shoot(console, artifacts, "lc-prechat-console")


async def test_a_proactive_message_opens_the_widget_on_a_matching_page(
    server, livechat, site_pages, open_page, artifacts
):
    await _configure(livechat, proactive=RULES)
    olga = await livechat.make_operator(server, "Olga Bakker")
    await olga.connect()
    await olga.rest("PUT", "/api/livechat/availability", {"online": True})

    for locale, text in [("nl-NL", "Vragen over ons bedrijf?"), ("en-US", "Questions about us?")]:
        visitor = await open_page(site_pages.origin + "/other.html", locale=locale)
        await expect(visitor.get_by_test_id("lc-panel")).to_be_hidden()
        await expect(visitor.get_by_test_id("lc-proactive")).to_have_text(text)
        await expect(visitor.get_by_test_id("lc-panel")).to_be_visible()
        await shoot(visitor, artifacts, f"lc-proactive-{locale[:2]}")
        assert visitor.js_errors == []  # type: ignore[attr-defined]

    # Another page does not match the rule: the widget stays closed.
    other = await open_page(site_pages.origin + "/index.html", locale="nl-NL")
    await expect(other.locator("#chatserver-livechat")).to_have_attribute("data-state", "ready")
    await asyncio.sleep(1.5)
    await expect(other.get_by_test_id("lc-panel")).to_be_hidden()
    assert await other.get_by_test_id("lc-proactive").count() == 0

    # A visitor who opened and closed the widget before the seconds passed is left alone.
    await _configure(livechat, proactive=[{**RULES[0], "seconds": 3}])
    closer = await open_page(site_pages.origin + "/other.html", locale="nl-NL")
    await expect(closer.locator("#chatserver-livechat")).to_have_attribute("data-state", "ready")
    await closer.get_by_test_id("lc-launcher").click()
    await closer.get_by_test_id("lc-close").click()
    await asyncio.sleep(3.5)
    await expect(closer.get_by_test_id("lc-panel")).to_be_hidden()
    assert await closer.get_by_test_id("lc-proactive").count() == 0


async def test_a_key_user_sets_the_form_and_a_rule_in_the_console_and_the_visitor_meets_them(
    server, livechat, site_pages, open_page, artifacts
):
    key = livechat.key
    await key.rest("PUT", f"/api/users/{key.user['id']}/settings/livechat.enabled", {"value": True})
    console = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(console, livechat.tenant["slug"], key.user["username"], online=False)
    await console.get_by_test_id("nav-sites").click()
    await console.get_by_test_id(f"site-edit-{livechat.site['id']}").click()  # in the site's editor
    pid = lambda k: console.get_by_test_id(f"prechat-{livechat.site['id']}-{k}")  # noqa: E731
    await pid("name").select_option("required")
    await pid("email").select_option("optional")
    await pid("rules").fill("/other* | 0 | Vragen? | Questions?")
    await pid("save").click()
    toasts = console.get_by_test_id("toast")
    # Refused by the server (seconds 1 to 600), said in Dutch beside the form, naming the rule.
    await expect(pid("error")).to_have_text("Proactief bericht 1: de seconden zijn een heel getal van 1 tot 600.")
    await pid("rules").fill("/other* | 1 | Kunnen we helpen? | Can we help?")
    # Saved, the list of sites reloads: wait for it before looking at the new form.
    async with console.expect_response(lambda r: r.url.endswith("/api/livechat/sites") and r.request.method == "GET"):
        await pid("save").click()
    await expect(toasts.filter(has_text="Formulier vooraf en proactieve berichten opgeslagen")).to_be_visible()
    await expect(pid("rules")).to_have_value("/other* | 1 | Kunnen we helpen? | Can we help?")  # as stored, reloaded
    await pid("form").scroll_into_view_if_needed()
    await shoot(console, artifacts, "lc-prechat-console-settings-nl")
    site = (await key.rest("GET", "/api/livechat/sites"))["sites"][0]
    assert site["prechat"] == {"fields": {"name": "required", "email": "optional"}}

    olga = await livechat.make_operator(server, "Olga Bakker")
    await olga.connect()
    await olga.rest("PUT", "/api/livechat/availability", {"online": True})
    visitor = await open_page(site_pages.origin + "/other.html", locale="en-US")
    await expect(visitor.get_by_test_id("lc-proactive")).to_have_text("Can we help?")
    await expect(visitor.get_by_test_id("lc-leave-form")).to_be_visible()
    await expect(visitor.get_by_test_id("lc-leave-phone")).to_be_hidden()
    await expect(visitor.locator("#chatserver-livechat label[for=email]")).to_have_text("E-mail (optional)")
    await shoot(visitor, artifacts, "lc-proactive-prechat-en")
    assert console.js_errors == [] and visitor.js_errors == []  # type: ignore[attr-defined]
