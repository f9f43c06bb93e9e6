"""The directory and a record's page in Chromium (issue 18, issue 13's player): a recruiter finds
a candidate with the keyboard, opens the record, sees its timeline (an SMS, a call, a recording),
plays the recording (a <video> by a signed link, seeking with Range), chats about the record
(IC-7) and starts a call with a link to send (VC-3); at desktop and phone size, in English and
Dutch, with axe-core finding nothing serious."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from playwright.async_api import Page, expect

from chatserver.db.models import User
from signaling.sample import keep_sample
from tests.browser.test_app_accessibility import serious
from tests.browser.ui import log_in, shoot
from tests.helpers import PASSWORD, Server, make_tenant, make_user, running_server, two_contacts

pytestmark = pytest.mark.browser


async def _world(server: Server) -> dict[str, Any]:
    """Anna and Bram (contacts), Piet's record with an SMS to him and a 2 s recording in it."""
    org, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Vries")
    key = await make_user(server, org, "Kees Keyuser", role="key_user")
    await key.rest("PUT", "/api/settings/tenant/sms.default_sender", {"value": "DemoStaff"})
    piet = await anna.rest("POST", "/api/people", {"kind": "candidate", "name": "Piet de Vries", "function": "Monteur",
                                                   "mobile": "06-12345678", "email": "piet@example.nl"})
    record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Piet de Vries",
                                                      "person_id": piet["id"]})
    await anna.rest("POST", "/api/records", {"kind": "vacancy", "title": "Monteur elektra"})
    await anna.rest("POST", "/api/sms/messages", {"subject": "Intake", "body": "Tot morgen!",
                                                  "recipients": [{"type": "person", "id": piet["id"]}],
                                                  "record_ids": [record["id"]]})
    async with server.services.read() as s:
        actor = await s.get(User, anna.user["id"])
    recording_id = await keep_sample(server.services, actor, record["id"], seconds=2.0)
    return {"org": org, "anna": anna, "bram": bram, "piet": piet, "record": record, "recording_id": recording_id}


async def _find_and_open(page: Page, w: dict[str, Any], typed: str) -> None:
    """From the top bar's directory link, type a name, arrow down to the candidate, Enter."""
    await page.get_by_test_id("directory-open").click()
    await page.get_by_test_id("dir-search").press_sequentially(typed)
    row = page.get_by_test_id(f"dir-candidate-{w['piet']['id']}")
    await expect(row).to_be_visible()
    await page.get_by_test_id("dir-search").press("ArrowDown")
    for _ in range(4):  # colleagues come first: on down through the results
        if await row.evaluate("(a) => a === document.activeElement"):
            break
        await page.keyboard.press("ArrowDown")
    await expect(row).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("rec-title")).to_have_text("Piet de Vries")


async def _plays(page: Page) -> float:
    """The recording's player has its metadata (a duration) and seeks; the seek asked a Range (206)."""
    player = page.get_by_test_id("tl-player")
    await expect(player).to_be_visible()
    await page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=tl-player]'); return v && v.readyState >= 1 }")
    duration = await player.evaluate("(v) => v.duration")
    partial: list[int] = []
    page.on("response", lambda r: partial.append(r.status) if "/file?" in r.url else None)
    seeked = await player.evaluate("""(v) => new Promise((done) => {
        v.addEventListener('seeked', () => done(v.currentTime), { once: true });
        v.currentTime = v.duration / 2;
    })""")
    assert abs(seeked - duration / 2) < 0.6, (seeked, duration)
    assert await player.evaluate("(v) => v.error === null")
    assert 206 in partial or partial == [], partial  # a seek within what was loaded asks nothing more
    return float(duration)


