"""A site's look over REST (checked by the contract with 400s naming the field, kept to the
organisation, handed to the widget in the visitor's language), deleting a site, and chat
messages outside business hours (refused with outside_hours, as the widget shows it)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from chatserver.client import ClientError
from chatserver.clock import FakeClock
from tests.helpers import make_user, rows_of_users, running_server, wait_for
from tests.livechat.service.helpers import make_org, make_visitor, put_site, visit, write

LOOK = {"colour": "#FFD400", "position": "left", "launcher": {"nl": "Vragen?", "en": "Questions?"},
        "language": "nl"}


def _site(org) -> dict:
    return {k: org.site[k] for k in ("name", "origins", "greeting")}


async def test_the_look_is_checked_stored_and_given_to_the_widget(server):
    org = await make_org(server)
    before = (await visit(server, org.site["id"], language="de-DE,de")).json()
    # No look yet: the widget's defaults, English for a browser asking neither nl nor en.
    assert before["look"] == {"colour": "#1f5fd1", "position": "right", "language": "en", "launcher": ""}
    saved = await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**_site(org), "look": LOOK})
    assert saved["look"] == {**LOOK, "colour": "#ffd400"}
    for bad, field in [
        ({"colour": "red"}, "look.colour"), ({"colour": "#12345"}, "look.colour"),
        ({"position": "top"}, "look.position"), ({"language": "de"}, "look.language"),
        ({"launcher": {"nl": "x" * 41}}, "look.launcher.nl"), ({"shape": "round"}, "look.shape"),
    ]:
        r = await put_site(server, org.key, org.site, {**_site(org), "look": bad})
        assert r.status_code == 400, r.text
        assert r.json()["error"]["details"]["field"] == field, r.text
    # The site's default language for a German browser; a Dutch or English one keeps its own.
    german = (await visit(server, org.site["id"], language="de-DE,de")).json()
    assert german["look"] == {"colour": "#ffd400", "position": "left", "language": "nl", "launcher": "Vragen?"}
    assert german["greeting"] == "Welkom!"
    english = (await visit(server, org.site["id"], language="de-DE,en-GB")).json()
    assert english["look"]["language"] == "en" and english["look"]["launcher"] == "Questions?"
    assert english["greeting"] == "Welcome!"
    # A PUT without a look keeps it; {} clears it.
    assert (await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", _site(org)))["look"]["position"] == "left"
    assert (await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**_site(org), "look": {}}))["look"] is None


async def test_only_the_organisations_key_user_changes_or_deletes_its_sites(server):
    org = await make_org(server)
    other = await make_org(server, "ander-bureau")
    r = await put_site(server, other.key, org.site, {**_site(org), "look": LOOK})
    assert r.status_code == 404
    colleague = await make_user(server, org.tenant, "Carla Collega")
    r = await put_site(server, colleague, org.site, {**_site(org), "look": LOOK})
    assert r.status_code == 403
    for who, status in [(other.key, 404), (colleague, 403)]:
        async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {who.token}"}) as http:
            assert (await http.delete(f"/api/livechat/sites/{org.site['id']}")).status_code == status
    assert (await org.key.rest("GET", "/api/livechat/sites"))["sites"][0]["look"] is None


async def test_deleting_a_site_ends_its_visitors_and_conversations(server):
    org = await make_org(server)
    keep = await org.key.rest("POST", "/api/livechat/sites", {"name": "Other", "origins": ["https://other.example"]})
    olga = await org.operator("Olga Bakker")
    jan, _ = await org.visitor()
    sent = await write(jan, "Is de vacature nog open?")
    conv_id = sent["conversation"]["id"]
    assert (await olga.rest("GET", f"/api/livechat/conversations/{conv_id}"))["id"] == conv_id
    assert (await rows_of_users(server, [jan.user["id"]]))["events"] > 0
    gone = await org.key.rest("DELETE", f"/api/livechat/sites/{org.site['id']}")
    assert gone == {"deleted": org.site["id"], "conversations": 1}
    await wait_for(lambda: jan.close_code is not None, timeout=10)
    assert (await visit(server, org.site["id"])).status_code == 404
    with pytest.raises(ClientError) as err:
        await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert err.value.status == 404
    assert [s["id"] for s in (await org.key.rest("GET", "/api/livechat/sites"))["sites"]] == [keep["id"]]
    assert await rows_of_users(server, [jan.user["id"]]) == {"users": 0, "events": 0, "messages": 0}


HOURS = {"zone": "Europe/Amsterdam", "weekly": {"mon": [["09:00", "17:30"]]}, "away": {"en": "Closed."}}


async def test_outside_hours_a_chat_message_is_refused_and_a_left_message_taken(config):
    # Monday 30 March 2026, 06:30 UTC = 08:30 in Amsterdam: closed until 09:00.
    clock = FakeClock(datetime(2026, 3, 30, 6, 30, tzinfo=UTC))
    async with running_server(config, clock=clock) as server:
        org = await make_org(server)
        await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**_site(org), "hours": HOURS})
        olga = await org.operator("Olga Bakker")  # online, yet the desk is closed
        jan, answer = await org.visitor()
        assert answer["hours"]["open"] is False
        with pytest.raises(ClientError) as err:
            await write(jan, "Bent u er?")
        assert err.value.code == "outside_hours"
        assert err.value.details == {"opens_at": "2026-03-30T07:00:00+00:00", "away": "Closed."}
        # Nothing stored, nothing in Incoming.
        assert (await jan.rest("GET", "/api/livechat/visitor/conversation"))["conversation"] is None
        assert (await olga.rest("GET", "/api/livechat/conversations?state=incoming"))["conversations"] == []
        left = await jan.request("livechat.leave_message", {"name": "Jan", "email": "jan@example.nl", "body": "Bel mij"})
        assert left["message"]["body"] == "Bel mij"
        # At 09:00 the desk opens: Olga takes the chat, which goes on after closing time.
        clock.advance(30 * 60)
        conv_id = left["conversation"]["id"]
        await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/assign", {})
        clock.advance(9 * 3600)  # 18:00, closed again
        assert (await write(jan, "Nog een vraag"))["message"]["body"] == "Nog een vraag"
        await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve", {})
        with pytest.raises(ClientError) as err:
            await write(jan, "En nu?")
        assert err.value.code == "outside_hours"
        # A second visitor in the evening is refused too; the widget shows the offline form.
        piet, _ = await make_visitor(server, org.site["id"])
        with pytest.raises(ClientError):
            await write(piet, "Hallo")


async def test_the_preview_page_runs_the_current_widget_framed_by_this_origin_only(server):
    async with httpx.AsyncClient(base_url=server.url) as http:
        loader = (await http.get("/widget.js")).text
        page = await http.get("/console/preview?lang=nl")
    assert page.status_code == 200
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    versioned = loader.split('new URL("')[1].split('"')[0]
    assert f'<script src="{versioned}" data-site="0" data-preview></script>' in page.text
    assert '<html lang="nl">' in page.text and "Voorbeeld van de chatwidget" in page.text
