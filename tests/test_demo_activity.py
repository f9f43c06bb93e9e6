"""The seeded demo (`serve --demo`): every screen has something at first look (issue 18)."""

from __future__ import annotations

import dataclasses

from chatserver.client import ChatClient
from tests.helpers import running_server


async def test_the_demo_has_presence_history_unread_requests_live_chat_and_sms(config):
    async with running_server(dataclasses.replace(config, demo=True)) as server:
        anna = await ChatClient.login(server.url, "demo", "anna", "demo-password")
        olga = await ChatClient.login(server.url, "demo", "olga", "demo-password")
        server.clients += [anna, olga]

        # Colleagues at their desks, each with a status; another organisation's contact.
        people = {c["name"]: c for c in (await anna.rest("GET", "/api/contacts"))["contacts"]}
        assert {n: c["status"] for n, c in people.items()} == {
            "Bram Jansen": "online", "Olga Bakker": "away", "Sam Visser": "dnd", "Eva Peters": "offline"}
        assert people["Eva Peters"]["external"] is True

        # Conversations: Bram's with days of history and two unread; Anna's own ticks vary.
        convs = {c["with"]["name"]: c for c in (await anna.rest("GET", "/api/conversations"))["conversations"]}
        assert {n: c["unread"] for n, c in convs.items()} == {"Bram Jansen": 2, "Olga Bakker": 0, "Eva Peters": 0}
        bram = convs["Bram Jansen"]
        history = await anna.rest("GET", f"/api/conversations/{bram['id']}/messages")
        assert len(history["messages"]) == 9
        # Days of history (which days depends on the hour it runs: the test below fixes the clock).
        assert len({m["created_at"][:10] for m in history["messages"]}) >= 2
        eva = convs["Eva Peters"]
        assert eva["last_message"]["sender_id"] == anna.user["id"]
        assert eva["their_delivered_message_id"] == eva["last_message"]["id"] > eva["their_read_message_id"]
        olga_conv = convs["Olga Bakker"]
        assert olga_conv["their_delivered_message_id"] == 0  # sent, not delivered

        # A contact request waits from the partner organisation.
        requests = await anna.rest("GET", "/api/contact-requests")
        assert [r["from"]["name"] for r in requests["incoming"]] == ["Mark de Wit"]

        # SMS: one sent, one scheduled for tomorrow.
        sent = (await anna.rest("GET", "/api/sms/messages"))["items"]
        assert {"Sollicitatie Piet", "Weekendploeg"} <= {m["subject"] for m in sent}  # (records seed more)
        assert {m["subject"]: m["status"] for m in sent}["Weekendploeg"] == "scheduled"
        assert {m["subject"]: m["status"] for m in sent}["Sollicitatie Piet"] != "scheduled"

        # A website visitor waits for an operator.
        waiting = (await olga.rest("GET", "/api/livechat/conversations"))["conversations"]
        # (Other tests' visitors may write to the demo site in the same database.)
        assert "Goedemiddag, is de vacature magazijnmedewerker in Utrecht nog open?" in [
            c["last_message"]["body"] for c in waiting if c["state"] == "incoming"]


async def test_the_demo_seeds_times_on_the_organisations_clocks_late_in_a_utc_evening(config, tmp_path):
    """At 23:30 UTC it is already tomorrow in Amsterdam (Config.time_zone). "2d 09:12" is two of
    Amsterdam's days ago at 09:12 there, "yesterday" Amsterdam's yesterday, and tomorrow's
    scheduled SMS goes at 07:30 there: seeded in UTC, a Dutch viewer saw 10:12, yesterday's
    messages two days back and the SMS at 08:30 (issue 18)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from chatserver.clock import FakeClock
    from chatserver.demo import seed

    zone = ZoneInfo("Europe/Amsterdam")
    now = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Monday 7 December, 00:30 in Amsterdam

    def local(iso: str) -> str:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(zone).strftime("%m-%d %H:%M")

    own = dataclasses.replace(config, database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
                              create_schema=True, media_dir=str(tmp_path / "media"), time_zone="Europe/Amsterdam")
    async with running_server(own, clock=FakeClock(now)) as server:
        password = await seed(server.services)
        anna = await ChatClient.login(server.url, "demo", "anna", password)
        server.clients.append(anna)
        convs = {c["with"]["name"]: c for c in (await anna.rest("GET", "/api/conversations"))["conversations"]}
        bram = await anna.rest("GET", f"/api/conversations/{convs['Bram Jansen']['id']}/messages")
        times = [local(m["created_at"]) for m in bram["messages"]]
        assert times == ["12-05 09:12", "12-05 09:20", "12-05 09:21", "12-05 09:35", "12-06 14:02",
                         "12-06 14:10", "12-06 14:12", "12-07 00:05", "12-07 00:06"]
        eva = await anna.rest("GET", f"/api/conversations/{convs['Eva Peters']['id']}/messages")
        assert [local(m["created_at"]) for m in eva["messages"]] == ["12-06 10:05", "12-06 10:30"]

        sent = (await anna.rest("GET", "/api/sms/messages"))["items"]
        planned = next(m for m in sent if m["subject"] == "Weekendploeg")
        assert local(planned["send_at"]) == "12-08 07:30"
