"""A video room's password is guarded as a login is: guesses make the next ones wait (429 with
Retry-After, the right password too), counted per room and per address."""

from __future__ import annotations

import httpx

from chatserver.clock import FakeClock
from tests.helpers import make_tenant, make_user, running_server


async def test_guessing_a_rooms_password_is_throttled(config):
    clock = FakeClock()
    async with running_server(config, clock=clock) as server:
        org = await make_tenant(server)
        anna = await make_user(server, org, "Anna")
        room = (await anna.rest("POST", "/api/video/rooms", {"title": "Interview Jan"}))["room"]
        await anna.rest("PUT", f"/api/video/rooms/{room['token']}/password", {"password": "geheim-123"})
        guests = f"/api/video/rooms/{room['token']}/guests"
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            for i in range(5):  # free, as a login's first failures are
                r = await http.post(guests, json={"name": "Jan", "password": f"guess-{i}"})
                assert (r.status_code, r.json()["error"]["code"]) == (403, "wrong_password")
            for password in ("guess-5", "geheim-123"):  # the right one waits too: no oracle
                r = await http.post(guests, json={"name": "Jan", "password": password})
                assert (r.status_code, r.headers["Retry-After"]) == (429, "1"), r.text
                assert r.json()["error"]["code"] == "too_many_logins"
            clock.advance(1)
            r = await http.post(guests, json={"name": "Jan", "password": "guess-6"})
            assert r.status_code == 403
            r = await http.post(guests, json={"name": "Jan", "password": "geheim-123"})
            assert (r.status_code, r.headers["Retry-After"]) == (429, "2")  # doubled
            clock.advance(2)
            r = await http.post(guests, json={"name": "Jan", "password": "geheim-123"})
            assert r.status_code == 201 and r.json()["user"]["name"] == "Jan"
            # The success cleared the room's count: Jan's colleague who mistypes is not held up.
            r = await http.post(guests, json={"name": "Els", "password": "geheim-12"})
            assert r.status_code == 403
