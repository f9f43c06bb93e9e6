"""The console says a refusal in the reader's language: the server's error code, mapped by
the shared error mapper to the console's own text (console/js/errors-i18n.js), never the
server's English sentence on a Dutch screen."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.livechat.browser.conftest import console_login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("locale", "shown"), [
    ("nl-NL", "Mislukt: Er is al een label met deze naam."),
    ("en-GB", "Failed: There is a label with this name already."),
])
async def test_a_refused_label_is_said_in_the_readers_language(server, livechat, open_page, locale, shown):
    kees = livechat.key
    await kees.rest("PUT", f"/api/users/{kees.user['id']}/settings/livechat.enabled", {"value": True})
    await kees.rest("POST", "/api/livechat/labels", {"name": "Sales", "colour": "#f9d71c"})
    page = await open_page(server.url + "/console", locale=locale)
    await console_login(page, livechat.tenant["slug"], kees.user["username"], online=False)
    await page.get_by_test_id("nav-labels").click()
    # Another label of the same name: the server refuses it (409 label_taken).
    await page.get_by_test_id("label-name").fill("Sales")
    await page.get_by_test_id("label-colour").fill("#d93025")
    await page.locator("#label-form [type=submit]").click()
    await expect(page.locator("#label-error")).to_have_text(shown)
    assert [x["name"] for x in (await kees.rest("GET", "/api/livechat/labels"))["labels"]] == ["Sales"]
    assert page.js_errors == []


async def test_a_refused_login_is_said_in_dutch(server, livechat, open_page):
    page = await open_page(server.url + "/console", locale="nl-NL")
    await page.get_by_test_id("login-tenant").fill(livechat.tenant["slug"])
    await page.get_by_test_id("login-username").fill(livechat.key.user["username"])
    await page.get_by_test_id("login-password").fill("niet-het-wachtwoord")
    await page.get_by_test_id("login-submit").click()
    await expect(page.locator("#login-error")).to_have_text(
        "Inloggen mislukt: Verkeerde organisatie, gebruikersnaam of wachtwoord.")
    assert page.js_errors == []
