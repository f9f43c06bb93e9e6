"""A call's link by e-mail (VC-3): the organisation's own text, through a real SMTP server
on loopback (aiosmtpd), or into the outbox the demo shows when none is configured."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from chatserver.client import ClientError
from tests.helpers import free_port, make_tenant, make_user, running_server


async def test_the_link_goes_out_by_smtp_in_the_organisations_own_words(server, smtp):
    inbox, port = smtp
    async with running_server(replace(server.config, smtp_url=f"smtp://127.0.0.1:{port}",
                                      mail_from="werving@example.nl")) as srv:
        org = await make_tenant(srv)
        kees = await make_user(srv, org, "Kees", role="key_user")
        anna = await make_user(srv, org, "Anna Jansen")
        room = (await anna.rest("POST", "/api/video/rooms", {"title": "Kennismaking"}))["room"]
        # The key-user words the invitation; unknown placeholders stay as written.
        await kees.rest("PUT", "/api/settings/tenant/video.invitation_text",
                        {"value": "Hoi {name}, {organiser} ziet je graag: {link} {unknown} {link.__class__}"})
        sent = await anna.rest("POST", f"/api/video/rooms/{room['token']}/invitations",
                               {"email": "jan@example.nl", "name": "Jan"})
        assert sent == {"sent": "sent", "to": "jan@example.nl"}
        (message,) = inbox.messages
        assert message["To"] == "jan@example.nl" and message["From"] == "werving@example.nl"
        assert message["Subject"] == "Videogesprek: Kennismaking"
        body = message.get_content()
        assert body.strip() == (f"Hoi Jan, Anna Jansen ziet je graag: {srv.url}/v/{room['token']} "
                                "{unknown} {link.__class__}")

        # Refused: no address, another organisation's colleague, a guest.
        with pytest.raises(ClientError) as err:
            await anna.rest("POST", f"/api/video/rooms/{room['token']}/invitations", {"email": "not an address"})
        assert err.value.status == 400
        outsider = await make_user(srv, await make_tenant(srv, "other"), "Olaf")
        with pytest.raises(ClientError) as err:
            await outsider.rest("POST", f"/api/video/rooms/{room['token']}/invitations", {"email": "x@example.nl"})
        assert err.value.status == 404
        async with httpx.AsyncClient(base_url=srv.url) as http:
            guest = (await http.post(f"/api/video/rooms/{room['token']}/guests", json={"name": "Jan"})).json()
            r = await http.post(f"/api/video/rooms/{room['token']}/invitations", json={"email": "x@example.nl"},
                                headers={"Authorization": f"Bearer {guest['token']}"})
            assert r.status_code == 403
        assert len(inbox.messages) == 1


async def test_an_smtp_server_that_is_down_gets_a_clear_error(server):
    async with running_server(replace(server.config, smtp_url=f"smtp://127.0.0.1:{free_port()}")) as srv:
        org = await make_tenant(srv)
        anna = await make_user(srv, org, "Anna")
        room = (await anna.rest("POST", "/api/video/rooms", {}))["room"]
        with pytest.raises(ClientError) as err:
            await anna.rest("POST", f"/api/video/rooms/{room['token']}/invitations", {"email": "jan@example.nl"})
        assert err.value.status == 502 and err.value.code == "mail_failed"


async def test_without_smtp_the_mail_waits_in_the_outbox_the_demo_shows(server):
    async with running_server(replace(server.config, smtp_url="", demo=True)) as srv:
        org = await make_tenant(srv)
        anna = await make_user(srv, org, "Anna")
        room = (await anna.rest("POST", "/api/video/rooms", {"title": "Gesprek <b>Piet</b>"}))["room"]
        sent = await anna.rest("POST", f"/api/video/rooms/{room['token']}/invitations",
                               {"email": "piet@example.nl", "name": "Piet"})
        assert sent["sent"] == "outbox"
        async with httpx.AsyncClient(base_url=srv.url) as http:
            page = (await http.get("/demo/mail")).text
        assert "piet@example.nl" in page and f"/v/{room['token']}" in page
        assert "Beste Piet," in page  # the default Dutch text
        assert "Gesprek &lt;b&gt;Piet&lt;/b&gt;" in page and "<b>Piet</b>" not in page  # user text as text