async def test_find_a_candidate_open_the_record_play_its_recording_and_chat_about_it(server, open_app, artifacts):
    w = await _world(server)
    anna, bram = w["anna"], w["bram"]
    page = await open_app("en-US")
    await log_in(page, w["org"]["slug"], anna.user["username"], PASSWORD)
    await _find_and_open(page, w, "piet")
    await page.get_by_test_id("rec-back").click()
    await expect(page.get_by_test_id("dir-group-candidate")).to_be_visible()
    await expect(page.get_by_test_id("dir-group-colleague")).to_be_hidden()  # nobody of that name
    await page.get_by_test_id(f"dir-candidate-{w['piet']['id']}").click()
    await expect(page.get_by_test_id("rec-facts")).to_contain_text("06-12345678")
    timeline = page.get_by_test_id("timeline")
    await expect(timeline.get_by_test_id("tl-recording")).to_contain_text("Recording of Anna Jansen")
    await expect(timeline.get_by_test_id("tl-sms")).to_contain_text("SMS “Intake”")
    await expect(timeline.get_by_test_id("tl-video")).to_contain_text("Anna Jansen started a video call ended")
    duration = await _plays(page)
    assert 1.5 <= duration <= 2.5, duration
    assert await serious(page) == []
    await shoot(page, artifacts, "records-02-record-desktop-en")

    # IC-7: chat about the record with a contact; the conversation opens, its subject names the record.
    await bram.connect()
    await page.get_by_test_id("rec-chat").click()
    await expect(page.get_by_test_id("rec-chat-to")).to_be_focused()
    assert await serious(page) == []  # the chat form open
    await page.get_by_test_id("rec-chat-body").fill("Kun jij Piet bellen?")
    await page.get_by_test_id("rec-chat-send").click()
    window = page.get_by_test_id(f"chat-window-{bram.user['id']}")
    await expect(window.get_by_test_id("message-subject").first).to_contain_text("Candidate: Piet de Vries")
    got = await bram.next_event("chat.message")
    assert got["data"]["message"]["record_id"] == w["record"]["id"] and got["data"]["message"]["body"] == "Kun jij Piet bellen?"
    await expect(page.get_by_test_id("records-section")).to_be_hidden()  # the conversation has the area
    await shoot(page, artifacts, "records-03-chat-from-record-desktop-en")
    await page.go_back()  # and Back is the record again, the chat in its timeline
    await expect(timeline.get_by_test_id("tl-chat")).to_contain_text("Anna Jansen to Bram de Vries")

    # VC-3: a call from the record: a link to copy, sent by e-mail to the candidate from here.
    await page.get_by_test_id("rec-video").click()
    await expect(page.get_by_test_id("rec-call")).to_be_visible()
    link = await page.get_by_test_id("rec-call-link").input_value()
    assert link.startswith(f"{server.url}/v/") and len(link) > len(server.url) + 30
    await expect(page.get_by_test_id("rec-call-email")).to_have_value("piet@example.nl")
    await page.get_by_test_id("rec-call-send").click()
    await expect(page.get_by_test_id("rec-call-status")).to_have_text("The link was sent to piet@example.nl.")
    await expect(timeline.get_by_test_id("tl-video")).to_have_count(2)
    await expect(timeline.get_by_test_id("tl-video").first.get_by_role("link")).to_have_text("Join the call")
    await expect(timeline.get_by_test_id("tl-video").last.get_by_role("link")).to_have_count(0)  # over
    assert await serious(page) == []  # the call's link and e-mail form open
    await shoot(page, artifacts, "records-04-call-link-desktop-en")

    # SM-8: the SMS composer with the record's person as the recipient.
    await page.get_by_test_id("rec-sms").click()
    await expect(page.get_by_test_id("sms-chip")).to_have_count(1)
    await expect(page.get_by_test_id("sms-chip").first).to_contain_text("Piet de Vries")
    await page.go_back()
    # VC-2: plan an interview: the agenda opens with this record chosen.
    async with page.context.expect_page() as opened:
        await page.get_by_test_id("rec-plan").click()
    agenda = await opened.value
    await expect(agenda.get_by_test_id("plan-record")).to_have_value(str(w["record"]["id"]))
    await agenda.close()

    # Back to the same search; the vacancy is a record of its own.
    await page.get_by_test_id("rec-back").click()
    await expect(page.get_by_test_id("dir-search")).to_have_value("piet")
    await page.get_by_test_id("dir-search").fill("")
    await expect(page.get_by_test_id("dir-group-record")).to_contain_text("Monteur elektra")
    await expect(page.get_by_test_id("dir-group-colleague")).to_contain_text("Bram de Vries")
    assert await serious(page) == []
    await shoot(page, artifacts, "records-01-directory-desktop-en")
    assert page.js_errors == []


