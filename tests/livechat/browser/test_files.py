"""Files in live chat, in Chromium (issue 14): a visitor on the site's own origin attaches
an image in the widget (Dutch), the operator sees its thumbnail in the console (English)
and sends a PDF back, which the visitor downloads; another visitor's token is refused the
file; a type not allowed and a file too large are refused with a sentence on both sides."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import expect

from chatserver.config import Config
from tests.browser.ui import loaded_width
from tests.files.helpers import pdf, png
from tests.helpers import Server, running_server
from tests.livechat.browser.conftest import console_login, shoot
from tests.livechat.browser.test_canned import visitor_writes_and_is_taken
from tests.livechat.browser.test_desk_accessibility import serious
from tests.livechat.browser.test_livechat import widget

pytestmark = pytest.mark.browser

MIB = 1024 * 1024
SVG = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"


@pytest.fixture
async def server(config: Config, tmp_path: Path) -> AsyncIterator[Server]:
    cfg = dataclasses.replace(config, media_dir=str(tmp_path / "media"), max_file_bytes=MIB)
    async with running_server(cfg) as srv:
        yield srv


async def _status_for(page, server_url: str, file_id: int) -> int:
    """What the server answers this page's visitor (their own token) for the file."""
    return await page.evaluate(
        """async ([origin, id]) => {
            const key = Object.keys(localStorage).find((k) => k.startsWith(`cslc:${origin}:`) && k.endsWith(":token"));
            const token = JSON.parse(localStorage.getItem(key));
            const r = await fetch(`${origin}/api/files/${id}`, { headers: { Authorization: `Bearer ${token}` } });
            return r.status;
        }""",
        [server_url, file_id],
    )


async def test_files_both_ways_between_widget_and_console(server, livechat, site_pages, open_page, artifacts, tmp_path):
    olga = await livechat.make_operator(server, "Olga Bakker")
    console = await open_page(server.url + "/console")
    await console_login(console, livechat.tenant["slug"], olga.user["username"])
    visitor = await visitor_writes_and_is_taken(console, open_page, site_pages, "Hier is mijn cv", locale="nl-NL")
    assert visitor.url.startswith(site_pages.origin) and not site_pages.origin.startswith(server.url)

    # The visitor attaches an image: shown in the widget as the server's thumbnail.
    await expect(visitor.get_by_test_id("lc-attach")).to_have_accessible_name("Bestand bijvoegen")
    await visitor.get_by_test_id("lc-file-input").set_input_files(
        files=[{"name": "diploma.png", "mimeType": "image/png", "buffer": png(900, 600)}])
    thumb = visitor.get_by_test_id("lc-file-thumb")
    await expect(thumb).to_have_attribute("alt", "Afbeelding: diploma.png")
    assert await loaded_width(thumb) == 320

    # The operator sees it in the console.
    seen = console.get_by_test_id("messages").get_by_test_id("file-thumb")
    await expect(seen).to_have_attribute("alt", "Image: diploma.png")
    assert await loaded_width(seen) == 320
    file_id = int(await console.get_by_test_id("messages").get_by_test_id("file-link").first.get_attribute("data-file-id"))

    # Olga sends a PDF: the visitor downloads it under its name.
    await console.get_by_test_id("file-input").set_input_files(
        files=[{"name": "vacature monteur.pdf", "mimeType": "application/pdf", "buffer": pdf()}])
    sent = console.locator('[data-testid="file"][data-kind="document"]')
    await expect(sent.get_by_test_id("file-name")).to_have_text("vacature monteur.pdf")
    link = visitor.get_by_test_id("lc-file").filter(has_text="vacature monteur.pdf")
    await expect(link).to_have_accessible_name(f"vacature monteur.pdf downloaden ({len(pdf())} B)")
    await expect(link).to_have_attribute("download", "vacature monteur.pdf")
    await expect(link).to_have_attribute("href", re.compile(r"/api/files/\d+/content\?variant=file&user="))
    async with visitor.expect_download() as info:
        await link.click()
    download = await info.value
    assert download.suggested_filename == "vacature monteur.pdf"
    saved = tmp_path / "saved.pdf"
    await download.save_as(saved)
    assert saved.read_bytes() == pdf()

    # Refused in the widget, said in Dutch; refused in the console, said in English.
    await visitor.get_by_test_id("lc-file-input").set_input_files(
        files=[{"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": SVG}])
    await expect(visitor.get_by_test_id("lc-error")).to_have_text(
        "logo.svg is niet verzonden: dit soort bestand kan niet worden verzonden "
        "(afbeeldingen, PDF, Office-documenten, tekst en zip wel).")
    await visitor.get_by_test_id("lc-file-input").set_input_files(
        files=[{"name": "groot.txt", "mimeType": "text/plain", "buffer": b"a" * (MIB + 10)}])
    await expect(visitor.get_by_test_id("lc-error")).to_have_text(
        "groot.txt is niet verzonden: het bestand is groter dan 1 MB.")
    await console.get_by_test_id("file-input").set_input_files(
        files=[{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}])
    await expect(console.get_by_test_id("chat-error")).to_have_text(
        "setup.exe was not sent: files of this type cannot be sent (images, PDF, Office documents, text and zip can).")
    await expect(visitor.get_by_test_id("lc-file")).to_have_count(2)
    await shoot(visitor, artifacts, "lc-files-widget-nl")
    await shoot(console, artifacts, "lc-files-console-en")
    assert await serious(console, "#view-chat") == []

    # Another visitor of the same site, in another browser: their token gets nothing.
    other = await open_page(site_pages.origin + "/index.html")
    await expect(widget(other)).to_have_attribute("data-state", "ready")
    assert await _status_for(other, server.url, file_id) == 404
    assert await _status_for(visitor, server.url, file_id) == 200
    assert visitor.js_errors == [] and console.js_errors == []
