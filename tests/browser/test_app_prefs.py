"""The app's notification preferences list every ``notify.*`` setting the catalogue declares:
the core's and live chat's (``notify.livechat_message``, declared by the live-chat feature,
livechat/settings.py), in the user's language, and a choice there is the stored setting."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in
from tests.helpers import PASSWORD, two_contacts

pytestmark = pytest.mark.browser

EN = ["Someone wants to add me as a contact", "My contact request is accepted", "A contact's status changes",
      "A new chat message", "A new live chat message"]
NL = ["Iemand wil mij toevoegen als contactpersoon", "Mijn contactverzoek is geaccepteerd",
      "De status van een contactpersoon verandert", "Een nieuw chatbericht", "Een nieuw live-chatbericht"]


@pytest.mark.parametrize(("locale", "labels", "saved"), [("en-GB", EN, "Saved."), ("nl-NL", NL, "Opgeslagen.")])
async def test_the_preferences_show_the_core_and_live_chat_notifications(server, open_app, locale, labels, saved):
    tenant, anna, _ = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    page = await open_app(locale=locale)
    await log_in(page, tenant["slug"], anna.user["username"], PASSWORD)
    await page.get_by_test_id("prefs-open").click()
    await expect(page.get_by_test_id("prefs-dialog")).to_be_visible()
    await expect(page.locator("#prefs-fields label")).to_have_text(labels)

    # Live chat's level, chosen here, is the setting live chat reads (by its old name, so
    # levels stored before the feature declared it still count).
    await page.get_by_test_id("pref-notify.livechat_message").select_option("2")
    await expect(page.get_by_test_id("prefs-status")).to_have_text(saved)
    mine = await anna.rest("GET", f"/api/users/{anna.user['id']}/settings")
    assert mine["values"]["notify.livechat_message"] == 2
    assert "notify.livechat_message" in mine["overridden"]
    assert page.js_errors == []