async def test_on_a_phone_in_dutch(server, open_app, artifacts):
    w = await _world(server)
    anna, bram = w["anna"], w["bram"]
    page = await open_app("nl-NL", viewport={"width": 390, "height": 844})
    await log_in(page, w["org"]["slug"], anna.user["username"], PASSWORD)
    await expect(page.get_by_test_id("directory-open")).to_have_text("Adresboek")
    await _find_and_open(page, w, "vries")
    await expect(page.get_by_text("Tijdlijn")).to_be_visible()
    await expect(page.get_by_test_id("rec-chat")).to_have_text("Chatten over dit dossier")
    await expect(page.get_by_test_id("tl-recording")).to_contain_text("Opname van Anna Jansen")
    assert await _plays(page) > 1.5
    # One column: nothing wider than the phone, the contact list out of the way.
    assert await page.evaluate("document.scrollingElement.scrollWidth") <= 390
    await expect(page.get_by_test_id("side-panel")).to_be_hidden()
    assert await serious(page) == []
    await shoot(page, artifacts, "records-05-record-phone-nl")

    await page.get_by_test_id("rec-chat").click()
    await page.get_by_test_id("rec-chat-send").click()  # the suggested text names the record
    window = page.get_by_test_id(f"chat-window-{bram.user['id']}")
    await expect(window).to_be_visible()
    await expect(window.get_by_test_id("message-body").last).to_have_text("Wilt u naar Piet de Vries kijken?")
    await expect(window.get_by_test_id("message-subject").last).to_contain_text("Kandidaat: Piet de Vries")
    box = await window.bounding_box()
    assert box is not None and box["width"] <= 390
    await page.screenshot(path=str(artifacts / "records-06-chat-phone-nl.png"))  # the screen as seen
    await page.go_back()
    await expect(page.get_by_test_id("tl-chat")).to_contain_text("Anna Jansen aan Bram de Vries")
    await expect(window).to_be_hidden()

    await page.get_by_test_id("rec-back").click()
    await expect(page.get_by_test_id("dir-group-candidate")).to_contain_text("Piet de Vries")
    await expect(page.get_by_test_id("dir-group-colleague")).to_contain_text("Bram de Vries")
    assert await page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert await serious(page) == []
    await shoot(page, artifacts, "records-07-directory-phone-nl")
    assert page.js_errors == []


async def test_another_organisations_record_is_not_found(server, open_app):
    w = await _world(server)
    other = await make_tenant(server, "other")
    outsider = await make_user(server, other, "Olaf")
    page = await open_app("en-US")
    await log_in(page, other["slug"], outsider.user["username"], PASSWORD)
    await page.goto(page.url.split("#")[0] + f"#/records/{w['record']['id']}")
    await expect(page.get_by_test_id("records-section").get_by_role("alert")).to_have_text(
        "This no longer exists, or you cannot see it.")
    await expect(page.get_by_test_id("tl-player")).to_have_count(0)
    await page.get_by_test_id("rec-back").click()
    await page.get_by_test_id("dir-search").fill("piet")
    await expect(page.get_by_test_id("dir-nothing")).to_be_visible()



async def test_the_player_asks_for_a_fresh_link_when_its_link_has_run_out(config, open_app):
    """A link lives CHATSERVER_MEDIA_LINK_SECONDS; a player that fetches again after that (a
    long recording played on later, a seek past what it holds) is refused once, gets a fresh
    link and plays on."""
    async with running_server(replace(config, media_link_seconds=2)) as srv:
        w = await _world(srv)
        page = await open_app("en-US")
        await page.goto(srv.url + "/app")
        await log_in(page, w["org"]["slug"], w["anna"].user["username"], PASSWORD)
        await page.goto(srv.url + f"/app#/records/{w['record']['id']}")
        player = page.get_by_test_id("tl-player")
        await page.wait_for_function("() => document.querySelector('[data-testid=tl-player]')?.readyState >= 1")
        refused: list[int] = []
        page.on("response", lambda r: refused.append(r.status) if "/file?" in r.url and r.status == 403 else None)
        await asyncio.sleep(3)  # the link's two seconds are over
        # The player fetches again with its old link (the address changed, so its cache cannot answer).
        first = await player.evaluate("(v) => { v.src = v.currentSrc + '&again=1'; return v.src }")
        await page.wait_for_function(
            "(old) => { const v = document.querySelector('[data-testid=tl-player]');"
            " return v && v.currentSrc !== old && v.readyState >= 1 }", arg=first)
        assert refused == [403]
        assert await player.evaluate("(v) => v.duration") > 1.5
        assert page.js_errors == []
