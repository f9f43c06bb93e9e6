"""Every change to a video room, each in one transaction that publishes after commit.

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
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError

from chatserver.actions import chat
from chatserver.actions.context import Services, Tx
from chatserver.db.models import Record, User
from chatserver.errors import BadRequest, ChatError, Forbidden, NotFound, RateLimited
from chatserver.protocol.session import TokenBucket
from chatserver.storage import accounts, contacts, directory
from signaling import recording, rules, storage
from signaling.models import VideoParticipant, VideoRoom
from signaling.turn import ice_servers
from signaling.views import member_dict, room_dict

__all__ = [
    "SignalLimits", "connection_closed", "decline", "end", "guest_session", "join", "leave", "remove",
    "room_info", "set_password", "set_state", "signal", "start_adhoc", "start_call",
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
            cfg = self._svc.config
            bucket = self._buckets[conn_id] = TokenBucket(cfg.video_signal_rate, cfg.video_signal_burst,
                                                          self._svc.clock)
        return bucket.take()

    def later(self, seconds: float, job: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``job`` in ``seconds`` on this node (a ring's end). Not durable: a restart
        of this node in between forgets it, and the call then goes un-noted."""
        async def run() -> None:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:  # noqa: BLE001 - logged; a timer must not die silently
                log.exception("video timer failed")

        task = asyncio.get_running_loop().create_task(run())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

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
        expires_at=tx.now + timedelta(hours=svc.config.video_room_ttl_hours), **extra,
    )


async def start_call(svc: Services, actor: User, callee_id: int) -> dict[str, Any]:
    """VC-1: a call to a contact from the chat. Their open tabs ring (``video.ring``) for
    ``video_ring_seconds``; unanswered, or when they are on Do not disturb (no ringing
    then), the conversation notes a missed call."""
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
                                                          "seconds": svc.config.video_ring_seconds})
    if ringing:
        svc.get(SignalLimits).later(svc.config.video_ring_seconds, lambda: _ring_over(svc, room.id))
    else:
        await _note(svc, room.id, missed=True)
    return {"room": body, "ringing": ringing}


async def _ring_over(svc: Services, room_id: int) -> None:
    """The ringing time is over: if the colleague called never joined, it was a missed call."""
    async with svc.transaction() as tx:
        room = await tx.session.get(VideoRoom, room_id)
        if room is None or room.answered_at is not None or room.callee_id is None:
            return
        tx.emit_ephemeral([room.callee_id], "video.ring_ended", {"room": room.token})
        tx.emit_ephemeral([room.owner_id], "video.no_answer", {"room": room.token})
    await _note(svc, room_id, missed=True)


async def _note(svc: Services, room_id: int, *, missed: bool) -> None:
    """Note a chat call in its conversation (VC-1): missed, or how long it lasted. Sent as
    the caller's message with a client_msg_id of the room's, so it is stored once."""
    async with svc.read() as s:
        room = await s.get(VideoRoom, room_id)
        if room is None or room.kind != "chat" or room.callee_id is None:
            return
        owner = (await accounts.users_by_ids(s, [room.owner_id]))[room.owner_id]
        if missed:
            body, key = "📹 Missed video call", f"video-missed-{room.id}"
        else:
            if room.answered_at is None:
                return
            seconds = int((svc.clock.now() - room.answered_at).total_seconds())
            body, key = f"📹 Video call · {seconds // 60}:{seconds % 60:02d}", f"video-call-{room.id}"
    try:
        await chat.send(svc, owner, room.callee_id, body, key)
    except ChatError as exc:  # the caller went Offline, the contact ended: nothing to note it in
        log.info("video call %s not noted in the chat: %s", room_id, exc.message)


async def _after_leaving(svc: Services, room_id: int) -> None:
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


async def guest_session(svc: Services, token: str, name: str, password: str | None) -> dict[str, Any]:
    """A guest (a candidate) for one room: a token valid for that room's video messages only."""
    name = name.strip()
    if not name:
        raise BadRequest("name is required", code="missing_field", field="name")
    async with svc.transaction() as tx:
        s = tx.session
        room = await storage.room_by_token(s, token)
        if room.ended_at is not None:
            raise Forbidden("this call has ended", code="room_ended")
        if room.expires_at <= tx.now:
            raise Forbidden("this call's link has expired", code="room_expired")
        if room.password_hash is not None:
            if not password:
                raise Forbidden("this call has a password", code="password_required")
            _verify(svc, room.password_hash, password)
        user = await accounts.create_user(
            s, room.tenant_id, username=f"guest-{secrets.token_hex(8)}", display_name=name[:200],
            password_hash="!", role=GUEST, now=tx.now,
        )
        # The guest's place, before any connection: their token is good for this room only.
        s.add(VideoParticipant(room_id=room.id, user_id=user.id, name=user.display_name, role=GUEST,
                               conn_id=None, audio=True, video=True, removed=False, joined_at=tx.now))
        bearer = await accounts.issue_token(s, user.id, tx.now, room.expires_at - tx.now)
        return {"token": bearer, "user": {"id": user.id, "name": user.display_name}, "room": room_dict(room)}


