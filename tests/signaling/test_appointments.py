"""Planned video interviews (VC-2): the candidate's invitation, move and cancellation
arrive at a real SMTP server on loopback, each with an .ics parsed back with icalendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import icalendar
import pytest

from chatserver.client import ClientError
from tests.helpers import make_tenant, make_user, running_server


def calendar_of(message) -> icalendar.Calendar:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "uitnodiging.ics"
    return icalendar.Calendar.from_ical(part.get_content())


def event_of(cal: icalendar.Calendar) -> icalendar.Event:
    (event,) = cal.walk("VEVENT")
    return event


async def test_plan_move_and_cancel_mail_the_candidate_with_a_calendar_that_follows(server, smtp):
    inbox, port = smtp
    async with running_server(replace(server.config, smtp_url=f"smtp://127.0.0.1:{port}")) as srv:
        org = await make_tenant(srv)
        anna = await make_user(srv, org, "Anna Jansen", email="anna@werving.example")
        bram = await make_user(srv, org, "Bram")
        person = await anna.rest("POST", "/api/people", {"kind": "candidate", "name": "Jan de Vries",
                                                          "email": "jan@example.nl"})
        record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Jan de Vries",
                                                          "person_id": person["id"]})
        start = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
        planned = (await anna.rest("POST", "/api/video/appointments", {
            "record_id": record["id"], "starts_at": start.isoformat(), "minutes": 45,
            "colleagues": [bram.user["id"]], "recorded": True,
        }))["appointment"]
        assert planned["candidate_email"] == "jan@example.nl" and planned["room"]["kind"] == "planned"
        assert planned["room"]["recorded"] is True

        (invitation,) = inbox.messages
        assert invitation["To"] == "jan@example.nl" and invitation["Subject"] == "Uitnodiging: Videogesprek Jan de Vries"
        text = invitation.get_body(("plain",)).get_content()
        link = f"{srv.url}/v/{planned['room']['token']}"
        assert "Beste Jan de Vries," in text and link in text and "Wanneer: " in text
        assert "wordt opgenomen" in text  # the consent text, since it is recorded
        cal = calendar_of(invitation)
        assert cal["METHOD"] == "REQUEST"
        event = event_of(cal)
        assert event.decoded("DTSTART") == start and event.decoded("DTEND") == start + timedelta(minutes=45)
        assert str(event["ORGANIZER"]) == "mailto:anna@werving.example"
        assert str(event["ATTENDEE"]) == "mailto:jan@example.nl" and str(event["LOCATION"]) == link
        uid = str(event["UID"])

        # Both colleagues see it in their agenda; the record's timeline notes it.
        for who in (anna, bram):
            (seen,) = (await who.rest("GET", "/api/video/appointments"))["appointments"]
            assert seen["id"] == planned["id"] and seen["colleague_names"] == ["Bram"]
        timeline = await anna.rest("GET", f"/api/records/{record['id']}/timeline")
        assert any(e["kind"] == "appointment" and "planned" in e["summary"] for e in timeline["entries"])

        # Moved: the same event, a higher sequence, the new time.
        later = start + timedelta(hours=3)
        await anna.rest("PUT", f"/api/video/appointments/{planned['id']}",
                        {"starts_at": later.isoformat(), "minutes": 30})
        update = inbox.messages[1]
        assert update["Subject"] == "Gewijzigd: Videogesprek Jan de Vries"
        moved = event_of(calendar_of(update))
        assert str(moved["UID"]) == uid and int(moved["SEQUENCE"]) == 1
        assert moved.decoded("DTSTART") == later and moved.decoded("DTEND") == later + timedelta(minutes=30)

        # Only the organiser moves or cancels it.
        with pytest.raises(ClientError) as err:
            await bram.rest("DELETE", f"/api/video/appointments/{planned['id']}")
        assert err.value.status == 403
        await anna.rest("DELETE", f"/api/video/appointments/{planned['id']}")
        cancelled = inbox.messages[2]
        cal = calendar_of(cancelled)
        assert cal["METHOD"] == "CANCEL"
        gone = event_of(cal)
        assert str(gone["UID"]) == uid and int(gone["SEQUENCE"]) == 2 and str(gone["STATUS"]) == "CANCELLED"
        # The link no longer works.
        async with httpx.AsyncClient(base_url=srv.url) as http:
            r = await http.post(f"/api/video/rooms/{planned['room']['token']}/guests", json={"name": "Jan"})
            assert r.status_code == 403 and r.json()["error"]["code"] == "room_ended"


async def test_bad_appointments_are_refused_and_nothing_is_mailed(server, smtp):
    inbox, port = smtp
    async with running_server(replace(server.config, smtp_url=f"smtp://127.0.0.1:{port}")) as srv:
        org = await make_tenant(srv)
        anna = await make_user(srv, org, "Anna")
        outsider = await make_user(srv, await make_tenant(srv, "other"), "Olaf")
        record = await anna.rest("POST", "/api/records", {"kind": "candidate", "title": "Piet"})
        other_record = await outsider.rest("POST", "/api/records", {"kind": "candidate", "title": "Not yours"})
        soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        base = {"record_id": record["id"], "starts_at": soon, "minutes": 30, "candidate_email": "piet@example.nl"}
        cases = [
            ({"starts_at": "morgen om tien"}, 400),
            ({"starts_at": "2026-12-08T10:00:00"}, 400),  # no offset: which 10:00?
            ({"starts_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()}, 400),
            ({"minutes": 0}, 400), ({"minutes": 10_000}, 400),
            ({"candidate_email": "geen adres"}, 400),
            ({"colleagues": [outsider.user["id"]]}, 404),
            ({"record_id": other_record["id"]}, 404),
            ({"record_id": 2**64}, 400),
        ]
        for change, status in cases:
            with pytest.raises(ClientError) as err:
                await anna.rest("POST", "/api/video/appointments", {**base, **change})
            assert err.value.status == status, (change, err.value)
        assert inbox.messages == []
        assert (await anna.rest("GET", "/api/video/appointments"))["appointments"] == []
