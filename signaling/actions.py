"""A video room's life outside the call, each change in one transaction that publishes
after commit: starting one (from the chat, ad hoc), its guests, its password, the
ringing and the notes a chat call leaves in the conversation. What happens in the call
itself (join, signals, leave, ...) is :mod:`signaling.in_call`.

Who is where: a participant row per person per room; ``conn_id`` is the connection
they are present with. Events go to the present members' connections only (a
colleague's other tabs do not hear the call's signals), on whichever node they live
(``Delivery.conns``). All events here are ephemeral: a call is live or it is nothing,
and a member who reconnects joins again and renegotiates (ICE restart).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from chatserver.actions import chat, login_guard
from chatserver.actions.context import Services, Tx
from chatserver.actions.login_guard import Throttle
from chatserver.db.models import Record, User
from chatserver.errors import BadRequest, ChatError, Forbidden, NotFound
from chatserver.protocol.session import TokenBucket
from chatserver.storage import accounts, contacts, directory
from signaling import storage
from signaling.config import VideoConfig
from signaling.models import VideoParticipant, VideoRoom
from signaling.views import room_dict

__all__ = [
    "GUEST", "SignalLimits", "after_leaving", "decline", "guest_session", "owner_only", "room_info", "set_password",
    "start_adhoc", "start_call", "tell_present",
]

GUEST = "guest"

log = logging.getLogger(__name__)


class SignalLimits:
    """This node's connections in a call: a token bucket each for ``video.signal``, and
    which ones joined (so a closing connection that never did costs no query)."""

    def __init__(self, svc: Services) -> None:
        self._svc = svc
        self._buckets: dict[str, TokenBucket] = {}
        self.joined: set[str] = set()
        self._timers: set[asyncio.Task[None]] = set()

    def take(self, conn_id: str) -> bool:
        bucket = self._buckets.get(conn_id)
        if bucket is None:
            cfg = self._svc.config.section(VideoConfig)
            bucket = self._buckets[conn_id] = TokenBucket(cfg.signal_rate, cfg.signal_burst,
                                                          self._svc.clock)
        return bucket.take()

    def later(self, seconds: float, job: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``job`` in ``seconds`` on this node (a ring's end). A restart of this node in
        between forgets it: :func:`ring_sweeper` on any node catches that case."""
        async def run() -> None:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:  # noqa: BLE001 - logged; a timer must not die silently
                log.exception("video timer failed")

        task = asyncio.get_running_loop().create_task(run())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    def cancel_timers(self) -> None:
        """The node stops: its timers go with it (as they would with the process)."""
        for task in list(self._timers):
            task.cancel()

    def forget(self, conn_id: str) -> bool:
        """Drop the connection's state; whether it had joined a call."""
        self._buckets.pop(conn_id, None)
        if conn_id in self.joined:
            self.joined.discard(conn_id)
            return True
        return False


def _new_room(svc: Services, tx: Tx, actor: User, kind: str, title: str, **extra: Any) -> VideoRoom:
    return VideoRoom(
        tenant_id=actor.tenant_id, token=secrets.token_urlsafe(24), kind=kind, title=title[:300],
        owner_id=actor.id, recorded=False, created_at=tx.now,
        expires_at=tx.now + timedelta(hours=svc.config.section(VideoConfig).room_ttl_hours), **extra,
    )


async def start_call(svc: Services, actor: User, callee_id: int) -> dict[str, Any]:
    """VC-1: a call to a contact from the chat. Their open tabs ring (``video.ring``) for
    ``VideoConfig.ring_seconds``; unanswered, or when they are on Do not disturb (no ringing
    then), the conversation notes a missed call."""
    ring = svc.config.section(VideoConfig).ring_seconds
    async with svc.transaction() as tx:
        s = tx.session
        if callee_id == actor.id or not await contacts.are_contacts(s, actor.id, callee_id):
            raise NotFound(f"user {callee_id} is not one of your contacts", code="not_a_contact")
        callee = (await accounts.users_by_ids(s, [callee_id]))[callee_id]
        room = await storage.add_room(s, _new_room(svc, tx, actor, "chat", f"{actor.display_name} – {callee.display_name}",
                                                   callee_id=callee_id))
        body = room_dict(room)
        ringing = callee.status != "dnd"
        if ringing:
            tx.emit_ephemeral([callee_id], "video.ring", {"room": body, "from": {"id": actor.id, "name": actor.display_name},
                                                          "seconds": ring})
        else:
            room.ring_ended_at = tx.now  # nothing rings: missed at once, and no sweep for it
    if ringing:
        svc.get(SignalLimits).later(ring, lambda: _ring_over(svc, room.id))
    else:
        await _note(svc, room.id, missed=True)
    return {"room": body, "ringing": ringing}


