"""The console's Reports screen in Chromium: four weeks of chats (the demo's seed) drawn
as charts with the numbers in tables, per operator, in the browser's time zone, both
languages, CSV downloads, a refused range, axe; another organisation sees none of it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect

from chatserver.storage import accounts
from livechat import demo_reports
from tests.helpers import make_tenant, make_user
from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_desk_accessibility import serious

pytestmark = pytest.mark.browser

ZONE = "Europe/Amsterdam"


@pytest.fixture
async def open_console(browser: Browser, server: Any) -> AsyncIterator[Callable[..., Awaitable[Page]]]:
    """A console page in a browser of its own, in Amsterdam's time zone."""
    contexts = []

    async def open_(locale: str = "en-US") -> Page:
        context = await browser.new_context(locale=locale, timezone_id=ZONE, viewport={"width": 1280, "height": 1000},
                                            accept_downloads=True)
        contexts.append(context)
        page = await context.new_page()
        await page.goto(server.url + "/console")
        return page

    yield open_
    for context in contexts:
        await context.close()


async def _seeded(server: Any, livechat: Any) -> tuple[Any, Any]:
    olga = await livechat.make_operator(server, "Olga Bakker")
    bram = await livechat.make_operator(server, "Bram de Vries")
    async with server.services.read() as s:
        users = await accounts.users_by_ids(s, [olga.user["id"], bram.user["id"]])
    made = await demo_reports.seed_report_history(server.services, livechat.site["id"],
                                                  [users[olga.user["id"]], users[bram.user["id"]]])
    assert made > 20
    return olga, bram


async def _open_reports(page: Page, tenant: str, username: str) -> None:
    await console_login(page, tenant, username, online=False)
    await page.get_by_test_id("nav-reports").click()
    await expect(page.get_by_test_id("reports-days").get_by_test_id("report-day")).to_have_count(30)


