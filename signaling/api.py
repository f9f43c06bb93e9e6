"""Video over REST: start a call, a room's public face, guests, the password, and the
call page ``/v/{token}`` (docs/video.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from chatserver.api._common import (
    actor,
    body,
    client_ip,
    login_throttle,
    ok,
    path_id,
    rate_limited,
    services,
    signed_link,
)
from chatserver.api.contract import ID, ApiRoute, Op
from chatserver.errors import BadRequest, RateLimited
from chatserver.protocol.schema import NOT_BLANK, Field
from signaling import actions, answers, appointments, invitations, recording

__all__ = ["routes"]

STATIC = Path(__file__).parent / "static"


def _int(data: dict[str, object], name: str, *, required: bool) -> int | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise BadRequest(f"{name} must be a positive whole number", code="invalid_value", field=name)
    return value


def _str(data: dict[str, object], name: str, *, max_length: int, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > max_length:
        raise BadRequest(f"{name} must be a string of at most {max_length} characters", code="invalid_value",
                         field=name)
    return value


async def start_call(request: Request) -> Response:
    """Call a contact from the chat (VC-1): their open tabs ring. Body: {"to": user_id}."""
    user = await actor(request)
    data = await body(request)
    to = _int(data, "to", required=True)
    assert to is not None
    return ok(await actions.start_call(services(request), user, to), 201)


async def start_room(request: Request) -> Response:
    """A call with a link to hand out (VC-3). Body: {"record_id"?, "title"?}."""
    user = await actor(request)
    data = await body(request)
    record_id = _int(data, "record_id", required=False)
    title = _str(data, "title", max_length=300) or ""
    return ok(await actions.start_adhoc(services(request), user, record_id, title), 201)


async def room(request: Request) -> Response:
    """A room's public face (title, organiser, password needed, recorded), for its link's page."""
    return ok(await actions.room_info(services(request), request.path_params["token"]))


async def guest(request: Request) -> Response:
    """Join as a guest: a token for this room only. Body: {"name", "password"?}."""
    data = await body(request)
    name = _str(data, "name", max_length=200, required=True) or ""
    password = _str(data, "password", max_length=200)
    svc = services(request)
    try:
        session = await actions.guest_session(svc, request.path_params["token"], name, password,
                                              throttle=login_throttle(request), address=client_ip(request, svc.config))
    except RateLimited as exc:
        return rate_limited(exc)
    return ok(session, 201)


async def password(request: Request) -> Response:
    """The organiser sets the room's password, or removes it with null. Body: {"password"}."""
    user = await actor(request)
    data = await body(request)
    value = _str(data, "password", max_length=200)
    return ok(await actions.set_password(services(request), user, request.path_params["token"], value or None))


async def invite(request: Request) -> Response:
    """Send the call's link by e-mail (VC-3). Body: {"email", "name"?}."""
    user = await actor(request)
    data = await body(request)
    email = _str(data, "email", max_length=254, required=True) or ""
    name = _str(data, "name", max_length=200) or ""
    return ok(await invitations.send_link(services(request), user, request.path_params["token"], email, name,
                                          str(request.base_url)), 201)


async def decline(request: Request) -> Response:
    """The colleague called declines; the caller is told."""
    user = await actor(request)
    await actions.decline(services(request), user, request.path_params["token"])
    return ok({"ok": True})


async def recording_file(request: Request) -> Response:
    """A finished recording's WebM, with Range for seeking (colleagues of its organisation only):
    with the bearer token, or by the signed link (``?user&expires&signature``) a ``<video>``
    plays, which the record's timeline and its recordings give (signaling.media_links)."""
    recording_id = path_id(request, "recording_id")
    link = signed_link(request)
    if link is not None:
        path, row = await recording.signed_file(services(request), recording_id, link)
    else:
        path, row = await recording.recording_file(services(request), await actor(request), recording_id)
    return FileResponse(path, media_type="video/webm", filename=f"recording-{row['id']}.webm",
                        content_disposition_type="inline", headers={"Cache-Control": "private, no-store"})


async def record_recordings(request: Request) -> Response:
    """The finished recordings kept in a record."""
    user = await actor(request)
    return ok(await recording.recordings_of(services(request), user, path_id(request, "record_id")))


def _when(data: dict[str, object]) -> tuple[datetime, int]:
    raw = _str(data, "starts_at", max_length=40, required=True) or ""
    try:
        starts_at = datetime.fromisoformat(raw)
    except ValueError:
        raise BadRequest("starts_at: a date and time such as 2026-12-08T10:00:00+01:00", code="invalid_value",
                         field="starts_at") from None
    minutes = _int(data, "minutes", required=True)
    assert minutes is not None
    return starts_at, minutes


