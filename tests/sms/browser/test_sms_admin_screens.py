"""The screens for what shapes who receives and what it costs: subscriptions (SM-15,
seed 002: only people subscribed receive), dynamic groups (SM-14: rules over the
directory) and credits (SM-17: the balance, the ledger, a key-user's top-up). Each is
used as a user would, and each passes axe-core in a state with content."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.async_api import expect

from chatserver.client import ClientError
from tests.browser.ui import shoot
from tests.sms.browser.ui import open_sms, violations

pytestmark = pytest.mark.browser


async def test_a_subscription_gets_a_member_who_opts_out_and_is_not_deleted_while_in_use(
        server, open_app, sms_team, artifacts):
    api = sms_team.sender.rest
    piet = await api("POST", "/api/people", {"kind": "candidate", "name": "Piet Pieters", "mobile": "06-12345670"})
    year = str(date.today().year)

    # In Dutch, as the screens are meant: the browser asks for nl.
    page = await open_app(locale="nl-NL")
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "subscriptions")
    await expect(page.get_by_role("heading", name="Abonnementen")).to_be_visible()
    await page.get_by_test_id("sms-new-subscription-name").fill("Nieuwsbrief")
    await page.get_by_test_id("sms-new-subscription-add").click()
    # The new subscription opens at once, still empty.
    await expect(page.get_by_test_id("sms-subscription-name")).to_have_value("Nieuwsbrief")
    await expect(page.get_by_test_id("sms-subscribers-none")).to_have_text("Nog niemand aangemeld.")

    # A person found by name is subscribed, with the date.
    await page.get_by_test_id("sms-subscriber-picker-input").press_sequentially("Piet")
    await page.get_by_test_id("sms-subscriber-picker-result").filter(has_text="Piet Pieters").click()
    row = page.get_by_test_id("sms-subscriber")
    await expect(row).to_have_count(1)
    await expect(row).to_have_attribute("data-state", "subscribed")
    await expect(row.get_by_test_id("sms-subscriber-joined")).to_contain_text(year)
    await expect(row.get_by_test_id("sms-subscriber-opted-out")).to_have_text("\u2014")
    item = page.get_by_test_id("sms-subscription").filter(has_text="Nieuwsbrief")
    await expect(item).to_contain_text("1 aangemeld")

    # Opted out: kept in the list with the date, no longer counted.
    await row.get_by_role("button", name="Piet Pieters afmelden").click()
    await expect(row).to_have_attribute("data-state", "opted_out")
    await expect(row.get_by_test_id("sms-subscriber-opted-out")).to_contain_text(year)
    await expect(item).to_contain_text("0 aangemeld")
    await expect(row.get_by_test_id("sms-subscriber-rejoin")).to_have_text("Opnieuw aanmelden")
    assert await violations(page) == []
    await shoot(page, artifacts, "sms-20-subscription")

    # A waiting message is for its subscribers: deleting is refused, and the screen says why.
    send_at = (datetime.now(UTC) + timedelta(days=2)).isoformat().replace("+00:00", "Z")
    sub_id = int(await item.get_attribute("data-id") or 0)
    await api("POST", "/api/sms/messages", {"body": "Nieuws van deze week", "subscription_id": sub_id,
                                            "send_at": send_at, "recipients": [{"type": "person", "id": piet["id"]}]})
    await page.get_by_test_id("sms-subscription-delete").click()
    await expect(page.get_by_test_id("confirm-dialog")).to_contain_text("Het abonnement \u201cNieuwsbrief\u201d verwijderen?")
    await page.get_by_test_id("confirm-yes").click()
    await expect(page.get_by_test_id("sms-subscriptions-error")).to_have_text(
        "\u201cNieuwsbrief\u201d kan niet verwijderd worden: 1 wachtend(e) bericht(en) zijn voor de abonnees ervan. "
        "Annuleer die berichten of kies er eerst een ander abonnement voor.")
    await expect(page.get_by_test_id("sms-subscription")).to_have_count(1)

    # Renamed; the side list follows.
    await page.get_by_test_id("sms-subscription-name").fill("Nieuwsbrief Zuid")
    await page.get_by_test_id("sms-subscription-save").click()
    await expect(page.get_by_test_id("sms-subscription-status")).to_have_text("Bewaard.")
    await expect(page.get_by_test_id("sms-subscription")).to_have_text(["Nieuwsbrief Zuid 0 aangemeld"])
    assert page.js_errors == []


async def test_a_dynamic_group_with_rules_shows_who_matches_now(server, open_app, sms_team, artifacts):
    api = sms_team.sender.rest
    org = await api("POST", "/api/organisations", {"name": "Bouwbedrijf Zuid"})
    await api("POST", "/api/people", {"name": "Piet Pieters", "function": "Lasser", "mobile": "06-12345670",
                                      "organisation_id": org["id"]})
    await api("POST", "/api/people", {"name": "Karel Vast", "function": "Lasser TIG", "mobile": "06-12345671"})
    await api("POST", "/api/people", {"name": "Joost Uit", "function": "Timmerman", "organisation_id": org["id"]})

    page = await open_app()
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "dynamic")
    await page.get_by_test_id("sms-dynamic-new").click()
    await page.get_by_test_id("sms-dynamic-name").fill("Lassers Zuid")
    rules = page.get_by_test_id("sms-rule")
    await expect(rules).to_have_count(1)

    # The server checks the rules; its answer (its details, in words) stands at the rule it is about.
    await page.get_by_test_id("sms-dynamic-save").click()
    message = "Rule 1: choose “is” or “contains” and type a value."
    await expect(rules.first.get_by_test_id("sms-rule-error")).to_have_text(message)
    await expect(page.get_by_test_id("sms-dynamic-error")).to_have_text(message)
    await expect(rules.first.get_by_test_id("sms-rule-value")).to_have_attribute("aria-invalid", "true")

    await rules.first.get_by_test_id("sms-rule-value").fill("lasser")
    # A second rule: in an organisation, chosen by name.
    await page.get_by_test_id("sms-rule-add").click()
    await expect(rules).to_have_count(2)
    await rules.nth(1).get_by_test_id("sms-rule-field").select_option("organisation_id")
    await rules.nth(1).get_by_test_id("sms-rule-picker-input").press_sequentially("Bouw")
    await rules.nth(1).get_by_test_id("sms-rule-picker-result").filter(has_text="Bouwbedrijf Zuid").click()
    await expect(rules.nth(1).get_by_test_id("sms-rule-chosen")).to_have_text("Chosen: Bouwbedrijf Zuid")
    await page.get_by_test_id("sms-dynamic-save").click()

    # Saved, it opens with who matches now: the welder at the organisation, not the carpenter.
    total = page.get_by_test_id("sms-dynamic-total")
    members = page.get_by_test_id("sms-dynamic-member")
    await expect(total).to_have_text("1 person matches the rules now.")
    await expect(members).to_have_text(["Piet Pieters06-12345670"])
    await expect(page.get_by_test_id("sms-dynamic")).to_have_text(["Lassers Zuid 2 rules"])
    assert await violations(page) == []
    await shoot(page, artifacts, "sms-21-dynamic-group")

    # Opened again, the organisation rule shows the organisation's name, not its id.
    await page.reload()
    await expect(rules.nth(1).get_by_test_id("sms-rule-chosen")).to_have_text("Chosen: Bouwbedrijf Zuid")
    # Without the organisation rule every welder matches.
    await rules.nth(1).get_by_test_id("sms-rule-remove").click()
    await page.get_by_test_id("sms-dynamic-save").click()
    await expect(page.get_by_test_id("sms-dynamic-status")).to_have_text("Saved.")
    await expect(total).to_have_text("2 people match the rules now.")
    await expect(members).to_have_text(["Karel Vast06-12345671", "Piet Pieters06-12345670"])

    await page.get_by_test_id("sms-dynamic-delete").click()
    await page.get_by_test_id("confirm-yes").click()
    await expect(page.get_by_test_id("sms-dynamic")).to_have_count(0)
    assert page.js_errors == []


async def test_a_key_user_tops_up_credits_and_a_normal_user_sees_no_form(server, open_app, sms_team, artifacts):
    page = await open_app()
    await open_sms(page, sms_team.tenant["slug"], sms_team.key.user["username"], "credits")
    balance = page.get_by_test_id("sms-credits-balance")
    await expect(balance).to_have_text("0 credits")
    await expect(page.get_by_test_id("sms-ledger-empty")).to_have_text("No entries yet.")

    # A wrong amount is refused with the server's reason (its limits, in words).
    await page.get_by_test_id("sms-topup-amount").fill("0")
    await page.get_by_test_id("sms-topup-submit").click()
    await expect(page.get_by_test_id("sms-topup-error")).to_have_text("Choose a whole number from 1 to 10000000.")

    await page.get_by_test_id("sms-topup-amount").fill("500")
    await page.get_by_test_id("sms-topup-note").fill("factuur 2026-11")
    await page.get_by_test_id("sms-topup-submit").click()
    await expect(page.get_by_test_id("sms-topup-status")).to_have_text("500 credits added; the balance is now 500.")
    await expect(balance).to_have_text("500 credits")
    entry = page.get_by_test_id("sms-ledger-entry")
    await expect(entry).to_have_count(1)
    await expect(entry.get_by_test_id("sms-ledger-delta")).to_have_text("+500")
    await expect(entry.get_by_test_id("sms-ledger-reason")).to_have_text("Top-up")
    await expect(entry).to_contain_text("factuur 2026-11")
    await expect(entry).to_contain_text(str(date.today().year))
    assert await violations(page) == []
    await shoot(page, artifacts, "sms-22-credits")

    # A colleague who is no key-user sees the balance, no form and no ledger...
    other = await open_app()
    await open_sms(other, sms_team.tenant["slug"], sms_team.sender.user["username"], "credits")
    await expect(other.get_by_test_id("sms-credits-balance")).to_have_text("500 credits")
    await expect(other.get_by_test_id("sms-ledger-empty")).to_have_text(
        "Only key-users and SMS-admins see the ledger.")
    await expect(other.get_by_test_id("sms-topup")).to_have_count(0)
    # Nothing in place of the form: no stray "null" (append() writes a null as that text).
    await expect(other.get_by_test_id("sms-section")).not_to_contain_text("null")
    assert await violations(other) == []
    # ...and the server refuses a top-up from them all the same.
    with pytest.raises(ClientError) as refused:
        await sms_team.sender.rest("POST", "/api/sms/credits", {"amount": 100})
    assert (refused.value.status, refused.value.code) == (403, "not_key_user")
    await expect(other.get_by_test_id("sms-credits-balance")).to_have_text("500 credits")
    assert page.js_errors == [] and other.js_errors == []