def _verify(svc: Services, password_hash: str, password: str) -> None:
    try:
        svc.hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        raise Forbidden("wrong password for this call", code="wrong_password") from None


async def decline(svc: Services, actor: User, token: str) -> None:
    """The callee declines (VC-1): the caller's call view says so."""
    async with svc.transaction() as tx:
        room = await storage.room_by_token(tx.session, token)
        if room.callee_id != actor.id:
            raise NotFound("no such call", code="no_such_room")
        tx.emit_ephemeral([room.owner_id], "video.declined", {"room": room.token, "by": actor.display_name})
        # The callee's other tabs stop ringing too.
        tx.emit_ephemeral([actor.id], "video.ring_ended", {"room": room.token})


async def set_password(svc: Services, actor: User, token: str, password: str | None) -> dict[str, Any]:
    """The owner sets (or with None removes) the room's password (VC-4)."""
    if password is not None and not 4 <= len(password) <= 200:
        raise BadRequest("password: 4 to 200 characters", code="invalid_value", field="password")
    hashed = svc.hasher.hash(password) if password else None
    async with svc.transaction() as tx:
        room = await storage.room_by_token(tx.session, token, for_update=True)
        _owner_only(room, actor)
        room.password_hash = hashed
        body = room_dict(room)
        await _tell_present(tx, room, "video.room", {"room": body})
        return {"room": body}


def _owner_only(room: VideoRoom, actor: User) -> None:
    if room.tenant_id != actor.tenant_id and actor.id != room.callee_id:
        raise NotFound("no such call", code="no_such_room")
    if room.owner_id != actor.id:
        raise Forbidden("only the organiser of the call can do this", code="owner_only")


async def _tell_present(tx: Tx, room: VideoRoom, type_: str, data: dict[str, Any], *,
                        but: int | None = None) -> None:
    others = [p for p in await storage.present(tx.session, room.id) if p.id != but]
    if others:
        tx.emit_ephemeral([p.user_id for p in others], type_, data, conns=[p.conn_id for p in others if p.conn_id])


# --- in the call: the socket's video.* messages ----------------------------------------


async def join(svc: Services, actor: User, conn_id: str, token: str, password: str | None) -> dict[str, Any]:
    """Join (or, after a dropped connection, rejoin) a room with this connection.

    The ack names this participant, the others present (each with ``polite``: this side's
    role in perfect negotiation with them) and the ICE servers; the others hear
    ``video.joined`` and wait for this side's offers (the newcomer calls everyone).
    """
    async with svc.transaction() as tx:
        s = tx.session
        room = await storage.room_by_token(s, token, for_update=True)
        mine = await storage.participant_of(s, room.id, actor.id)
        present = await storage.present(s, room.id)
        password_ok: bool | None = None
        if password is not None and room.password_hash is not None:
            try:
                svc.hasher.verify(room.password_hash, password)
                password_ok = True
            except (VerificationError, InvalidHashError):
                password_ok = False
        guest = actor.role == GUEST
        # The recorder is no person: it joins a recorded call only, and takes no seat.
        people = [p for p in present if p.role != recording.RECORDER]
        if actor.role == recording.RECORDER:
            if not room.recorded or room.ended_at is not None:
                raise Forbidden("this call is not being recorded", code="not_recorded")
            role = recording.RECORDER
        else:
                role = rules.check_join(
                rules.RoomView(room.tenant_id, room.owner_id, room.callee_id, room.password_hash is not None,
                               room.ended_at is not None, room.expires_at),
                rules.Joiner(actor.id, actor.tenant_id, (mine is not None) if guest else None,
                             mine is not None and mine.removed),
                now=tx.now, password_ok=password_ok, present=len(people), cap=svc.config.video_room_cap,
                already_present=mine is not None and mine.conn_id is not None,
            )
        if mine is None:
            mine = VideoParticipant(room_id=room.id, user_id=actor.id, name=actor.display_name, role=role,
                                    conn_id=conn_id, audio=True, video=True, removed=False, joined_at=tx.now)
            s.add(mine)
            await s.flush()
        else:
            if mine.conn_id is not None and mine.conn_id != conn_id:
                # The same person from another tab (or a dropped one): the new one takes over.
                tx.emit_ephemeral([actor.id], "video.left", {"room": room.token, "participant": mine.id,
                                                             "reason": "replaced"}, conns=[mine.conn_id])
            mine.conn_id, mine.left_at, mine.joined_at = conn_id, None, tx.now
        others = [p for p in present if p.id != mine.id]
        for p in others:
            if p.conn_id:
                tx.emit_ephemeral([p.user_id], "video.joined",
                                  {"room": room.token, "participant": member_dict(mine, me=p.id)}, conns=[p.conn_id])
        if room.callee_id == actor.id:
            tx.emit_ephemeral([actor.id], "video.ring_ended", {"room": room.token})
            if room.answered_at is None:
                room.answered_at = tx.now
        svc.get(SignalLimits).joined.add(conn_id)
        cfg = svc.config
        return {
            "participant": member_dict(mine), "room": room_dict(room),
            "participants": [member_dict(p, me=mine.id) for p in others],
            "ice_servers": ice_servers(cfg.stun_urls, cfg.turn_urls, cfg.turn_secret, name=f"p{mine.id}",
                                       now=time.time(), ttl_seconds=int(cfg.video_room_ttl_hours * 3600)),
        }


