"""Live chat in a real Chromium (issue 3): the widget on a page of another origin, the
operator console at /console, and what the visitor and the operator see of each other.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.livechat.browser.conftest import console_login, shoot

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"


async def until_true(page: Page, expression: str, timeout: float = 10.0) -> None:
    """Poll an expression from outside the page: the console's CSP (script-src 'self')
    forbids the eval that Playwright's wait_for_function polls with."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await page.evaluate(expression):
        assert loop.time() < deadline, f"still false after {timeout} s: {expression}"
        await asyncio.sleep(0.1)


def widget(page: Page):
    return page.locator("#chatserver-livechat")


async def send_from_widget(page: Page, text: str) -> None:
    box = page.get_by_test_id("lc-input")
    await box.fill(text)
    await box.press("Enter")
    await expect(page.get_by_test_id("lc-message-body").filter(has_text=text).last).to_be_visible()


async def reply_from_console(page: Page, text: str) -> None:
    box = page.get_by_test_id("composer-input")
    await box.fill(text)
    await box.press("Enter")
    await expect(
        page.get_by_test_id("messages").get_by_test_id("message-body").filter(has_text=text)
    ).to_have_count(1)


async def test_visitor_chats_with_operator_across_navigation_and_reload(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])

    # The visitor opens a page of the site (another origin); the snippet loads the widget.
    visitor = await open_page(site_pages.origin + "/index.html")
    await expect(widget(visitor)).to_have_attribute("data-state", "ready")
    launcher = visitor.get_by_test_id("lc-launcher")
    await expect(launcher).to_be_visible()  # the host page's CSS hides every button: not ours
    await expect(visitor.get_by_test_id("lc-panel")).to_be_hidden()
    await shoot(visitor, artifacts, "lc-01-widget-closed")

    await launcher.click()
    await expect(visitor.get_by_test_id("lc-panel")).to_be_visible()
    await expect(launcher).to_have_attribute("aria-expanded", "true")
    await expect(visitor.get_by_test_id("lc-greeting")).to_have_text("Welcome at Job Genius!")
    await expect(visitor.get_by_test_id("lc-input")).to_be_focused()
    await send_from_widget(visitor, "Ik heb een vraag over de vacature")
    await shoot(visitor, artifacts, "lc-02-widget-open")

    # The operator (notification level 1 by default) is notified, and sees it arrive in
    # Incoming, and assigns it to themselves.
    await until_true(console, "window.__notes.some((n) => n.body.includes('vraag over de vacature'))")
    await console.get_by_test_id("nav-incoming").click()
    item = console.get_by_test_id("list-incoming").locator("li", has_text="vraag over de vacature")
    await expect(item).to_have_count(1)
    await expect(console.get_by_test_id("count-incoming")).to_have_text("1")
    await item.get_by_role("button", name="Assign to me").click()
    chat = console.get_by_test_id("chat-window")
    await expect(chat).to_be_visible()
    await expect(chat).to_have_attribute("data-state", "active")
    await expect(console.get_by_test_id("chat-operator")).to_contain_text("Olga Bakker")
    await expect(console.get_by_test_id("count-incoming")).to_have_text("0")
    await expect(console.get_by_test_id("count-active")).to_have_text("1")
    await expect(chat.get_by_test_id("message-body")).to_have_text(["Ik heb een vraag over de vacature"])
    # Visitor details captured at connect (LC-8).
    await expect(console.get_by_test_id("visitor-website")).to_contain_text("Job Genius")
    await expect(console.get_by_test_id("visitor-browser")).to_contain_text("Chrom")
    await expect(console.get_by_test_id("visitor-url")).to_contain_text(site_pages.origin + "/index.html")
    await expect(console.get_by_test_id("visitor-ip")).to_contain_text("127.0.0.1")

    # The visitor sees the operator's name; typing shows on both sides; the reply arrives.
    await expect(visitor.get_by_test_id("lc-operator")).to_contain_text("Olga Bakker")
    await console.get_by_test_id("composer-input").press_sequentially("Goed")
    await expect(visitor.get_by_test_id("lc-typing")).to_contain_text("is typing")
    await reply_from_console(console, "Goedemorgen! Waarmee kan ik helpen?")
    await expect(visitor.get_by_test_id("lc-message-body")).to_have_text(
        ["Ik heb een vraag over de vacature", "Goedemorgen! Waarmee kan ik helpen?"]
    )
    await expect(visitor.get_by_test_id("lc-typing")).to_have_text("")
    await visitor.get_by_test_id("lc-input").press_sequentially("Is")
    await expect(console.get_by_test_id("typing")).to_contain_text("is typing")
    await visitor.get_by_test_id("lc-input").fill("")

    # Escape closes the panel; a reply while closed shows the unread badge.
    await visitor.get_by_test_id("lc-input").press("Escape")
    await expect(visitor.get_by_test_id("lc-panel")).to_be_hidden()
    await expect(launcher).to_be_focused()
    await reply_from_console(console, "Bent u er nog?")
    await expect(visitor.get_by_test_id("lc-badge")).to_have_text("1")
    await launcher.press("Enter")
    await expect(visitor.get_by_test_id("lc-badge")).to_be_hidden()

    # Another page of the site, then a reload: the same conversation, and it continues.
    expected = ["Ik heb een vraag over de vacature", "Goedemorgen! Waarmee kan ik helpen?", "Bent u er nog?"]
    await visitor.get_by_test_id("to-other").click()
    await expect(visitor).to_have_title("Over ons")
    await expect(visitor.get_by_test_id("lc-panel")).to_be_visible()
    await expect(visitor.get_by_test_id("lc-message-body")).to_have_text(expected)
    await expect(visitor.get_by_test_id("lc-operator")).to_contain_text("Olga Bakker")
    await visitor.reload()
    await expect(visitor.get_by_test_id("lc-message-body")).to_have_text(expected)
    await send_from_widget(visitor, "Ja, ik ben er nog")
    await expect(console.get_by_test_id("messages").get_by_test_id("message-body")).to_have_text(
        [*expected, "Ja, ik ben er nog"]
    )

    # The widget's socket drops (closed as too slow to read, 4008); it reconnects with its
    # last seq, and a reply sent meanwhile arrives exactly once, on both sides.
    sockets: list = []
    visitor.on("websocket", lambda ws: sockets.append(ws))
    conv = (await olga.rest("GET", "/api/livechat/conversations", state="active"))["conversations"][0]
    for conn in server.app.state.hub.connections(conv["visitor"]["id"]):
        await conn.close(4008, "test: too slow")
    await olga.rest(
        "POST",
        f"/api/livechat/conversations/{conv['id']}/messages",
        {"body": "Na de storing", "client_msg_id": "d1"},
    )
    expected += ["Ja, ik ben er nog", "Na de storing"]
    await expect(visitor.get_by_test_id("lc-message-body")).to_have_text(expected)
    await expect(console.get_by_test_id("messages").get_by_test_id("message-body")).to_have_text(expected)
    await expect(visitor.get_by_test_id("lc-status")).to_be_hidden()
    assert len(sockets) == 1  # one new socket: the reconnect
    # Opened with a one-use ticket: the visitor's token never stands in a URL.
    assert "/ws?ticket=" in sockets[0].url and "token=" not in sockets[0].url, sockets[0].url

    # Markup from either side is shown as text and runs nothing, in both pages.
    await send_from_widget(visitor, IMG)
    await reply_from_console(console, SCRIPT)
    await expect(visitor.get_by_test_id("lc-message-body").filter(has_text=SCRIPT)).to_have_count(1)
    await expect(console.get_by_test_id("message-body").filter(has_text=IMG)).to_have_count(1)
    await expect(console.get_by_test_id("list-active").get_by_test_id("conv-last")).to_have_text([SCRIPT])
    assert await visitor.evaluate("typeof window.__xss") == "undefined"
    assert await console.evaluate("typeof window.__xss") == "undefined"
    assert await visitor.locator("img").count() == 0
    await shoot(console, artifacts, "lc-03-console-chat")

    # Each site's snippet is there to copy.
    await console.get_by_test_id("nav-sites").click()
    site_id = livechat.site["id"]
    await expect(console.get_by_test_id(f"snippet-{site_id}")).to_have_value(livechat.site["snippet"])

    # The overview counts it, live.
    await console.get_by_test_id("nav-overview").click()
    await expect(console.get_by_test_id("stat-active-value")).to_have_text("1")
    await expect(console.get_by_test_id("stat-online-value")).to_have_text("1")
    await expect(console.get_by_test_id("online-agents")).to_contain_text("Olga Bakker")
    await expect(console.get_by_test_id("overview-pie")).to_be_visible()
    await shoot(console, artifacts, "lc-04-console-overview")

    assert visitor.js_errors == []
    assert console.js_errors == []


