"""Send from a record with its person preselected, add an organisation and exclude one of
its people, then see per recipient who received it and ask why someone did not
(SM-8, SM-10, SM-14, SM-15, seed 000 §3.4/3.5, seed 002)."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


async def test_send_from_a_record_and_ask_why_someone_did_not_receive_it(server, open_app, sms_team, artifacts):
    api = sms_team.sender.rest
    org = await api("POST", "/api/organisations", {"name": "Bouwbedrijf Zuid"})
    piet = await api("POST", "/api/people", {"kind": "candidate", "name": "Piet Pieters", "mobile": "06-12345670",
                                             "organisation_id": org["id"]})
    await api("POST", "/api/people", {"kind": "candidate", "name": "Karel Vast", "phone": "020 123 4567",
                                      "organisation_id": org["id"]})
    await api("POST", "/api/people", {"kind": "candidate", "name": "Joost Uit", "mobile": "06-12345679",
                                      "organisation_id": org["id"]})
    record = await api("POST", "/api/records", {"kind": "candidate", "title": "Piet Pieters (lasser)",
                                                "person_id": piet["id"]})

    vacancy = await api("POST", "/api/records", {"kind": "vacancy", "title": "Vacature lasser Tilburg"})

    page = await open_app()
    await log_in(page, sms_team.tenant["slug"], sms_team.sender.user["username"], PASSWORD)
    # The record's "New SMS" entry point is an address: the composer opens with the person chosen.
    await page.goto(page.url.split("#")[0] + f"#/sms/new?record={record['id']}")
    await expect(page.get_by_test_id("sms-origin")).to_have_text("From: Piet Pieters (lasser)")
    chips = page.get_by_test_id("sms-chip")
    await expect(chips).to_have_count(1)
    await expect(chips.first).to_contain_text("Piet Pieters (+31612345670)")

    # The whole organisation, but not Joost: found by name, added as included or excluded.
    picker = page.get_by_test_id("sms-picker-input")
    await picker.press_sequentially("Bouwbedrijf")
    await page.get_by_test_id("sms-picker-result").filter(has_text="Bouwbedrijf Zuid").click()
    await page.get_by_test_id("sms-picker-mode").select_option("exclude")
    await picker.press_sequentially("Joost")
    await page.get_by_test_id("sms-picker-result").filter(has_text="Joost Uit").click()
    await expect(chips).to_have_count(3)
    await expect(chips.filter(has_text="Joost Uit")).to_have_attribute("data-mode", "exclude")

    await page.get_by_test_id("sms-body").fill("Kun je morgen om 7:00 beginnen?")
    await page.get_by_test_id("sms-send").click()
    await expect(page.get_by_test_id("sms-compose-notice")).to_contain_text("Your message is being sent.")
    await page.get_by_test_id("sms-compose-open").click()

    # Per recipient: who received it, and why the others did not.
    rows = page.get_by_test_id("sms-recipient")
    await expect(rows).to_have_count(3)
    piet_row = rows.filter(has_text="Piet Pieters")
    await expect(piet_row.get_by_test_id("sms-recipient-state")).to_have_attribute("data-state", "delivered",
                                                                                    timeout=20_000)
    await expect(rows.filter(has_text="Karel Vast").get_by_test_id("sms-recipient-why")).to_contain_text(
        "No valid mobile number")
    await expect(rows.filter(has_text="Joost Uit").get_by_test_id("sms-recipient-why")).to_contain_text("Excluded")
    await page.get_by_test_id("sms-recipients-not").click()
    await expect(rows).to_have_count(2)
    await page.get_by_test_id("sms-why-input").fill("Karel")
    await page.get_by_test_id("sms-why-ask").click()
    await expect(page.get_by_test_id("sms-why-answer")).to_contain_text(
        "Karel Vast did not receive this message: No valid mobile number")
    # Related to the record it was sent from, and then to the vacancy too (seed 000 §3.5).
    await expect(page.get_by_test_id("sms-record")).to_contain_text("Piet Pieters (lasser)")
    await page.get_by_test_id("sms-record-search").press_sequentially("Vacature")
    await page.get_by_test_id("sms-record-result").filter(has_text="Vacature lasser Tilburg").click()
    await expect(page.get_by_test_id("sms-record")).to_have_count(2)
    timeline = await api("GET", f"/api/records/{vacancy['id']}/timeline")
    assert any("Kun je morgen" in str(entry) for entry in timeline["entries"])
    await expect(page.get_by_test_id("sms-detail-status")).to_have_attribute("data-status", "sent", timeout=20_000)
    await shoot(page, artifacts, "sms-06-why-not")

    # From a recipient straight to a new SMS to that person, named in the composer.
    await page.get_by_test_id("sms-recipients-all").click()
    await piet_row.get_by_test_id("sms-recipient-sms").click()
    await expect(page.get_by_test_id("sms-composer")).to_be_visible()
    await expect(chips).to_have_count(1)
    await expect(chips.first).to_contain_text("Candidate/person: Piet Pieters")
    assert page.js_errors == []