async def _present_as(tx: Tx, actor: User, conn_id: str) -> tuple[VideoParticipant, VideoRoom]:
    found = await storage.by_conn(tx.session, conn_id)
    if found is None or found[0].user_id != actor.id:
        raise Forbidden("this connection is in no call: send video.join first", code="not_in_room")
    return found


async def signal(svc: Services, actor: User, conn_id: str, to: int, data: dict[str, Any]) -> dict[str, Any]:
    """Relay an offer, answer or ICE candidate to one present member of the same room,
    stamped with the sender (``from``): nobody can speak for another."""
    relayed = rules.check_signal(data.get("kind", ""), data)
    if not svc.get(SignalLimits).take(conn_id):
        raise RateLimited("too many video signals; slow down")
    async with svc.transaction() as tx:
        me, room = await _present_as(tx, actor, conn_id)
        target = await storage.participant(tx.session, room.id, to)
        if target is None or target.conn_id is None or target.id == me.id:
            raise NotFound(f"participant {to} is not in this call", code="no_such_participant")
        tx.emit_ephemeral([target.user_id], "video.signal", {"room": room.token, "from": me.id, **relayed},
                          conns=[target.conn_id])
    return {}


async def set_state(svc: Services, actor: User, conn_id: str, audio: bool, video: bool) -> dict[str, Any]:
    """Muted or not, camera on or off: the others show it (VC-4)."""
    async with svc.transaction() as tx:
        me, room = await _present_as(tx, actor, conn_id)
        me.audio, me.video = audio, video
        await _tell_present(tx, room, "video.state", {"room": room.token, "participant": me.id,
                                                      "audio": audio, "video": video}, but=me.id)
    return {}


async def leave(svc: Services, actor: User, conn_id: str) -> dict[str, Any]:
    async with svc.transaction() as tx:
        me, room = await _present_as(tx, actor, conn_id)
        me.conn_id, me.left_at = None, tx.now
        await _tell_present(tx, room, "video.left", {"room": room.token, "participant": me.id, "reason": "left"})
    await _after_leaving(svc, room.id)
    return {}


async def remove(svc: Services, actor: User, conn_id: str, participant_id: int) -> dict[str, Any]:
    """The owner removes a participant: they leave and cannot join again."""
    async with svc.transaction() as tx:
        me, room = await _present_as(tx, actor, conn_id)
        _owner_only(room, actor)
        target = await storage.participant(tx.session, room.id, participant_id)
        if target is None or target.id == me.id:
            raise NotFound(f"participant {participant_id} is not in this call", code="no_such_participant")
        gone = target.conn_id
        target.conn_id, target.left_at, target.removed = None, tx.now, True
        if gone:
            tx.emit_ephemeral([target.user_id], "video.removed", {"room": room.token}, conns=[gone])
        await _tell_present(tx, room, "video.left", {"room": room.token, "participant": target.id,
                                                     "reason": "removed"})
    return {}


async def end(svc: Services, actor: User, conn_id: str) -> dict[str, Any]:
    """The owner ends the call for everyone; the link stops working."""
    async with svc.transaction() as tx:
        _, room = await _present_as(tx, actor, conn_id)
        _owner_only(room, actor)
        room.ended_at = tx.now
        await _tell_present(tx, room, "video.ended", {"room": room.token})
        for p in await storage.present(tx.session, room.id):
            p.conn_id, p.left_at = None, tx.now
    await _after_leaving(svc, room.id)
    return {}


async def connection_closed(svc: Services, user: User, conn_id: str) -> None:
    """A member's socket dropped: the others hear they are away. Their place stays; they
    join again from the same page, with an ICE restart (docs/video.md)."""
    if not svc.get(SignalLimits).forget(conn_id):
        return
    async with svc.transaction() as tx:
        found = await storage.by_conn(tx.session, conn_id)
        if found is None:
            return
        me, room = found
        me.conn_id, me.left_at = None, tx.now
        await _tell_present(tx, room, "video.left", {"room": room.token, "participant": me.id, "reason": "away"})
    if me.role == recording.RECORDER:
        # The recorder died mid-call (or its link did): what it was writing is not valid.
        await recording.abandoned(svc, room.id)
    await _after_leaving(svc, room.id)