async def plan_appointment(request: Request) -> Response:
    """Plan a video interview (VC-2). Body: {"record_id", "starts_at", "minutes", "colleagues"?: [ids],
    "candidate_email"?, "candidate_name"? (else the record's person's), "recorded"?}; mails the candidate."""
    user = await actor(request)
    data = await body(request)
    record_id = _int(data, "record_id", required=True)
    assert record_id is not None
    starts_at, minutes = _when(data)
    colleagues = data.get("colleagues") or []
    if not isinstance(colleagues, list) or len(colleagues) > 20:
        raise BadRequest("colleagues: a list of at most 20 user ids", code="wrong_type", field="colleagues")
    ids = [_int({"colleague": c}, "colleague", required=True) for c in colleagues]
    recorded = data.get("recorded", False)
    if not isinstance(recorded, bool):
        raise BadRequest("recorded: true or false", code="wrong_type", field="recorded")
    result = await appointments.plan(
        services(request), user, record_id=record_id, starts_at=starts_at, minutes=minutes,
        colleagues=[i for i in ids if i is not None], candidate_email=_str(data, "candidate_email", max_length=254),
        candidate_name=_str(data, "candidate_name", max_length=200), recorded=recorded,
        base_url=str(request.base_url))
    return ok(result, 201)


async def list_appointments(request: Request) -> Response:
    """The caller's agenda: interviews they organise or take part in, soonest first."""
    user = await actor(request)
    return ok(await appointments.agenda(services(request), user))


async def move_appointment(request: Request) -> Response:
    """Move an interview. Body: {"starts_at", "minutes"}; the candidate gets the update."""
    user = await actor(request)
    starts_at, minutes = _when(await body(request))
    return ok(await appointments.move(services(request), user, path_id(request, "appointment_id"),
                                      starts_at=starts_at, minutes=minutes, base_url=str(request.base_url)))


async def cancel_appointment(request: Request) -> Response:
    """Cancel an interview; the candidate gets the cancellation and the link stops working."""
    user = await actor(request)
    return ok(await appointments.cancel(services(request), user, path_id(request, "appointment_id"),
                                        base_url=str(request.base_url)))


async def agenda_page(request: Request) -> Response:
    return FileResponse(STATIC / "agenda.html")


async def page(request: Request) -> Response:
    return FileResponse(STATIC / "call.html")


_TOKEN = {"token": Field(str, min_length=1, max_length=64)}
_WHEN = {"starts_at": Field(str, max_length=40), "minutes": Field(int, minimum=1)}

routes = [
    ApiRoute("/api/video/calls", start_call, "POST", Op(body={"to": ID}, status=201, answers=answers.CALL)),
    ApiRoute("/api/video/rooms", start_room, "POST", Op(
        body={"record_id": Field(int, required=False, minimum=1), "title": Field(str, required=False, max_length=300)},
        status=201, answers=answers.ROOM_ANSWER)),
    ApiRoute("/api/video/rooms/{token}", room, "GET", Op(path=_TOKEN, auth="none", answers=answers.PUBLIC_ROOM)),
    ApiRoute("/api/video/rooms/{token}/guests", guest, "POST", Op(
        path=_TOKEN, body={"name": Field(str, max_length=200, pattern=NOT_BLANK),
                          "password": Field(str, required=False, max_length=200)},
        status=201, auth="none", also=(401, 429), answers=answers.GUEST)),  # wrong passwords are throttled as logins
    ApiRoute("/api/video/rooms/{token}/password", password, "PUT", Op(
        path=_TOKEN, body={"password": Field(str, required=False, max_length=200)}, answers=answers.ROOM_ANSWER)),
    ApiRoute("/api/video/rooms/{token}/decline", decline, "POST", Op(path=_TOKEN, answers=answers.OK)),
    ApiRoute("/api/video/rooms/{token}/invitations", invite, "POST", Op(
        path=_TOKEN, body={"email": Field(str, max_length=254), "name": Field(str, required=False, max_length=200)},
        status=201, answers=answers.INVITATION)),
    # A colleague's bearer token or a signed link (user, expires, signature): the view checks either.
    ApiRoute("/api/video/recordings/{recording_id}/file", recording_file, "GET", Op(
        media="video/webm", auth="none", also=(206, 401, 416),
        query={"user": ID, "expires": Field(int, minimum=0), "signature": Field(str, max_length=200)})),
    ApiRoute("/api/records/{record_id}/recordings", record_recordings, "GET", Op(answers=answers.RECORDINGS)),
    ApiRoute("/api/video/appointments", plan_appointment, "POST", Op(body={
        "record_id": ID, **_WHEN, "colleagues": Field(list, required=False, max_length=20, items=ID),
        "candidate_email": Field(str, required=False, max_length=254),
        "candidate_name": Field(str, required=False, max_length=200), "recorded": Field(bool, required=False),
    }, status=201, answers=answers.APPOINTMENT)),
    ApiRoute("/api/video/appointments", list_appointments, "GET", Op(answers=answers.AGENDA)),
    ApiRoute("/api/video/appointments/{appointment_id}", move_appointment, "PUT", Op(body=_WHEN, answers=answers.APPOINTMENT)),
    ApiRoute("/api/video/appointments/{appointment_id}", cancel_appointment, "DELETE", Op(answers=answers.APPOINTMENT)),
    Route("/agenda", agenda_page, methods=["GET"]),
    Route("/v/{token}", page, methods=["GET"]),
    Mount("/static/video", StaticFiles(directory=STATIC), name="video-static"),
]
