"""Transcripts by e-mail, received by a real SMTP server on loopback (aiosmtpd): the
visitor's on request (their own chat only, 3 an hour, one valid address) and the team's
on resolve (livechat.transcript_to), with every message and no private note."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chatserver.client import ClientError
from tests.helpers import running_server
from tests.livechat.service.helpers import make_org, reply, write

NOTE = "Let op: niet aannemen"


async def test_the_visitor_and_the_team_get_the_transcript_without_notes(server, smtp):
    inbox, port = smtp
    config = replace(server.config, smtp_url=f"smtp://127.0.0.1:{port}", mail_from="chat@jobgenius.example")
    async with running_server(config) as srv:
        org = await make_org(srv)
        olga = await org.operator("Olga Bakker")
        vis, _ = await org.visitor()  # language nl-NL: a Dutch transcript
        other, _ = await org.visitor()

        # Nothing to send before the visitor wrote.
        with pytest.raises(ClientError) as err:
            await vis.request("livechat.transcript", {"email": "jan@example.nl"})
        assert err.value.code == "no_conversation"

        conv_id = (await write(vis, "Hoe laat sluiten jullie?\nEn op zaterdag?"))["conversation"]["id"]
        await reply(olga, conv_id, "Om 17 uur, zaterdag gesloten.")
        await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/notes",
                        {"body": NOTE, "client_msg_id": "n1"})
        await olga.rest("PUT", f"/api/livechat/conversations/{conv_id}/visitor", {"name": "Jan de Boer"})

        # A bad address: a clear 400 naming the field, nothing sent.
        for bad in ("not an address", "a@b.nl, c@d.nl", "jan@example.nl\nBcc: x@y.nl", ""):
            with pytest.raises(ClientError) as err:
                await vis.request("livechat.transcript", {"email": bad})
            assert err.value.code == "invalid_value" and "email" in err.value.message, bad
        assert inbox.messages == []

        sent = await vis.request("livechat.transcript", {"email": " jan@example.nl "})
        assert sent == {"sent": "sent", "to": "jan@example.nl"}
        (mail,) = inbox.messages
        assert mail["To"] == "jan@example.nl" and mail["From"] == "chat@jobgenius.example"
        assert mail["Subject"] == "Verslag van uw chat met Job Genius"
        body = mail.get_content().replace("\r\n", "\n")
        assert body.startswith("Chat met Job Genius\nDatum: ")
        assert "] Jan de Boer:\n    Hoe laat sluiten jullie?\n    En op zaterdag?\n" in body
        assert "] Olga Bakker:\n    Om 17 uur, zaterdag gesloten.\n" in body
        assert body.index("Hoe laat") < body.index("Om 17 uur")
        assert NOTE not in body

        # Another visitor asks for "theirs": their own (empty) chat, never this one.
        with pytest.raises(ClientError) as err:
            await other.request("livechat.transcript", {"email": "spy@example.nl"})
        assert err.value.code == "no_conversation"
        # An operator is no visitor: the socket type is not theirs.
        with pytest.raises(ClientError):
            await olga.request("livechat.transcript", {"email": "spy@example.nl"})

        # Three an hour per conversation: the fourth is refused with when to retry.
        await vis.request("livechat.transcript", {"email": "jan@example.nl"})
        await vis.request("livechat.transcript", {"email": "jan@example.nl"})
        with pytest.raises(ClientError) as err:
            await vis.request("livechat.transcript", {"email": "victim@example.nl"})
        assert err.value.code == "rate_limited"
        assert [m["To"] for m in inbox.messages] == ["jan@example.nl"] * 3

        # The team's copy on resolve, once the key-user set the address (a bad one refused).
        with pytest.raises(ClientError) as err:
            await org.key.rest("PUT", "/api/settings/tenant/livechat.transcript_to", {"value": "team at example"})
        assert err.value.status == 400
        await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve", {})
        assert len(inbox.messages) == 3  # off by default
        await write(vis, "Nog een vraag")
        await org.key.rest("PUT", "/api/settings/tenant/livechat.transcript_to", {"value": "team@jobgenius.example"})
        with pytest.raises(ClientError) as err:  # an operator is no key-user
            await olga.rest("PUT", "/api/settings/tenant/livechat.transcript_to", {"value": "olga@example.nl"})
        assert err.value.status == 403
        await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve", {})
        team = inbox.messages[-1]
        assert team["To"] == "team@jobgenius.example"
        assert team["Subject"] == "Verslag live chat: Job Genius, Jan de Boer"
        body = team.get_content().replace("\r\n", "\n")
        assert "Om 17 uur" in body and "] Jan de Boer:\n    Nog een vraag\n" in body and NOTE not in body


async def test_without_smtp_the_transcript_waits_in_the_outbox(server):
    import httpx

    async with running_server(replace(server.config, smtp_url="", demo=True)) as srv:
        org = await make_org(srv)
        vis, _ = await org.visitor(language="en-GB")
        await write(vis, "Hello <b>there</b>")
        assert (await vis.request("livechat.transcript", {"email": "ann@example.com"}))["sent"] == "outbox"
        async with httpx.AsyncClient(base_url=srv.url) as http:
            page = (await http.get("/demo/mail")).text
        assert "ann@example.com" in page and "Transcript of your chat with Job Genius" in page
        assert "Hello &lt;b&gt;there&lt;/b&gt;" in page