@pytest.mark.parametrize("locale", ["en-US", "nl-NL"])
async def test_reports_show_charts_tables_and_download_csv(server, livechat, open_console, artifacts, locale):
    olga, _ = await _seeded(server, livechat)
    page = await open_console(locale)
    await _open_reports(page, livechat.tenant["slug"], olga.user["username"])
    en = locale == "en-US"

    # The screen asked for the last 30 days in the browser's zone: the same as the API says.
    today = server.services.clock.now().astimezone(ZoneInfo(ZONE)).date()
    first = today - timedelta(days=29)
    await expect(page.get_by_test_id("reports-from")).to_have_value(first.isoformat())
    await expect(page.get_by_test_id("reports-to")).to_have_value(today.isoformat())
    await expect(page.get_by_test_id("reports-zone")).to_have_text(("Time zone: " if en else "Tijdzone: ") + ZONE)
    data = await olga.rest("GET", f"/api/livechat/reports?from={first}&to={today}&tz={ZONE}")

    # The chats chart: a bar per day and series, its height the day's number; its words.
    chart = page.get_by_test_id("chart-chats")
    started = chart.locator("[data-series=started] rect")
    await expect(started).to_have_count(30)
    values = [int(v) for v in await started.evaluate_all("bars => bars.map(b => b.dataset.value)")]
    assert values == [d["started"] for d in data["days"]]
    assert sum(values) > 20
    desc = await chart.locator("desc").text_content()
    total = sum(values)
    assert (f"{total} chats started" if en else f"{total} chats begonnen") in (desc or "")
    assert await chart.get_attribute("role") == "img"
    # The times chart: a dot per day with a median, the line through them.
    dots = page.get_by_test_id("chart-times").locator("[data-series=first] circle")
    await expect(dots).to_have_count(len([d for d in data["days"] if d["first_response_median_s"] is not None]))

    # The tables hold every number: a row per day, one per operator.
    rows = page.get_by_test_id("reports-days").get_by_test_id("report-day")
    busiest = max(data["days"], key=lambda d: d["started"])
    row = page.get_by_test_id("reports-days").locator(f"tr[data-date='{busiest['date']}'] td")
    await expect(row.nth(0)).to_have_text(str(busiest["started"]))
    await expect(rows).to_have_count(30)
    ops = page.get_by_test_id("reports-operators").get_by_test_id("report-operator")
    await expect(ops.locator("th")).to_have_text(["Bram de Vries", "Olga Bakker"])
    olga_row = next(o for o in data["operators"] if o["name"] == "Olga Bakker")
    await expect(ops.nth(1).locator("td").nth(0)).to_have_text(str(olga_row["chats"]))
    await shoot(page, artifacts, f"lc-reports-01-{locale[:2]}")

    # Both tables download as CSV, named by the server.
    async with page.expect_download() as info:
        await page.get_by_test_id("download-operators").click()
    download = await info.value
    assert download.suggested_filename == f"livechat-operators-{first}-to-{today}.csv"
    content = Path(await download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbfname,chats,")
    assert b"Olga Bakker," in content
    async with page.expect_download() as info:
        await page.get_by_test_id("download-days").click()
    assert (await info.value).suggested_filename == f"livechat-days-{first}-to-{today}.csv"

    # axe: the screen with its charts and tables.
    bad = await serious(page, "#view-reports")
    assert not bad, json.dumps(bad, indent=1)

    # One operator's days: the table and the chart follow, the CSV's name says whose.
    bram = next(o for o in data["operators"] if o["name"] == "Bram de Vries")
    await page.get_by_test_id("reports-operator").select_option(label="Bram de Vries")
    theirs = await olga.rest("GET", f"/api/livechat/reports?from={first}&to={today}&tz={ZONE}&operator={bram['id']}")
    expected = [d["started"] for d in theirs["days"]]
    assert expected != [d["started"] for d in data["days"]]
    await page.wait_for_function(
        """want => JSON.stringify([...document.querySelectorAll('#chart-chats [data-series=started] rect')]
                   .map(b => Number(b.dataset.value))) === JSON.stringify(want)""", arg=expected)
    async with page.expect_download() as info:
        await page.get_by_test_id("download-days").click()
    assert (await info.value).suggested_filename == f"livechat-days-{first}-to-{today}-operator-{bram['id']}.csv"
    await page.get_by_test_id("reports-operator").select_option("")

    # A range the other way round: the server's reason, in the screen's error line.
    await page.get_by_test_id("reports-from").fill(today.isoformat())
    await page.get_by_test_id("reports-to").fill(first.isoformat())
    await page.get_by_test_id("reports-show").click()
    await expect(page.get_by_test_id("reports-error")).to_have_text(
        "The start date is after the end date." if en else "De begindatum ligt na de einddatum.")
    # More than 366 days: said in the screen's language too.
    await page.get_by_test_id("reports-from").fill("2024-01-01")
    await page.get_by_test_id("reports-show").click()
    await expect(page.get_by_test_id("reports-error")).to_have_text(
        "Choose at most 366 days." if en else "Kies hooguit 366 dagen.")
    # The last 7 days.
    await page.get_by_test_id("reports-last7").click()
    await expect(rows).to_have_count(7)
    await expect(page.get_by_test_id("reports-error")).to_have_text("")


async def test_another_organisation_sees_none_of_it(server, livechat, open_console, artifacts):
    await _seeded(server, livechat)
    tenant = await make_tenant(server, "concurrent")
    key = await make_user(server, tenant, "Karin Keyuser", role="key_user")
    await key.rest("PUT", f"/api/users/{key.user['id']}/settings/livechat.enabled", {"value": True})
    page = await open_console()
    await _open_reports(page, tenant["slug"], key.user["username"])
    bars = page.get_by_test_id("chart-chats").locator("[data-series=started] rect")
    assert {int(v) for v in await bars.evaluate_all("bars => bars.map(b => b.dataset.value)")} == {0}
    await expect(page.get_by_test_id("reports-operators")).not_to_contain_text("Olga")
    # Only her own organisation's operator: herself, with nothing yet.
    await expect(page.get_by_test_id("reports-operators").locator("tbody th")).to_have_text(["Karin Keyuser"])
    await shoot(page, artifacts, "lc-reports-02-other-organisation")
