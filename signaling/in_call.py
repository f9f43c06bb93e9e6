"""In a call: the socket's ``video.*`` messages, each a change in one transaction whose
events go, after the commit, to the connections present in the room only.

A connection is in at most one room (the one it joined last); a member whose socket
drops keeps their place and is shown away, and joins again from the same page.
"""

from __future__ import annotations

import time
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError

from chatserver.actions.context import Services, Tx
from chatserver.db.models import User
from chatserver.errors import Forbidden, NotFound, RateLimited
from signaling import actions, recording, rules, storage
from signaling.actions import GUEST
from signaling.config import VideoConfig
from signaling.models import VideoParticipant, VideoRoom
from signaling.turn import ice_servers
from signaling.views import member_dict, room_dict

__all__ = ["connection_closed", "end", "join", "leave", "remove", "set_state", "signal"]

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
                now=tx.now, password_ok=password_ok, present=len(people), cap=svc.config.section(VideoConfig).room_cap,
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
        svc.get(actions.SignalLimits).joined.add(conn_id)
        cfg = svc.config.section(VideoConfig)
        return {
            "participant": member_dict(mine), "room": room_dict(room),
            "participants": [member_dict(p, me=mine.id) for p in others],
            "ice_servers": ice_servers(cfg.stun_urls, cfg.turn_urls, cfg.turn_secret, name=f"p{mine.id}",
                                       now=time.time(), ttl_seconds=int(cfg.room_ttl_hours * 3600)),
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
    if not svc.get(actions.SignalLimits).take(conn_id):
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
        await actions.tell_present(tx, room, "video.state", {"room": room.token, "participant": me.id,
                                                      "audio": audio, "video": video}, but=me.id)
    return {}


async def leave(svc: Services, actor: User, conn_id: str) -> dict[str, Any]:
    async with svc.transaction() as tx:
        me, room = await _present_as(tx, actor, conn_id)
        me.conn_id, me.left_at = None, tx.now
        await actions.tell_present(tx, room, "video.left", {"room": room.token, "participant": me.id, "reason": "left"})
    await actions.after_leaving(svc, room.id)
    return {}


async def remove(svc: Services, actor: User, conn_id: str, participant_id: int) -> dict[str, Any]:
    """The owner removes a participant: they leave and cannot join again."""
    async with svc.transaction() as tx:
        me, room = await _present_as(tx, actor, conn_id)
        actions.owner_only(room, actor)
        target = await storage.participant(tx.session, room.id, participant_id)
        if target is None or target.id == me.id:
            raise NotFound(f"participant {participant_id} is not in this call", code="no_such_participant")
        gone = target.conn_id
        target.conn_id, target.left_at, target.removed = None, tx.now, True
        if gone:
            tx.emit_ephemeral([target.user_id], "video.removed", {"room": room.token}, conns=[gone])
        await actions.tell_present(tx, room, "video.left", {"room": room.token, "participant": target.id,
                                                     "reason": "removed"})
    return {}


async def end(svc: Services, actor: User, conn_id: str) -> dict[str, Any]:
    """The owner ends the call for everyone; the link stops working."""
    async with svc.transaction() as tx:
        _, room = await _present_as(tx, actor, conn_id)
        actions.owner_only(room, actor)
        room.ended_at = tx.now
        await actions.tell_present(tx, room, "video.ended", {"room": room.token})
        for p in await storage.present(tx.session, room.id):
            p.conn_id, p.left_at = None, tx.now
    await actions.after_leaving(svc, room.id)
    return {}


async def connection_closed(svc: Services, user: User, conn_id: str) -> None:
    """A member's socket dropped: the others hear they are away. Their place stays; they
    join again from the same page, with an ICE restart (docs/video.md)."""
    if not svc.get(actions.SignalLimits).forget(conn_id):
        return
    async with svc.transaction() as tx:
        found = await storage.by_conn(tx.session, conn_id)
        if found is None:
            return
        me, room = found
        me.conn_id, me.left_at = None, tx.now
        await actions.tell_present(tx, room, "video.left", {"room": room.token, "participant": me.id, "reason": "away"})
    if me.role == recording.RECORDER:
        # The recorder died mid-call (or its link did): what it was writing is not valid.
        await recording.abandoned(svc, room.id)
    await actions.after_leaving(svc, room.id)