async def test_no_operator_online_visitor_leaves_a_message(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    visitor = await open_page(site_pages.origin + "/index.html", locale="nl-NL")
    await expect(widget(visitor)).to_have_attribute("data-state", "offline")
    await visitor.get_by_test_id("lc-launcher").click()
    await expect(visitor.get_by_test_id("lc-notice")).to_contain_text("niemand beschikbaar")
    await expect(visitor.get_by_test_id("lc-composer")).to_be_hidden()
    form = visitor.get_by_test_id("lc-leave-form")
    await expect(form).to_be_visible()
    await expect(visitor.get_by_test_id("lc-greeting")).to_have_text("Welkom bij Job Genius!")

    await visitor.get_by_test_id("lc-leave-send").click()
    await expect(visitor.get_by_test_id("lc-leave-error")).to_contain_text("Vul uw naam")
    await visitor.get_by_test_id("lc-leave-name").fill("Pietje Puk")
    await visitor.get_by_test_id("lc-leave-email").fill("pietje.puk@example.nl")
    await visitor.get_by_test_id("lc-leave-phone").fill("0698765432")
    await visitor.get_by_test_id("lc-leave-body").fill("Bel mij over de vacature monteur")
    await shoot(visitor, artifacts, "lc-05-widget-leave-message")
    await visitor.get_by_test_id("lc-leave-send").click()
    await expect(visitor.get_by_test_id("lc-notice")).to_contain_text("Bedankt")
    await expect(form).to_be_hidden()

    # It reaches the console as a conversation, with the visitor's contact details.
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"], online=False)
    await console.get_by_test_id("nav-incoming").click()
    item = console.get_by_test_id("list-incoming").locator("li", has_text="Pietje Puk")
    await expect(item).to_have_count(1)
    await item.get_by_role("button").first.click()
    await expect(console.get_by_test_id("messages")).to_contain_text("Bel mij over de vacature monteur")
    await expect(console.get_by_test_id("visitor-email")).to_have_value("pietje.puk@example.nl")
    await expect(console.get_by_test_id("visitor-phone")).to_have_value("0698765432")
    assert visitor.js_errors == []
    assert console.js_errors == []


async def test_page_on_origin_not_allowed_gets_no_session(server, livechat, foreign_pages, open_page):
    await livechat.make_operator(server, "Olga Bakker")
    foreign_pages.snippet = livechat.site["snippet"]
    page = await open_page(None)
    async with page.expect_request(lambda r: "/api/livechat/visit" in r.url) as visit:
        await page.goto(foreign_pages.origin + "/index.html")
    request = await visit.value
    # The server refuses that origin without CORS headers, so the page cannot even read the
    # answer (the browser reports a network error); the same request outside a browser
    # shows the refusal.
    async with httpx.AsyncClient() as http:
        r = await http.post(request.url, content=request.post_data, headers={"Origin": foreign_pages.origin})
    assert r.status_code == 403
    assert "access-control-allow-origin" not in r.headers
    await expect(widget(page)).to_have_attribute("data-state", "unavailable")
    # Nothing to click: no launcher, no greeting, no panel (issue 14).
    await expect(page.get_by_test_id("lc-launcher")).to_be_hidden()
    await expect(page.get_by_test_id("lc-greeting")).to_be_hidden()
    await expect(page.get_by_test_id("lc-panel")).to_be_hidden()
    tokens = await page.evaluate("Object.keys(localStorage).filter((k) => k.endsWith(':token'))")
    assert tokens == []


async def test_two_operators_take_over_assign_resolve_history_and_reopen(
    server, livechat, site_pages, open_page, artifacts
):
    olga = await livechat.make_operator(server, "Olga Bakker")
    piet = await livechat.make_operator(server, "Piet Jansen")
    c_olga = await open_page(server.url + "/console")
    await console_login(c_olga, livechat.tenant["slug"], olga.user["username"])
    c_piet = await open_page(server.url + "/console", locale="nl-NL")
    await console_login(c_piet, livechat.tenant["slug"], piet.user["username"])

    visitor = await open_page(site_pages.origin + "/index.html")
    await expect(widget(visitor)).to_have_attribute("data-state", "ready")
    await visitor.get_by_test_id("lc-launcher").click()
    await send_from_widget(visitor, "Hallo, ik zoek werk als monteur")

    # Olga assigns it to herself from the chat window ("Assign to me").
    await c_olga.get_by_test_id("nav-incoming").click()
    await (
        c_olga.get_by_test_id("list-incoming")
        .locator("li", has_text="monteur")
        .get_by_role("button")
        .first.click()
    )
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute("data-state", "incoming")
    await c_olga.get_by_test_id("assign-me").click()
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute("data-state", "active")
    await expect(visitor.get_by_test_id("lc-operator")).to_contain_text("Olga Bakker")

    # The operator names the visitor in the 'Search' panel; the name finds the chat.
    await c_olga.get_by_test_id("visitor-name").fill("Onderhoudsmonteur")
    await c_olga.get_by_test_id("visitor-email").fill("pietje.puk@example.nl")
    await c_olga.get_by_test_id("visitor-save").click()
    await expect(c_olga.get_by_test_id("visitor-saved")).to_have_text("Saved.")
    await expect(c_olga.get_by_test_id("chat-title")).to_have_text("Onderhoudsmonteur")
    await c_olga.get_by_test_id("search-input").fill("Onderhoudsm")
    found = c_olga.get_by_test_id("list-search").locator("li", has_text="Onderhoudsmonteur")
    await expect(found).to_have_count(1)
    await found.get_by_role("button").first.click()
    await expect(c_olga.get_by_test_id("chat-window")).to_be_visible()

    # Piet (in Dutch) sees it active with Olga, takes it over ('Overnemen').
    await c_piet.get_by_test_id("nav-active").click()
    item = c_piet.get_by_test_id("list-active").locator("li", has_text="Onderhoudsmonteur")
    await expect(item).to_contain_text("Olga Bakker")
    await item.get_by_role("button").first.click()
    await expect(c_piet.get_by_test_id("take-over")).to_have_text("Overnemen")
    await c_piet.get_by_test_id("take-over").click()
    await expect(c_piet.get_by_test_id("chat-operator")).to_contain_text("Piet Jansen")
    await expect(c_olga.get_by_test_id("chat-operator")).to_contain_text("Piet Jansen")
    await expect(visitor.get_by_test_id("lc-operator")).to_contain_text("Piet Jansen")

    # Piet assigns it to his colleague Olga.
    await c_piet.get_by_test_id("assign-to").select_option(str(olga.user["id"]))
    await c_piet.get_by_test_id("assign-colleague").click()
    await expect(c_piet.get_by_test_id("chat-operator")).to_contain_text("Olga Bakker")
    await expect(c_olga.get_by_test_id("chat-operator")).to_contain_text("Olga Bakker")
    await expect(visitor.get_by_test_id("lc-operator")).to_contain_text("Olga Bakker")

    # Mark as resolved asks first; cancelling keeps it active.
    await c_olga.get_by_test_id("resolve").click()
    dialog = c_olga.get_by_test_id("confirm-dialog")
    await expect(dialog).to_be_visible()
    await c_olga.get_by_test_id("confirm-cancel").click()
    await expect(dialog).to_be_hidden()
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute("data-state", "active")
    await c_olga.get_by_test_id("resolve").click()
    await c_olga.get_by_test_id("confirm-ok").click()
    await expect(c_olga.get_by_test_id("chat-window")).to_have_attribute("data-state", "resolved")
    # Read-only for the visitor: no reply, only private notes (tests/livechat/browser/test_notes.py).
    await expect(c_olga.get_by_test_id("mode-reply")).to_be_hidden()
    await expect(c_olga.get_by_test_id("composer")).to_have_attribute("data-mode", "note")
    await expect(c_olga.get_by_test_id("count-active")).to_have_text("0")

    # History: resolved today, read-only.
    await c_olga.get_by_test_id("nav-history").click()
    done = c_olga.get_by_test_id("list-history").locator("li", has_text="Onderhoudsmonteur")
    await expect(done).to_have_count(1)
    await done.get_by_role("button").first.click()
    await expect(c_olga.get_by_test_id("readonly-note")).to_be_visible()
    await expect(c_olga.get_by_test_id("mode-reply")).to_be_hidden()

    # The overview's pie shows the resolved share.
    await c_olga.get_by_test_id("nav-overview").click()
    await expect(c_olga.get_by_test_id("overview-pie")).to_have_attribute("data-share", "100")
    await expect(c_olga.get_by_test_id("stat-active-value")).to_have_text("0")
    await shoot(c_olga, artifacts, "lc-06-console-overview-resolved")

    # The visitor writes again: the chat reopens in front of the operators.
    await send_from_widget(visitor, "Nog een vraag")
    await c_olga.get_by_test_id("nav-active").click()
    reopened = c_olga.get_by_test_id("list-active").locator("li", has_text="Onderhoudsmonteur")
    await expect(reopened).to_have_count(1)
    await reopened.get_by_role("button").first.click()
    await expect(c_olga.get_by_test_id("messages")).to_contain_text("Nog een vraag")
    await expect(c_olga.get_by_test_id("composer")).to_have_attribute("data-mode", "reply")
    await expect(c_olga.get_by_test_id("mode-reply")).to_be_visible()
    for page in (visitor, c_olga, c_piet):
        assert page.js_errors == []
