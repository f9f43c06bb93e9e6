"""Planned video interviews (VC-2): plan, move and cancel, each mailing the candidate.

Planning makes a room of kind ``planned`` for the candidate's record (its link works
until a day after the appointment ends), notes it on the record's timeline, and mails
the candidate the organisation's invitation text with the link, an .ics
(:mod:`signaling.calendar`) and, when the call is recorded, the consent text. The
colleagues taking part see it in their agenda; the call starts from the appointment.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from chatserver import mail
from chatserver.actions.context import Services, Tx
from chatserver.db.models import ANONYMOUS_ROLES, Person, Record, User
from chatserver.errors import BadRequest, Forbidden, NotFound
from chatserver.storage import accounts, directory
from chatserver.storage import settings as settings_store
from signaling import storage
from signaling.calendar import Invite, ics
from signaling.invitations import check_email, fill
from signaling.models import VideoAppointment, VideoRoom
from signaling.views import room_dict

__all__ = ["agenda", "cancel", "move", "plan"]

_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")


def when_text(starts_at: datetime, minutes: int, zone: str) -> str:
    """"dinsdag 8 december 2026, 10:00–10:45": the invitation's default text is Dutch."""
    local = starts_at.astimezone(ZoneInfo(zone))
    end = local + timedelta(minutes=minutes)
    return (f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}, "
            f"{local:%H:%M}–{end:%H:%M}")


def _check_time(starts_at: datetime, minutes: int, now: datetime) -> None:
    if starts_at.tzinfo is None:
        raise BadRequest("starts_at: a date and time with its offset, such as 2026-12-08T10:00:00+01:00",
                         code="invalid_value", field="starts_at")
    if starts_at < now - timedelta(minutes=5):
        raise BadRequest("starts_at is in the past", code="invalid_value", field="starts_at")
    if starts_at > now + timedelta(days=366):
        raise BadRequest("starts_at is more than a year ahead", code="invalid_value", field="starts_at")
    if not 5 <= minutes <= 480:
        raise BadRequest("minutes: from 5 to 480", code="invalid_value", field="minutes")


def appointment_dict(a: VideoAppointment, room: VideoRoom) -> dict[str, Any]:
    return {
        "id": a.id, "title": a.title, "record_id": a.record_id, "organiser_id": a.organiser_id,
        "starts_at": a.starts_at.isoformat(), "minutes": a.minutes, "colleagues": list(a.colleagues or []),
        "candidate_name": a.candidate_name, "candidate_email": a.candidate_email, "sequence": a.sequence,
        "cancelled": a.cancelled_at is not None, "room": room_dict(room),
    }


async def plan(svc: Services, actor: User, *, record_id: int, starts_at: datetime, minutes: int,
               colleagues: list[int], candidate_email: str | None, candidate_name: str | None, recorded: bool,
               base_url: str) -> dict[str, Any]:
    async with svc.transaction() as tx:
        s = tx.session
        _check_time(starts_at, minutes, tx.now)
        record = await directory.get_owned(s, Record, actor.tenant_id, record_id)
        person = await s.get(Person, record.person_id) if record.person_id else None
        email = check_email(candidate_email or (person.email if person else ""))
        name = (candidate_name or (person.name if person else "") or record.title).strip()[:200]
        team = await _colleagues(s, actor, colleagues)
        title = f"Videogesprek {name}"
        room = VideoRoom(tenant_id=actor.tenant_id, token=secrets.token_urlsafe(24), kind="planned",
                         title=title, owner_id=actor.id, record_id=record.id, recorded=recorded,
                         created_at=tx.now, expires_at=starts_at + timedelta(minutes=minutes, days=1))
        await storage.add_room(s, room)
        appointment = VideoAppointment(
            tenant_id=actor.tenant_id, room_id=room.id, record_id=record.id, organiser_id=actor.id, title=title,
            starts_at=starts_at, minutes=minutes, colleagues=[u.id for u in team], candidate_name=name,
            candidate_email=email, uid=f"{secrets.token_hex(12)}@chatserver", sequence=0, created_at=tx.now)
        s.add(appointment)
        await s.flush()
        await directory.add_timeline(
            s, tenant_id=actor.tenant_id, record_id=record.id, kind="appointment",
            summary=f"Video interview planned by {actor.display_name}: "
                    f"{when_text(starts_at, minutes, svc.config.time_zone)}",
            ref_id=appointment.id, actor_user_id=actor.id, now=tx.now)
        await _mail(svc, tx, actor, appointment, room, base_url, kind="invitation")
        _tell_team(tx, appointment, room)
        return {"appointment": appointment_dict(appointment, room)}


async def move(svc: Services, actor: User, appointment_id: int, *, starts_at: datetime, minutes: int,
               base_url: str) -> dict[str, Any]:
    async with svc.transaction() as tx:
        a, room = await _own(tx, actor, appointment_id)
        _check_time(starts_at, minutes, tx.now)
        a.starts_at, a.minutes, a.sequence = starts_at, minutes, a.sequence + 1
        room.expires_at = starts_at + timedelta(minutes=minutes, days=1)
        await _mail(svc, tx, actor, a, room, base_url, kind="update")
        _tell_team(tx, a, room)
        return {"appointment": appointment_dict(a, room)}


