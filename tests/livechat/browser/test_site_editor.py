"""The Sites screen's editor with the widget's live preview, in Dutch and English: a key-user
changes the colour and the position, sees the real widget in the preview change before
saving, gets a bad colour refused by the server in their language beside the field, saves,
and the widget on the site's own (second) origin shows the new look; axe finds nothing
serious in the editor or the restyled widget. Then a site is added and deleted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect

from tests.livechat.browser.conftest import console_login, shoot

pytestmark = pytest.mark.browser

WORDS = {
    "nl-NL": {"bad": "Kleur: geef een kleurcode zoals #1f5fd1 (# en zes tekens 0-9 of a-f).",
              "saved": "Site opgeslagen.", "launcher": "Vragen?", "title": "Chat met ons", "away": "Morgen weer open.",
              "zone": "Tijdzone: geef een tijdzone zoals Europe/Amsterdam."},
    "en-US": {"bad": "Colour: give a colour code such as #1f5fd1 (# and six digits 0-9 or letters a-f).",
              "saved": "Site saved.", "launcher": "Questions?", "title": "Chat with us", "away": "Open again tomorrow.",
              "zone": "Time zone: give a zone such as Europe/Amsterdam."},
}


async def serious(page: Page, selector: str) -> list[dict[str, Any]]:
    results = await Axe().run(page, context=selector)
    return [{"id": v["id"], "nodes": [n["html"][:140] for n in v["nodes"][:3]]}
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


async def _style(launcher: Any) -> dict[str, Any]:
    return await launcher.evaluate(
        "n => { const s = getComputedStyle(n), r = n.getBoundingClientRect();"
        " return {bg: s.backgroundColor, fg: s.color, left: r.left, right: innerWidth - r.right}; }")


@pytest.mark.parametrize("locale", ["nl-NL", "en-US"])
async def test_the_key_user_restyles_the_widget_with_a_live_preview(
    server, livechat, site_pages, open_page, artifacts, locale
):
    words, lang = WORDS[locale], locale[:2]
    key, sid = livechat.key, livechat.site["id"]
    await key.rest("PUT", f"/api/users/{key.user['id']}/settings/livechat.enabled", {"value": True})
    olga = await livechat.make_operator(server, "Olga Bakker")
    await olga.connect()
    await olga.rest("PUT", "/api/livechat/availability", {"online": True})

    console = await open_page(server.url + "/console", locale=locale)
    await console_login(console, livechat.tenant["slug"], key.user["username"], online=False)
    await console.get_by_test_id("nav-sites").click()
    await console.get_by_test_id(f"site-edit-{sid}").click()
    f = lambda k: console.get_by_test_id(f"site-{sid}-{k}")  # noqa: E731
    preview = console.frame_locator(f"[data-testid=site-{sid}-preview]")
    launcher = preview.get_by_test_id("lc-launcher")
    await expect(preview.get_by_test_id("lc-panel")).to_be_visible()  # the real widget, opened
    before = await _style(launcher)
    assert before["bg"] == "rgb(31, 95, 209)" and before["right"] < 40, before

    # The preview follows what is typed, before anything is saved.
    await f("colour").fill("#ffd400")
    await f("position-left").check()
    await f(f"launcher-{lang}").fill(words["launcher"])
    await expect(launcher).to_have_css("background-color", "rgb(255, 212, 0)")
    after = await _style(launcher)
    assert after["fg"] == "rgb(0, 0, 0)", after  # black on yellow: the contrast computed
    assert after["left"] < 40 < after["right"], after
    await expect(preview.get_by_test_id("lc-launcher-text")).to_have_text(words["launcher"])
    await expect(preview.locator("header h2")).to_have_text(words["title"])
    assert (await key.rest("GET", "/api/livechat/sites"))["sites"][0]["look"] is None  # not saved yet
    await shoot(console, artifacts, f"lc-site-preview-{lang}")

    # The away text and the pre-chat form, typed below and not saved, show in the preview too.
    await console.get_by_test_id(f"hours-{sid}-away-{lang}").fill(words["away"])
    await f("preview-closed").check()
    await expect(preview.get_by_test_id("lc-notice")).to_have_text(words["away"])
    await expect(preview.get_by_test_id("lc-leave-form")).to_be_visible()
    await shoot(console, artifacts, f"lc-site-preview-closed-{lang}")
    await f("preview-open").check()
    await expect(preview.get_by_test_id("lc-composer")).to_be_visible()
    await console.get_by_test_id(f"prechat-{sid}-email").select_option("required")
    await expect(preview.get_by_test_id("lc-leave-email")).to_be_visible()
    await expect(preview.get_by_test_id("lc-leave-name")).to_be_hidden()
    await console.get_by_test_id(f"prechat-{sid}-email").select_option("")
    await expect(preview.get_by_test_id("lc-composer")).to_be_visible()
    # The hours' own refusal is said in the console's language too.
    await console.get_by_test_id(f"hours-{sid}-zone").fill("Mars/Olympus")
    await console.get_by_test_id(f"hours-{sid}-save").click()
    await expect(console.get_by_test_id(f"hours-{sid}-error")).to_have_text(words["zone"])

    # A colour the server refuses: said in the console's language, beside the field.
    await f("colour").fill("geel")
    await f("save").click()
    await expect(f("error")).to_have_text(words["bad"])
    await expect(f("colour")).to_have_attribute("aria-invalid", "true")
    await expect(f("colour")).to_be_focused()
    await shoot(console, artifacts, f"lc-site-refused-{lang}")
    found = {"editor": await serious(console, "[data-testid=site-editor]")}

    await f("colour").fill("#ffd400")
    async with console.expect_response(lambda r: r.url.endswith("/api/livechat/sites") and r.request.method == "GET"):
        await f("save").click()
    await expect(console.get_by_test_id("toast").filter(has_text=words["saved"])).to_be_visible()
    await expect(console.get_by_test_id("site-editor")).to_have_count(0)
    look = (await key.rest("GET", "/api/livechat/sites"))["sites"][0]["look"]
    assert look == {"colour": "#ffd400", "position": "left", "launcher": {lang: words["launcher"]}, "language": "en"}

    # The widget on the site's own origin wears the new look.
    visitor = await open_page(site_pages.origin + "/index.html", locale=locale)
    await expect(visitor.locator("#chatserver-livechat")).to_have_attribute("data-state", "ready")
    vl = visitor.get_by_test_id("lc-launcher")
    await expect(vl).to_have_css("background-color", "rgb(255, 212, 0)")
    await expect(visitor.get_by_test_id("lc-launcher-text")).to_have_text(words["launcher"])
    await expect(vl).to_have_attribute("aria-label", f"{words['launcher']}, " + ("Chat openen" if lang == "nl" else "Open chat"))
    shown = await _style(vl)
    assert shown["fg"] == "rgb(0, 0, 0)" and shown["left"] < 40 < shown["right"], shown
    await vl.click()
    await expect(visitor.get_by_test_id("lc-composer")).to_be_visible()
    panel = await visitor.get_by_test_id("lc-panel").bounding_box()
    assert panel and panel["x"] < 40, panel
    await shoot(visitor, artifacts, f"lc-site-new-look-{lang}")
    found["widget"] = await serious(visitor, "#chatserver-livechat")
    assert console.js_errors == [] and visitor.js_errors == []  # type: ignore[attr-defined]
    bad = {k: v for k, v in found.items() if v}
    assert not bad, json.dumps(bad, indent=1)


async def test_a_visitor_speaking_neither_language_gets_the_sites_default(server, livechat, site_pages, open_page):
    site = {k: livechat.site[k] for k in ("name", "origins", "greeting")}
    await livechat.key.rest("PUT", f"/api/livechat/sites/{livechat.site['id']}", {**site, "look": {"language": "nl"}})
    visitor = await open_page(site_pages.origin + "/index.html", locale="de-DE")
    await expect(visitor.locator("#chatserver-livechat")).to_have_attribute("data-state", "offline")
    await expect(visitor.get_by_test_id("lc-launcher")).to_have_attribute("aria-label", "Chat openen")
    await visitor.get_by_test_id("lc-launcher").click()
    await expect(visitor.locator("#chatserver-livechat header h2")).to_have_text("Chat met ons")
    await expect(visitor.get_by_test_id("lc-greeting")).to_have_text("Welkom bij Job Genius!")
    assert await visitor.locator("#chatserver-livechat").get_attribute("lang") == "nl"


async def test_on_a_phone_the_left_hand_widget_still_fills_the_screen(server, livechat, site_pages, open_page, artifacts):
    site = {k: livechat.site[k] for k in ("name", "origins", "greeting")}
    look = {"position": "left", "colour": "#0b6e4f", "launcher": {"nl": "Chat"}}
    await livechat.key.rest("PUT", f"/api/livechat/sites/{livechat.site['id']}", {**site, "look": look})
    visitor = await open_page(None, locale="nl-NL")
    await visitor.set_viewport_size({"width": 390, "height": 844})
    await visitor.goto(site_pages.origin + "/index.html")
    launcher = visitor.get_by_test_id("lc-launcher")
    await expect(launcher).to_have_css("background-color", "rgb(11, 110, 79)")
    box = await launcher.bounding_box()
    assert box and box["x"] < 40, box
    await launcher.click()
    panel = await visitor.get_by_test_id("lc-panel").bounding_box()
    assert panel and panel["x"] == 0 and panel["width"] == 390 and panel["height"] == 844, panel
    await shoot(visitor, artifacts, "lc-site-left-phone-nl")


async def test_a_key_user_adds_and_deletes_a_site_in_the_console(server, livechat, open_page, artifacts):
    key = livechat.key
    await key.rest("PUT", f"/api/users/{key.user['id']}/settings/livechat.enabled", {"value": True})
    console = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(console, livechat.tenant["slug"], key.user["username"], online=False)
    await console.get_by_test_id("nav-sites").click()
    await console.get_by_test_id("site-new").click()
    f = lambda k: console.get_by_test_id(f"site-new-{k}")  # noqa: E731
    await f("name").fill("Werkplaats")
    await f("origins").fill("www.werkplaats.example")  # no scheme: refused, in Dutch
    await f("save").click()
    await expect(f("error")).to_contain_text("Toegestane origins: elk is schema://host[:poort]")
    await f("origins").fill("https://www.werkplaats.example")
    await f("save").click()
    await expect(console.get_by_test_id("toast").filter(has_text="Site opgeslagen.")).to_be_visible()
    await expect(console.get_by_test_id("site-editor")).to_have_count(0)
    sites = (await key.rest("GET", "/api/livechat/sites"))["sites"]
    new = next(s for s in sites if s["name"] == "Werkplaats")
    await expect(console.get_by_test_id(f"site-{new['id']}")).to_be_visible()

    console.on("dialog", lambda d: d.accept())
    await console.get_by_test_id(f"site-edit-{new['id']}").click()
    await shoot(console, artifacts, "lc-site-editor-nl")
    await console.get_by_test_id(f"site-{new['id']}-delete").click()
    await expect(console.get_by_test_id("toast").filter(has_text="Site verwijderd.")).to_be_visible()
    await expect(console.get_by_test_id(f"site-{new['id']}")).to_have_count(0)
    assert [s["id"] for s in (await key.rest("GET", "/api/livechat/sites"))["sites"]] == [livechat.site["id"]]
    assert console.js_errors == []  # type: ignore[attr-defined]
