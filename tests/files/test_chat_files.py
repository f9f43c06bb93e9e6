"""Files in colleague chat, and what is refused everywhere: too large (declared or while
streaming), a type not allowed, a file that is not what its name says, an image bomb.
A refused file leaves nothing behind, on disk or in the database."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import func, select

from chatserver.files.models import SentFile
from tests.files.conftest import LIMIT
from tests.files.helpers import get, png, upload
from tests.helpers import exact_events, make_user, two_contacts


def _on_disk(server) -> list[Path]:
    root = Path(server.config.media_dir) / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def _rows(server, tenant_id: int) -> int:
    async with server.services.read() as s:
        return int((await s.execute(select(func.count()).select_from(SentFile)
                                    .where(SentFile.tenant_id == tenant_id))).scalar_one())


async def test_a_colleagues_file_in_colleague_chat(fserver):
    org, anna, bram = await two_contacts(fserver)
    await anna.connect()
    await bram.connect()
    async with exact_events({bram: ["chat.message"], anna: ["chat.message"]}) as got:
        r = await upload(fserver, anna, "/api/chat/files", png(120, 90), "whiteboard.png", to=bram.user["id"])
    assert r.status_code == 201, r.text
    msg = r.json()["message"]
    assert (msg["kind"], msg["body"], msg["meta"]["file"]["width"]) == ("file", "whiteboard.png", 120)
    assert got[bram][0]["data"]["message"]["meta"] == msg["meta"]
    # In the history as any message.
    history = await bram.rest("GET", f"/api/conversations/{msg['conversation_id']}/messages")
    assert history["messages"][-1]["meta"]["file"]["name"] == "whiteboard.png"

    link = await bram.rest("GET", f"/api/files/{msg['meta']['file']['id']}")
    r = await get(fserver, link["url"])
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"

    # A colleague of the same organisation who is not in the chat: nothing.
    carla = await make_user(fserver, org, "Carla")
    r = await get(fserver, f"/api/files/{msg['meta']['file']['id']}", carla)
    assert r.status_code == 404
    # Nor can anyone send a file to a colleague who is not a contact: refused before a byte is kept.
    r = await upload(fserver, carla, "/api/chat/files", png(10, 10), "x.png", to=anna.user["id"])
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_a_contact"
    assert await _rows(fserver, org["id"]) == 1


async def _chunks(total: int):
    sent = 0
    while sent < total:
        yield b"a" * 16384
        sent += 16384


async def test_what_is_refused_leaves_nothing_behind(fserver):
    org, anna, bram = await two_contacts(fserver)
    to = {"to": bram.user["id"]}

    async def refused(data, name: str) -> dict:
        r = await upload(fserver, anna, "/api/chat/files", data, name, **to)
        assert r.status_code in (400, 413), r.text
        return {"status": r.status_code, **r.json()["error"]}

    # Too large: said by its length before a byte is read, or found while it streams in.
    err = await refused(b"a" * (LIMIT + 1), "big.txt")
    assert (err["status"], err["code"], err["details"]["limit"]) == (413, "file_too_large", LIMIT)
    assert str(LIMIT) in err["message"]
    err = await refused(_chunks(LIMIT + 50_000), "big.txt")
    assert (err["status"], err["code"]) == (413, "file_too_large")
    # Types that are not allowed, whatever they claim: an SVG (script rides in one), a page, a program.
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for data, name in ((svg, "logo.svg"), (b"<html><script>x</script>", "page.html"), (b"MZ\x90\x00", "setup.exe")):
        err = await refused(data, name)
        assert err["code"] == "file_type_refused" and "pdf" in err["details"]["allowed"], err
    # A file that is not what its name says.
    for data, name in ((svg, "logo.png"), (svg, "notes.txt"), (b"not a pdf", "cv.pdf")):
        err = await refused(data, name)
        assert err["code"] == "file_content_mismatch", err
    # An image over the pixel limit (4 million here), refused before it is unpacked.
    err = await refused(png(2100, 2000), "huge.png")
    assert (err["code"], err["details"]["limit"]) == ("image_too_large", 4_000_000)
    # A PNG's signature with nothing readable after it.
    err = await refused(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png")
    assert err["code"] == "image_unreadable"
    err = await refused(b"", "empty.txt")
    assert err["code"] == "empty_file"

    # Without its name: said before a byte is read.
    async with httpx.AsyncClient(base_url=fserver.url) as http:
        r = await http.post("/api/chat/files", content=b"x", params={"to": bram.user["id"], "client_msg_id": "c"},
                            headers={"Authorization": f"Bearer {anna.token}"})
    assert (r.status_code, r.json()["error"]["code"], r.json()["error"]["details"]) == (
        400, "missing_field", {"field": "name"})

    assert _on_disk(fserver) == [] and await _rows(fserver, org["id"]) == 0
    # Still serving the same client after the refusals.
    r = await upload(fserver, anna, "/api/chat/files", b"ok\n", "ok.txt", **to)
    assert r.status_code == 201, r.text