async def cancel(svc: Services, actor: User, appointment_id: int, *, base_url: str) -> dict[str, Any]:
    async with svc.transaction() as tx:
        a, room = await _own(tx, actor, appointment_id)
        a.cancelled_at, a.sequence = tx.now, a.sequence + 1
        room.ended_at = tx.now  # the link stops working
        await _mail(svc, tx, actor, a, room, base_url, kind="cancel")
        _tell_team(tx, a, room)
        return {"appointment": appointment_dict(a, room)}


async def agenda(svc: Services, actor: User, *, include_past: bool = False) -> dict[str, Any]:
    """The appointments the actor organises or takes part in, soonest first."""
    async with svc.read() as s:
        q = (select(VideoAppointment, VideoRoom).join(VideoRoom, VideoRoom.id == VideoAppointment.room_id)
             .where(VideoAppointment.tenant_id == actor.tenant_id).order_by(VideoAppointment.starts_at))
        if not include_past:
            q = q.where(VideoAppointment.starts_at >= svc.clock.now() - timedelta(hours=12))
        rows = (await s.execute(q)).all()
        mine = [(a, r) for a, r in rows if a.organiser_id == actor.id or actor.id in (a.colleagues or [])]
        names = await accounts.users_by_ids(s, list({u for a, _ in mine for u in [a.organiser_id, *a.colleagues]}))
    out = []
    for a, room in mine:
        body = appointment_dict(a, room)
        body["organiser_name"] = names[a.organiser_id].display_name if a.organiser_id in names else ""
        body["colleague_names"] = [names[u].display_name for u in a.colleagues if u in names]
        out.append(body)
    return {"appointments": out}


async def _colleagues(s: Any, actor: User, ids: list[int]) -> list[User]:
    found = await accounts.users_by_ids(s, list(dict.fromkeys(ids)))
    team = []
    for uid in dict.fromkeys(ids):
        user = found.get(uid)
        if user is None or user.tenant_id != actor.tenant_id or user.role in ANONYMOUS_ROLES:
            raise NotFound(f"no colleague with id {uid}", code="no_such_user", field="colleagues")
        if user.id != actor.id:
            team.append(user)
    return team


async def _own(tx: Tx, actor: User, appointment_id: int) -> tuple[VideoAppointment, VideoRoom]:
    a = await tx.session.get(VideoAppointment, appointment_id)
    if a is None or a.tenant_id != actor.tenant_id:
        raise NotFound(f"no appointment with id {appointment_id}", code="no_such_appointment")
    if a.organiser_id != actor.id:
        raise Forbidden("only the organiser can move or cancel an appointment", code="owner_only")
    if a.cancelled_at is not None:
        raise Forbidden("this appointment was cancelled", code="cancelled")
    room = await tx.session.get(VideoRoom, a.room_id)
    assert room is not None
    return a, room


_SUBJECTS = {"invitation": "Uitnodiging: {title}", "update": "Gewijzigd: {title}", "cancel": "Geannuleerd: {title}"}


async def _mail(svc: Services, tx: Tx, actor: User, a: VideoAppointment, room: VideoRoom, base_url: str, *,
                kind: str) -> None:
    link = f"{base_url.rstrip('/')}/v/{room.token}"
    when = when_text(a.starts_at, a.minutes, svc.config.time_zone)
    texts = await settings_store.tenant_values(tx.session, a.tenant_id)
    if kind == "cancel":
        body = (f"Beste {a.candidate_name},\n\nHet videogesprek van {when} ({a.title}) gaat niet door.\n\n"
                f"Met vriendelijke groet,\n{actor.display_name}\n")
    else:
        body = fill(str(texts["video.invitation_text"]), {
            "name": a.candidate_name, "organiser": actor.display_name, "title": a.title, "link": link,
            "when": f"Wanneer: {when}" + (" (gewijzigd)" if kind == "update" else ""),
            "consent": str(texts["video.consent_text"]) if room.recorded else "",
        })
    invite = Invite(uid=a.uid, sequence=a.sequence, title=a.title, starts_at=a.starts_at, minutes=a.minutes,
                    link=link, organiser_name=actor.display_name, organiser_email=actor.email or svc.config.mail_from,
                    attendee_name=a.candidate_name, attendee_email=a.candidate_email, stamp=tx.now)
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    attachment = mail.Attachment("uitnodiging.ics", f"text/calendar; method={method}",
                                 ics(invite, cancel=kind == "cancel"))
    await mail.deliver(svc.config, tx.session,
                       mail.Mail(to=a.candidate_email, subject=_SUBJECTS[kind].format(title=a.title), body=body,
                                 attachments=[attachment]),
                       tenant_id=a.tenant_id, now=tx.now)


def _tell_team(tx: Tx, a: VideoAppointment, room: VideoRoom) -> None:
    # The organiser's and the colleagues' agendas follow (every tab; ephemeral: the agenda reloads).
    tx.emit_ephemeral([a.organiser_id, *a.colleagues], "video.appointment", appointment_dict(a, room))
