"""The composer counts characters left and parts as the user types (SM-3, seed 000 §3.3e).

The count runs in the browser (js/sms-segments.js) and must agree with the server's
sms/rules/segments.py, which decides on send: a table of texts is measured by both.
"""

from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from sms.rules.segments import measure
from tests.browser.ui import shoot
from tests.sms.browser.ui import open_sms

pytestmark = pytest.mark.browser


def _cases() -> list[str]:
    fixed = [
        "", "   ", "Hallo", "a" * 140, "a" * 141, "€" * 70, "€" * 71, "a" * 160, "a" * 161,
        "a" * 306, "a" * 307, "😀", "😀" * 35, "😀" * 36, "a" * 66 + "😀", "a" * 152 + "€" + "b" * 10,
        "ç", "Prijs: 10€ [test] {x} ~|^\\", "\x1c", "\ufeff", "Tot morgen 👋\n\tGroet", "ÄÖÜäöü ß ñ",
    ]
    rnd = random.Random(12)
    alphabet = "abcXYZ 09€[]{}^~|\\\fçÇ😀é❤️\u200b\n\t"
    fixed += ["".join(rnd.choice(alphabet) for _ in range(n)) for n in (5, 70, 139, 160, 170, 320, 400) * 4]
    return fixed


def _py(text: str, allow_long: bool) -> dict[str, object]:
    m = measure(text, allow_long=allow_long)
    return {
        "encoding": str(m.encoding), "units": m.units, "parts": m.parts, "remaining": m.remaining,
        "partLimit": m.part_limit, "allowed": m.allowed, "reason": m.reason and str(m.reason),
        "nonGsm": list(m.non_gsm),
    }


async def test_the_browser_counts_exactly_as_the_server(server, open_app):
    page = await open_app()
    cases = _cases()
    got = await page.evaluate(
        """async (cases) => {
            const { measure } = await import("/static/app/js/sms-segments.js");
            const out = [];
            for (const text of cases) for (const allowLong of [false, true]) out.push(measure(text, { allowLong }));
            return out;
        }""",
        cases,
    )
    expected = [_py(text, allow_long) for text in cases for allow_long in (False, True)]
    assert got == expected


async def test_characters_left_and_parts_as_the_user_types(server, open_app, sms_team, artifacts):
    page = await open_app()
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "new")
    left, parts, encoding = (page.get_by_test_id(t) for t in ("sms-chars-left", "sms-parts", "sms-encoding"))
    body = page.get_by_test_id("sms-body")

    # The seed's default: 140 characters per message.
    await expect(left).to_have_text("140 characters left")
    await body.press_sequentially("Succes morgen!")
    await expect(left).to_have_text("126 characters left")
    await expect(parts).to_have_text("1 SMS")
    await expect(encoding).to_have_text("GSM 7-bit")

    # An extension character counts two.
    await body.press_sequentially(" 10€")
    await expect(left).to_have_text("121 characters left")
    await expect(encoding).to_have_text("GSM 7-bit")

    # An emoji switches to UCS-2: 70 units, the emoji itself two of them.
    await body.press_sequentially(" 👍")
    await expect(encoding).to_contain_text("UCS-2")
    await expect(encoding).to_contain_text("👍")
    await expect(left).to_have_text(f"{70 - (len('Succes morgen! 10€ ') + 2)} characters left")
    await shoot(page, artifacts, "sms-01-composer-ucs2")

    # Over the limit of a message that may not be long: told by how much, send refused.
    await body.fill("x" * 150)
    await expect(left).to_have_text("10 characters too many")
    await expect(page.get_by_test_id("sms-length-note")).to_contain_text("does not allow long messages")

    # Long messages allowed (a key-user's setting): parts of 153 as a handset counts them.
    await sms_team.tenant_setting("sms.allow_long", True)
    await page.reload()
    await expect(page.get_by_test_id("sms-composer")).to_be_visible()
    await page.get_by_test_id("sms-body").fill("y" * 160)
    await expect(parts).to_have_text("1 SMS")
    await expect(left).to_have_text("0 characters left")
    await page.get_by_test_id("sms-body").press("z")
    await expect(parts).to_have_text("2 SMS")
    await expect(left).to_have_text(f"{2 * 153 - 161} characters left")
    assert page.js_errors == []


async def test_dutch_composer(server, open_app, sms_team):
    page = await open_app(locale="nl-NL")
    await open_sms(page, sms_team.tenant["slug"], sms_team.sender.user["username"], "new")
    await expect(page.get_by_role("heading", name="Nieuw SMS bericht")).to_be_visible()
    await expect(page.get_by_test_id("sms-chars-left")).to_have_text("140 karakters over")
    await page.get_by_label("Bericht", exact=True).press_sequentially("€")
    await expect(page.get_by_test_id("sms-chars-left")).to_have_text("138 karakters over")

    # The server's refusals read in Dutch too, naming what was refused (its details).
    picker = page.get_by_test_id("sms-picker-input")
    await picker.fill("020 123 4567")
    await picker.press("Enter")
    await expect(page.get_by_test_id("sms-picker-error")).to_have_text(
        "“020 123 4567” is geen mobiel nummer en kan geen sms ontvangen.")
    await picker.fill("+999 123")
    await picker.press("Enter")
    await expect(page.get_by_test_id("sms-picker-error")).to_contain_text("“+999 123” is geen")
    await expect(page.get_by_test_id("sms-chip")).to_have_count(0)
    assert page.js_errors == []
