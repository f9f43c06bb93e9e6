"""Files in live chat: a visitor's image read by the operator and by nobody else; an
operator's document to the visitor, as an attachment with a safe name; Range; resends."""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from tests.files.helpers import RIDER, get, pdf, png, upload
from tests.helpers import exact_events, make_user
from tests.livechat.service.helpers import ORIGIN, make_org, write


def _blobs(server) -> list[Path]:
    root = Path(server.config.media_dir) / "files"
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] != "tmp")


async def test_a_visitors_image_is_read_by_the_operator_and_by_nobody_else(fserver):
    org = await make_org(fserver)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    other_vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hier is mijn cv"))["conversation"]["id"]

    async with exact_events({olga: ["livechat.message"], vis: ["livechat.message"]}) as got:
        r = await upload(fserver, vis, "/api/livechat/visitor/files", png(rider=True), "foto van mij.png",
                         origin=ORIGIN)
    assert r.status_code == 201, r.text
    assert r.headers["access-control-allow-origin"] == ORIGIN
    sent = r.json()
    msg, described = sent["message"], sent["file"]
    assert (msg["kind"], msg["body"], msg["conversation_id"]) == ("file", "foto van mij.png", conv_id)
    assert msg["meta"] == {"file": described}
    assert (described["name"], described["type"], described["image"]) == ("foto van mij.png", "image/png", True)
    assert (described["width"], described["height"]) == (640, 480)
    assert got[olga][0]["data"]["message"] == msg

    # The operator's view of the conversation has it as a file message.
    conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert [m["kind"] for m in conv["messages"]] == ["text", "file"]

    seen = await olga.rest("GET", f"/api/files/{described['id']}")
    assert seen["url"].startswith(f"/api/files/{described['id']}/content?") and seen["thumb_url"]
    r = await get(fserver, seen["url"])
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"].startswith("inline; ")
    assert r.headers["content-disposition"].endswith("filename*=UTF-8''" + quote("foto van mij.png", safe=""))
    # Re-encoded: the script that rode after the image is gone; what is served is a PNG.
    assert RIDER not in r.content and Image.open(io.BytesIO(r.content)).size == (640, 480)
    assert len(r.content) == described["size"]
    thumb = await get(fserver, seen["thumb_url"])
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.content)).size) <= 320

    # Range: a part of it, as a player or a resumed download asks.
    part = await get(fserver, seen["url"], Range="bytes=0-9")
    assert part.status_code == 206 and part.content == r.content[:10]
    assert part.headers["content-range"] == f"bytes 0-9/{described['size']}"

    # The visitor sees their own file, through links made for them.
    mine = await vis.rest("GET", f"/api/files/{described['id']}")
    assert (await get(fserver, mine["url"])).content == r.content

    # Refused alike (404, nothing said) to another visitor, another organisation's
    # operator, a colleague without live chat; an anonymous request is asked to log in.
    stranger_org = await make_org(fserver, "concurrent")
    stranger = await stranger_org.operator("Sven Stranger")
    plain = await make_user(fserver, org.tenant, "Piet Zonderchat")
    for client in (other_vis, stranger, plain):
        r = await get(fserver, f"/api/files/{described['id']}", client)
        assert r.status_code == 404 and r.json()["error"]["code"] == "file_not_found", r.text
        r = await get(fserver, f"/api/files/{described['id']}/content", client)
        assert r.status_code == 404, r.text
    assert (await get(fserver, f"/api/files/{described['id']}")).status_code == 401
    assert (await get(fserver, f"/api/files/{described['id']}/content")).status_code == 401
    # A link made for Olga, with another user put in it, is not a link.
    forged = seen["url"].replace(f"user={olga.user['id']}", f"user={stranger.user['id']}")
    r = await get(fserver, forged)
    assert r.status_code == 403 and r.json()["error"]["code"] == "bad_signature"
    # Nor does a link made for the thumbnail open the file.
    r = await get(fserver, seen["thumb_url"].replace("variant=thumb", "variant=file"))
    assert r.status_code == 403


async def test_an_operators_document_reaches_the_visitor_as_an_attachment_with_a_safe_name(fserver):
    org = await make_org(fserver)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Stuur het contract?"))["conversation"]["id"]
    name = 'Contract "Jan"; € 2026\r\nX-Evil: 1.pdf'

    async with exact_events({vis: ["livechat.updated", "livechat.message"]}) as got:
        r = await upload(fserver, olga, f"/api/livechat/conversations/{conv_id}/files", pdf(), name)
    assert r.status_code == 201, r.text
    described = r.json()["file"]
    # Control characters are taken out of the name; the rest is kept.
    assert described["name"] == 'Contract "Jan"; € 2026X-Evil: 1.pdf'
    assert got[vis][1]["data"]["message"]["meta"]["file"] == described

    link = await vis.rest("GET", f"/api/files/{described['id']}")
    assert link["thumb_url"] is None
    r = await get(fserver, link["url"])
    assert r.status_code == 200 and r.content == pdf()
    assert r.headers["content-type"] == "application/pdf"
    disposition = r.headers["content-disposition"]
    assert disposition == ('attachment; filename="Contract _Jan__ _ 2026X-Evil: 1.pdf"; '
                           "filename*=UTF-8''" + quote(described["name"], safe=""))
    assert "x-evil" not in r.headers


async def test_a_resent_file_is_kept_once(fserver):
    org = await make_org(fserver)
    await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    first = await upload(fserver, vis, "/api/livechat/visitor/files", pdf(), "cv.pdf", client_msg_id="cv-1")
    again = await upload(fserver, vis, "/api/livechat/visitor/files", pdf(), "cv.pdf", client_msg_id="cv-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate"] is True and again.json()["message"]["id"] == first.json()["message"]["id"]
    assert len(_blobs(fserver)) == 1


async def test_a_visitor_can_open_the_chat_with_a_file(fserver):
    org = await make_org(fserver)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    r = await upload(fserver, vis, "/api/livechat/visitor/files", b"Mijn vragen:\n1. Loon?\n", "vragen.txt")
    assert r.status_code == 201, r.text
    conv_id = r.json()["message"]["conversation_id"]
    history = await vis.rest("GET", "/api/livechat/visitor/conversation")
    assert history["conversation"]["id"] == conv_id
    assert json.dumps(history["messages"][0]["meta"]["file"]["name"]) == '"vragen.txt"'
    r = await get(fserver, (await olga.rest("GET", f"/api/files/{r.json()['file']['id']}"))["url"])
    assert r.headers["content-type"] == "text/plain; charset=utf-8" and r.content.startswith(b"Mijn vragen")
