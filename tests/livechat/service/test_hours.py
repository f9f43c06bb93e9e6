"""Business hours over REST: stored per site, checked with 400s naming the field, another
organisation's site out of reach, and the visit telling the widget whether it is open."""

from __future__ import annotations

from datetime import UTC, datetime

from chatserver.clock import FakeClock
from tests.helpers import running_server
from tests.livechat.service.helpers import make_org, put_site, visit

HOURS = {"zone": "Europe/Amsterdam", "weekly": {"mon": [["09:00", "17:30"]], "tue": [["09:00", "17:30"]]},
         "holidays": ["2026-12-29"], "away": {"nl": "We zijn gesloten.", "en": "We are closed."}}


async def test_hours_are_stored_checked_and_kept_to_the_organisation(server):
    org = await make_org(server)
    site = {k: org.site[k] for k in ("name", "origins", "greeting")}
    saved = await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**site, "hours": HOURS})
    assert saved["hours"] == HOURS
    listed = await org.key.rest("GET", "/api/livechat/sites")
    assert listed["sites"][0]["hours"] == HOURS
    # A PUT without hours keeps them; {} clears them.
    assert (await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", site))["hours"] == HOURS

    for bad, field in [
        ({**HOURS, "zone": "Mars/Olympus"}, "hours.zone"),
        ({**HOURS, "weekly": {"mon": [["17:30", "09:00"]]}}, "hours.weekly.mon[0]"),
        ({**HOURS, "weekly": {"mon": [["09:00", "25:00"]]}}, "hours.weekly.mon[0]"),
        ({**HOURS, "weekly": {"mon": [["09:00", "10:00"]] * 5}}, "hours.weekly.mon"),
        ({**HOURS, "holidays": ["2026-13-01"]}, "hours.holidays"),
    ]:
        r = await put_site(server, org.key, org.site, {**site, "name": "Changed", "hours": bad})
        assert r.status_code == 400, r.text
        assert field in r.text, r.text
    # Nothing half-stored.
    listed = await org.key.rest("GET", "/api/livechat/sites")
    assert listed["sites"][0]["name"] == "Job Genius" and listed["sites"][0]["hours"] == HOURS

    other = await make_org(server, "ander-bureau")
    r = await put_site(server, other.key, org.site, {**site, "hours": {}})
    assert r.status_code == 404
    assert (await org.key.rest("GET", "/api/livechat/sites"))["sites"][0]["hours"] == HOURS
    assert (await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**site, "hours": {}}))["hours"] is None


async def test_the_visit_says_whether_the_site_is_open_on_the_servers_clock(config):
    # Monday 30 March 2026, 06:30 UTC = 08:30 in Amsterdam (CEST): not yet open.
    clock = FakeClock(datetime(2026, 3, 30, 6, 30, tzinfo=UTC))
    async with running_server(config, clock=clock) as server:
        org = await make_org(server)
        before = (await visit(server, org.site["id"])).json()
        assert before["hours"] == {"open": True, "opens_at": None, "away": ""}  # no hours: always open
        site = {k: org.site[k] for k in ("name", "origins", "greeting")}
        await org.key.rest("PUT", f"/api/livechat/sites/{org.site['id']}", {**site, "hours": HOURS})
        await org.operator("Olga Bakker")  # online, yet the site is closed
        closed = (await visit(server, org.site["id"])).json()
        assert closed["operators_online"] == 1
        assert closed["hours"] == {"open": False, "opens_at": "2026-03-30T07:00:00+00:00",
                                   "away": "We zijn gesloten."}
        english = (await visit(server, org.site["id"], language="en-GB")).json()
        assert english["hours"]["away"] == "We are closed."
        clock.advance(30 * 60)
        assert (await visit(server, org.site["id"])).json()["hours"]["open"] is True