async def _ring_over(svc: Services, room_id: int) -> None:
    """The ringing time is over: if the colleague called never joined, it was a missed call.
    Claimed in the database, so the timer and a sweep on another node note it once."""
    async with svc.transaction() as tx:
        if not await storage.end_ringing(tx.session, room_id, tx.now):
            return
        room = await tx.session.get(VideoRoom, room_id)
        if room is None or room.callee_id is None:
            return
        tx.emit_ephemeral([room.callee_id], "video.ring_ended", {"room": room.token})
        tx.emit_ephemeral([room.owner_id], "video.no_answer", {"room": room.token})
    await _note(svc, room_id, missed=True)


async def ring_sweeper(svc: Services) -> None:
    """Note the missed calls whose ringing timer was lost with its node (a restart or a
    crash mid-ring): every few seconds, any node, each room claimed once (:func:`_ring_over`).
    It runs as long as the node serves, and takes the node's ringing timers with it when it stops."""
    try:
        await _sweep_rings(svc)
    finally:
        svc.get(SignalLimits).cancel_timers()


async def _sweep_rings(svc: Services) -> None:
    seconds = svc.config.section(VideoConfig).ring_seconds
    ring = timedelta(seconds=seconds)
    interval = min(max(seconds / 4, 1.0), 10.0)
    while True:
        await asyncio.sleep(interval)
        try:
            now = svc.clock.now()
            # A grace beyond the ringing time: the timer on the live node goes first.
            async with svc.read() as s:
                overdue = await storage.overdue_rings(s, now - ring - timedelta(seconds=interval), now - timedelta(hours=1))
            for room_id in overdue:
                await _ring_over(svc, room_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the missed-call sweep failed; trying again in %.0fs", interval)


async def _note(svc: Services, room_id: int, *, missed: bool) -> None:
    """Note a chat call in its conversation (VC-1): missed, or how long it lasted. Sent as
    the caller's message with a client_msg_id of the room's, so it is stored once."""
    async with svc.read() as s:
        room = await s.get(VideoRoom, room_id)
        if room is None or room.kind != "chat" or room.callee_id is None:
            return
        owner = (await accounts.users_by_ids(s, [room.owner_id]))[room.owner_id]
        # kind "call" with meta: the app says it in its user's language (the server knows
        # none); the English body is for clients that do not know the kind.
        meta: dict[str, Any]
        if missed:
            body, key, meta = "📹 Missed video call", f"video-missed-{room.id}", {"missed": True, "room": room.token}
        else:
            if room.answered_at is None:
                return
            seconds = int((svc.clock.now() - room.answered_at).total_seconds())
            body, key = f"📹 Video call · {seconds // 60}:{seconds % 60:02d}", f"video-call-{room.id}"
            meta = {"missed": False, "seconds": seconds, "room": room.token}
    try:
        await chat.send_note(svc, owner, room.callee_id, body, key, kind="call", meta=meta)
    except ChatError as exc:  # the caller went Offline, the contact ended: nothing to note it in
        log.info("video call %s not noted in the chat: %s", room_id, exc.message)


async def after_leaving(svc: Services, room_id: int) -> None:
    """The last member left a chat call that was answered: note its length."""
    async with svc.read() as s:
        room = await s.get(VideoRoom, room_id)
        if room is None or room.kind != "chat" or room.answered_at is None:
            return
        if await storage.present(s, room.id):
            return
    await _note(svc, room_id, missed=False)


async def start_adhoc(svc: Services, actor: User, record_id: int | None, title: str) -> dict[str, Any]:
    """VC-3: a call with a link to hand out (a candidate's record, or none)."""
    async with svc.transaction() as tx:
        s = tx.session
        if record_id is not None:
            record = await directory.get_owned(s, Record, actor.tenant_id, record_id)
            title = title or record.title
        room = await storage.add_room(s, _new_room(svc, tx, actor, "adhoc", title or actor.display_name,
                                                   record_id=record_id))
        if record_id is not None:
            await directory.add_timeline(s, tenant_id=actor.tenant_id, record_id=record_id, kind="video",
                                         summary=f"{actor.display_name} started a video call", ref_id=room.id,
                                         actor_user_id=actor.id, now=tx.now)
        return {"room": room_dict(room)}


async def room_info(svc: Services, token: str) -> dict[str, Any]:
    """What the page at ``/v/{token}`` shows before joining; the token is the secret."""
    async with svc.read() as s:
        room = await storage.room_by_token(s, token)
        owner = (await accounts.users_by_ids(s, [room.owner_id])).get(room.owner_id)
    body = room_dict(room)
    body["owner_name"] = owner.display_name if owner else ""
    return {"room": body}


async def guest_session(svc: Services, token: str, name: str, password: str | None, *,
                        throttle: Throttle | None = None, address: str = "") -> dict[str, Any]:
    """A guest (a candidate) for one room: a token valid for that room's video messages only.

    A room's password is guarded as a login is: wrong guesses per room and per ``address``
    make the next ones wait (RateLimited, 429), and argon2 runs in the password threads,
    before the transaction, never on the event loop.
    """
    name = name.strip()
    if not name:
        raise BadRequest("name is required", code="missing_field", field="name")
    async with svc.read() as s:
        found = await storage.room_by_token(s, token)
    _check_open(found, svc.clock.now())
    password_hash = found.password_hash
    if password_hash is not None:
        await _check_password(svc, token, password_hash, password, throttle, address)
    async with svc.transaction() as tx:
        s = tx.session
        room = await storage.room_by_token(s, token)
        _check_open(room, tx.now)
        user = await accounts.create_user(
            s, room.tenant_id, username=f"guest-{secrets.token_hex(8)}", display_name=name[:200],
            password_hash="!", role=GUEST, now=tx.now,
        )
        # The guest's place, before any connection: their token is good for this room only.
        s.add(VideoParticipant(room_id=room.id, user_id=user.id, name=user.display_name, role=GUEST,
                               conn_id=None, audio=True, video=True, removed=False, joined_at=tx.now))
        bearer = await accounts.issue_token(s, user.id, tx.now, room.expires_at - tx.now)
        return {"token": bearer, "user": {"id": user.id, "name": user.display_name}, "room": room_dict(room)}


def _check_open(room: VideoRoom, now: datetime) -> None:
    if room.ended_at is not None:
        raise Forbidden("this call has ended", code="room_ended")
    if room.expires_at <= now:
        raise Forbidden("this call's link has expired", code="room_expired")


async def _check_password(svc: Services, token: str, password_hash: str, password: str | None,
                          throttle: Throttle | None, address: str) -> None:
    if not password:
        raise Forbidden("this call has a password", code="password_required")
    key = f"room/{token}"
    if throttle is not None:
        await throttle.check(key, address)
    if not await login_guard.verify(svc.hasher, password_hash, password):
        if throttle is not None:
            await throttle.failed(key, address)
        raise Forbidden("wrong password for this call", code="wrong_password")
    if throttle is not None:
        await throttle.succeeded(key)


async def decline(svc: Services, actor: User, token: str) -> None:
    """The callee declines (VC-1): the caller's call view says so."""
    async with svc.transaction() as tx:
        room = await storage.room_by_token(tx.session, token)
        if room.callee_id != actor.id:
            # The room's owner knows it exists (and cannot decline their own call); to
            # anyone else it does not exist.
            if room.owner_id == actor.id:
                raise Forbidden("only the person called can decline a call", code="not_callee")
            raise NotFound("no such call", code="no_such_room")
        tx.emit_ephemeral([room.owner_id], "video.declined", {"room": room.token, "by": actor.display_name})
        # The callee's other tabs stop ringing too.
        tx.emit_ephemeral([actor.id], "video.ring_ended", {"room": room.token})


async def set_password(svc: Services, actor: User, token: str, password: str | None) -> dict[str, Any]:
    """The owner sets (or with None removes) the room's password (VC-4)."""
    if password is not None and not 4 <= len(password) <= 200:
        raise BadRequest("password: 4 to 200 characters", code="invalid_value", field="password")
    # In the password threads: argon2 holds neither the event loop nor the transaction.
    hashed = await login_guard.hash_password(svc.hasher, password) if password else None
    async with svc.transaction() as tx:
        room = await storage.room_by_token(tx.session, token, for_update=True)
        owner_only(room, actor)
        room.password_hash = hashed
        body = room_dict(room)
        await tell_present(tx, room, "video.room", {"room": body})
        return {"room": body}


def owner_only(room: VideoRoom, actor: User) -> None:
    if room.tenant_id != actor.tenant_id and actor.id != room.callee_id:
        raise NotFound("no such call", code="no_such_room")
    if room.owner_id != actor.id:
        raise Forbidden("only the organiser of the call can do this", code="owner_only")


async def tell_present(tx: Tx, room: VideoRoom, type_: str, data: dict[str, Any], *,
                        but: int | None = None) -> None:
    others = [p for p in await storage.present(tx.session, room.id) if p.id != but]
    if others:
        tx.emit_ephemeral([p.user_id for p in others], type_, data, conns=[p.conn_id for p in others if p.conn_id])
