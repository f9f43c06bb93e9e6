"""A visitor's files under GDPR: in their export, and gone from disk when they are erased,
on request or by the organisation's retention."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from livechat.actions import privacy as livechat_privacy
from livechat.models import LiveConversation
from tests.files.helpers import get, pdf, png, upload
from tests.livechat.service.helpers import make_org, write


def _on_disk(server) -> set[str]:
    root = Path(server.config.media_dir) / "files"
    return {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def test_a_visitors_files_are_exported_and_erased_with_them(fserver):
    org = await make_org(fserver)
    olga = await org.operator("Olga Bakker")
    jan, _ = await org.visitor()
    piet, _ = await org.visitor()
    conv = (await write(jan, "Mijn paspoort"))["conversation"]["id"]
    mine = (await upload(fserver, jan, "/api/livechat/visitor/files", png(200, 100), "paspoort.png")).json()["file"]
    theirs = (await upload(fserver, olga, f"/api/livechat/conversations/{conv}/files", pdf(), "contract.pdf")).json()
    kept = (await upload(fserver, piet, "/api/livechat/visitor/files", pdf(), "piet.pdf")).json()["file"]
    assert len(_on_disk(fserver)) == 4  # the image, its thumbnail, two documents

    export = await org.key.rest("POST", "/api/livechat/privacy/export", {"conversation_id": conv})
    [one] = export["conversations"]
    assert [(f["name"], f["sha256"]) for f in one["files"]] == [
        ("paspoort.png", mine["sha256"]), ("contract.pdf", theirs["file"]["sha256"])]
    assert "storage_key" not in str(one["files"])
    link = await olga.rest("GET", f"/api/files/{mine['id']}")

    assert await org.key.rest("POST", "/api/livechat/privacy/erase", {"conversation_id": conv}) == {"erased": 1}
    left = _on_disk(fserver)
    assert len(left) == 1  # Piet's only
    assert (await get(fserver, link["url"])).status_code == 404
    assert (await get(fserver, f"/api/files/{mine['id']}", olga)).status_code == 404
    piet_link = await olga.rest("GET", f"/api/files/{kept['id']}")
    assert (await get(fserver, piet_link["url"])).content == pdf()


async def test_retention_takes_the_files_of_forgotten_conversations(fserver):
    org = await make_org(fserver)
    olga = await org.operator("Olga Bakker")
    old_v, _ = await org.visitor()
    old = (await write(old_v, "Van vorige week"))["conversation"]["id"]
    await upload(fserver, old_v, "/api/livechat/visitor/files", pdf(), "oud.pdf")
    await olga.rest("POST", f"/api/livechat/conversations/{old}/resolve")
    svc = fserver.services
    async with svc.transaction() as tx:
        await tx.session.execute(update(LiveConversation).where(LiveConversation.id == old)
                                 .values(resolved_at=svc.clock.now() - timedelta(days=8)))
    await org.key.rest("PUT", "/api/settings/tenant/livechat.retention_days", {"value": 7})
    assert _on_disk(fserver)
    await livechat_privacy.retention_once(svc)
    assert _on_disk(fserver) == set()
