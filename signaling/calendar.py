"""The .ics of a planned interview (RFC 5545/5546, made with ``icalendar``), without I/O.

An invitation and a move are ``METHOD:REQUEST`` with the same UID (a move has a higher
SEQUENCE, so the candidate's calendar replaces the old time); a cancellation is
``METHOD:CANCEL`` with ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar

__all__ = ["Invite", "ics"]


@dataclass(frozen=True)
class Invite:
    uid: str
    sequence: int
    title: str
    starts_at: datetime  # aware
    minutes: int
    link: str
    organiser_name: str
    organiser_email: str
    attendee_name: str
    attendee_email: str
    stamp: datetime
    description: str = ""


def ics(invite: Invite, *, cancel: bool = False) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//chatserver//video interviews//NL")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", invite.stamp)
    event.add("dtstart", invite.starts_at)
    event.add("dtend", invite.starts_at + timedelta(minutes=invite.minutes))
    event.add("summary", invite.title)
    event.add("location", invite.link)
    event.add("url", invite.link)
    event.add("description", invite.description or invite.link)
    organiser = icalendar.vCalAddress(f"mailto:{invite.organiser_email}")
    organiser.params["cn"] = icalendar.vText(invite.organiser_name)
    event.add("organizer", organiser)
    attendee = icalendar.vCalAddress(f"mailto:{invite.attendee_email}")
    attendee.params["cn"] = icalendar.vText(invite.attendee_name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    cal.add_component(event)
    return bytes(cal.to_ical())
