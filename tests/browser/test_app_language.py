"""Server errors in the user's language (issue 18): the server answers with a code
(``bad_credentials``) and an English sentence; a Dutch user reads Dutch."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import shoot
from tests.helpers import make_tenant, make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("locale", "text"), [
    ("nl-NL", "Inloggen mislukt: Verkeerde organisatie, gebruikersnaam of wachtwoord."),
    ("en-GB", "Login failed: Wrong organisation, username or password."),
])
async def test_a_wrong_password_is_told_in_the_users_language(server, open_app, artifacts, locale, text):
    tenant = await make_tenant(server)
    anna = await make_user(server, tenant, "Anna Jansen")
    page = await open_app(locale)
    await page.get_by_test_id("login-tenant").fill(tenant["slug"])
    await page.get_by_test_id("login-username").fill(anna.user["username"])
    await page.get_by_test_id("login-password").fill("not-the-password")
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("login-error")).to_have_text(text)
    await shoot(page, artifacts, f"login-error-{locale}")
    assert page.js_errors == []
