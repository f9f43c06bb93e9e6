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
        assert len({m["created_at"][:10] for m in history["messages"]}) == 3  # three days
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
