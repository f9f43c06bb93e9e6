"""Files in the app's chat pane (issue 14): Anna attaches an image and a document, Bram
sees the image as its thumbnail and downloads the document; a type not allowed and a file
too large are refused with a sentence in the user's language. Both languages, axe-checked."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import expect

from chatserver.config import Config
from tests.browser.test_app_accessibility import serious
from tests.browser.ui import loaded_width, log_in, shoot
from tests.files.helpers import pdf, png
from tests.helpers import PASSWORD, Server, running_server, two_contacts

pytestmark = pytest.mark.browser

MIB = 1024 * 1024


@pytest.fixture
async def server(config: Config, tmp_path: Path) -> AsyncIterator[Server]:
    """The app's server with a media directory of the test's own and a 1 MiB file limit."""
    cfg = dataclasses.replace(config, media_dir=str(tmp_path / "media"), max_file_bytes=MIB)
    async with running_server(cfg) as srv:
        yield srv


async def test_a_colleague_sends_an_image_and_a_document_and_the_other_opens_them(server, open_app, artifacts,
                                                                                   tmp_path):
    org, anna, bram = await two_contacts(server, "Anna Jansen", "Bram de Boer")
    page = await open_app("en-US")
    await log_in(page, org["slug"], anna.user["username"], PASSWORD)
    bram_id = bram.user["id"]
    await page.get_by_test_id(f"contact-{bram_id}").click()
    window = page.get_by_test_id(f"chat-window-{bram_id}")

    picker = window.get_by_test_id("file-input")
    await expect(window.get_by_test_id("attach")).to_have_accessible_name("Attach a file")
    await picker.set_input_files(files=[{"name": "whiteboard.png", "mimeType": "image/png", "buffer": png(800, 600)}])
    thumb = window.get_by_test_id("file-thumb")
    await expect(thumb).to_have_attribute("alt", "Image: whiteboard.png")
    assert await loaded_width(thumb) == 320  # the server's thumbnail, not the upload

    await picker.set_input_files(files=[{"name": "cv Bram.pdf", "mimeType": "application/pdf", "buffer": pdf()}])
    doc = window.locator('[data-testid="file"][data-kind="document"]')
    await expect(doc.get_by_test_id("file-name")).to_have_text("cv Bram.pdf")
    await expect(doc.get_by_test_id("file-size")).to_have_text(f"{len(pdf())} B")

    # Refused, said under the box; nothing is added to the conversation.
    error = window.get_by_test_id("send-error")
    await picker.set_input_files(files=[{"name": "logo.svg", "mimeType": "image/svg+xml",
                                         "buffer": b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>"}])
    await expect(error).to_have_text("logo.svg was not sent: files of this type cannot be sent "
                                     "(images, PDF, Office documents, text and zip can).")
    await picker.set_input_files(files=[{"name": "big.txt", "mimeType": "text/plain", "buffer": b"a" * (MIB + 1)}])
    await expect(error).to_have_text("big.txt was not sent: the file is larger than 1 MB.")
    await expect(window.get_by_test_id("file")).to_have_count(2)
    await shoot(page, artifacts, "app-files-sent-en")
    assert await serious(page) == []

    # Bram, in Dutch: the image as its thumbnail, the document downloaded under its name.
    bram_page = await open_app("nl-NL")
    await log_in(bram_page, org["slug"], bram.user["username"], PASSWORD)
    anna_id = anna.user["id"]
    await expect(bram_page.get_by_test_id(f"recent-preview-{anna_id}")).to_contain_text("cv Bram.pdf")
    await bram_page.get_by_test_id(f"recent-{anna_id}").click()
    theirs = bram_page.get_by_test_id(f"chat-window-{anna_id}")
    await expect(theirs.get_by_test_id("file-thumb")).to_have_attribute("alt", "Afbeelding: whiteboard.png")
    assert await loaded_width(theirs.get_by_test_id("file-thumb")) == 320
    link = theirs.locator('[data-testid="file"][data-kind="document"] a')
    await expect(link).to_have_accessible_name(f"cv Bram.pdf downloaden ({len(pdf())} B)")
    await expect(link).not_to_have_attribute("href", "#")  # its signed link is there
    async with bram_page.expect_download() as info:
        await link.click()
    download = await info.value
    assert download.suggested_filename == "cv Bram.pdf"
    saved = tmp_path / "saved.pdf"
    await download.save_as(saved)
    assert saved.read_bytes() == pdf()
    await shoot(bram_page, artifacts, "app-files-received-nl")
    assert await serious(bram_page) == []
    assert page.js_errors == [] and bram_page.js_errors == []
