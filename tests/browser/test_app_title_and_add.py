"""The unread count in the tab's title and icon, and adding a contact in one step (issue 18)."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, make_tenant, make_user, two_contacts, unique

pytestmark = pytest.mark.browser


async def test_the_tab_shows_how_many_conversations_are_unread(server, open_app, artifacts):
    tenant, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    page = await open_app()
    await log_in(page, tenant["slug"], bram.user["username"], PASSWORD)
    icon = page.locator("link#favicon")
    await expect(page).to_have_title("Chat")
    await expect(icon).to_have_attribute("href", "/static/app/favicon.svg")
    async with httpx.AsyncClient() as http:
        served = await http.get(server.url + "/static/app/favicon.svg")
    assert served.status_code == 200 and served.text.startswith("<svg")

    await anna.connect()
    await anna.send_message(bram.user["id"], "Heb je even?")
    await expect(page).to_have_title("(1) Chat")
    await expect(icon).to_have_attribute("href", re.compile(r"^data:image/svg\+xml,"))

    # Read: the title and the icon are plain again.
    await page.get_by_test_id(f"contact-{anna.user['id']}").click()
    await expect(page).to_have_title("Chat")
    await expect(icon).to_have_attribute("href", "/static/app/favicon.svg")
    assert page.js_errors == []


async def test_a_contact_is_added_from_a_suggestion_in_one_step_by_keyboard(server, open_app, artifacts):
    tenant = await make_tenant(server)
    anna = await make_user(server, tenant, "Anna Jansen")
    bram = await make_user(server, tenant, "Brammert Oudewater", function="Accountmanager")
    page = await open_app("nl-NL")
    await log_in(page, tenant["slug"], anna.user["username"], PASSWORD)

    await page.get_by_test_id("add-contact-open").click()
    search = page.get_by_test_id("add-search")
    await expect(search).to_be_focused()
    await search.press_sequentially("Brammert")
    suggestion = page.get_by_test_id(f"suggestion-{bram.user['id']}")
    await expect(suggestion).to_contain_text("Brammert Oudewater")
    await expect(suggestion).to_contain_text("Toevoegen")
    await expect(page.get_by_test_id("add-hint")).to_have_text("1 suggestie")
    await shoot(page, artifacts, "add-01-suggestion-nl")

    # Down to the suggestion, Enter: the request goes and the panel closes.
    await search.press("ArrowDown")
    await expect(suggestion).to_be_focused()
    await page.keyboard.press("ArrowUp")
    await expect(search).to_be_focused()
    await search.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("add-panel")).to_be_hidden()
    await expect(page.get_by_test_id("add-message")).to_have_text("Contactverzoek verstuurd naar Brammert Oudewater.")
    await expect(page.get_by_test_id(f"outgoing-{bram.user['id']}")).to_have_text(
        "Wacht op acceptatie door Brammert Oudewater")
    await expect(page.get_by_test_id("add-contact-open")).to_be_focused()
    pending = await bram.rest("GET", "/api/contact-requests")
    assert [r["from"]["id"] for r in pending["incoming"]] == [anna.user["id"]]
    await shoot(page, artifacts, "add-02-sent-nl")

    # Two matches: the plural. (Names no other test uses: the search also finds people of
    # other organisations open to external chat.)
    await make_user(server, tenant, "Brammert Bakker")
    await page.get_by_test_id("add-contact-open").click()
    await page.get_by_test_id("add-search").press_sequentially("Brammert")
    await expect(page.get_by_test_id("add-hint")).to_have_text("2 suggesties")
    # Asked again: the server's refusal is said in Dutch and the panel stays open.
    await page.get_by_test_id(f"suggestion-{bram.user['id']}").click()
    await expect(page.get_by_test_id("add-message")).to_have_text("Er wacht al een verzoek op antwoord.")
    await expect(page.get_by_test_id("add-panel")).to_be_visible()
    assert page.js_errors == []


@pytest.mark.parametrize(("locale", "viewport", "hint"), [
    ("nl-NL", {"width": 390, "height": 844}, "2 suggesties"),
    ("en-GB", {"width": 1280, "height": 800}, "2 suggestions"),
], ids=["phone-nl", "desktop-en"])
async def test_people_are_found_by_their_function(server, open_app, artifacts, locale, viewport, hint):
    """Search by function (issue 18): a function chosen with nothing typed lists who has it,
    and typing part of a function finds them too, as Teams finds people by job title."""
    tenant = await make_tenant(server)
    anna = await make_user(server, tenant, "Anna Jansen")
    fn = unique("Zorgplanner")  # nobody else in the shared database has it
    wies = await make_user(server, tenant, "Wies Wolters", function=fn)
    xander = await make_user(server, tenant, "Xander Xu", function=fn)
    await make_user(server, tenant, "Yara Yilmaz", function="Recruiter")
    page = await open_app(locale, viewport=viewport)
    await log_in(page, tenant["slug"], anna.user["username"], PASSWORD)
    await page.get_by_test_id("add-contact-open").click()

    await page.get_by_test_id("add-function").select_option(fn)
    results = page.locator("[data-testid^='suggestion-']")
    await expect(results).to_have_count(2)
    await expect(page.get_by_test_id(f"suggestion-{wies.user['id']}")).to_contain_text(fn)
    await expect(page.get_by_test_id(f"suggestion-{xander.user['id']}")).to_be_visible()
    await expect(page.get_by_test_id("add-hint")).to_have_text(hint)
    await shoot(page, artifacts, f"add-03-by-function-{locale[:2]}")

    await page.get_by_test_id("add-function").select_option("")
    await page.get_by_test_id("add-search").press_sequentially(fn[:9].lower())
    await expect(results).to_have_count(2)
    await expect(page.get_by_test_id("add-hint")).to_have_text(hint)
    assert page.js_errors == []
