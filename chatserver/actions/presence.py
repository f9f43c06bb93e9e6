"""Own status, connections coming and going, and what contacts are told (IC-5, IC-6, IC-8)."""

from __future__ import annotations

from collections import defaultdict

from chatserver.actions import notify
from chatserver.actions.context import Services
from chatserver.bus import Delivery
from chatserver.db.models import User
from chatserver.presence import visible_status
from chatserver.storage import accounts, contacts
from chatserver.storage.accounts import UserBrief


async def presence_of(svc: Services, user_ids: list[int]) -> dict[int, str]:
    """What a contact sees of each user: online, away, dnd or offline."""
    if not user_ids:
        return {}
    connected = await svc.presence.connected(user_ids)
    async with svc.read() as s:
        users = await accounts.users_by_ids(s, user_ids)
    return {uid: visible_status(u.status, uid in connected) for uid, u in users.items()}


Move = tuple[User | UserBrief, str, str]  # a user, what contacts saw of them, what they see now


async def _announce(svc: Services, moves: list[Move]) -> None:
    """Tell each user's contacts, on every node, what they now see of the user.

    The seed's status-change notification is about a contact coming online: only then are
    the contacts' rows needed (their levels, dnd), in the same query as the relation.
    """
    moves = [m for m in moves if m[1] != m[2]]
    if not moves:
        return
    async with svc.read() as s:
        rows = await contacts.contact_briefs_many(s, [u.id for u, before, _ in moves if before == "offline"])
        ids: dict[int, list[int]] = {uid: [o.id for o in others] for uid, others in rows.items()}
        ids.update(await contacts.contact_ids_many(s, [u.id for u, before, _ in moves if before != "offline"]))
        everyone = {o.id: o for others in rows.values() for o in others}
        levels = await notify.levels(s, list(everyone.values()), "notify.status_change")
    for user, before, after in moves:
        groups: dict[int, list[int]] = defaultdict(list)
        for uid in ids[user.id]:
            groups[levels.get(uid, 0) if before == "offline" else 0].append(uid)
        for level, uids in groups.items():
            data = {"user_id": user.id, "name": user.display_name, "status": after, "notify": level}
            await svc.publish(Delivery(users=uids, type="presence.changed", data=data))


async def announce_connections(svc: Services, changes: list[tuple[int, bool]]) -> None:
    """Tell contacts of users whose first connection opened (True) or last one closed
    (False), for many users at once: a handful of queries however many changed.

    ``changes`` come in the order they happened. A user who went and came back within one
    batch (a reconnect) shows their contacts what they saw before: nothing is announced.
    """
    first: dict[int, bool] = {}
    last: dict[int, bool] = {}
    for uid, up in changes:
        first.setdefault(uid, up)
        last[uid] = up
    async with svc.read() as s:
        users = await accounts.user_briefs(s, list(first))
    moves: list[Move] = []
    for uid, user in users.items():
        shown = visible_status(user.status, True)
        moves.append((user, "offline" if first[uid] else shown, shown if last[uid] else "offline"))
    await _announce(svc, moves)


async def nodes_lost(svc: Services, user_ids: list[int]) -> None:
    """Users whose last connection was on a node that died: contacts see them offline."""
    await announce_connections(svc, [(uid, False) for uid in user_ids])


async def nodes_back(svc: Services, user_ids: list[int]) -> None:
    """Users announced offline when their node was taken for dead, still connected to it."""
    await announce_connections(svc, [(uid, True) for uid in user_ids])


async def set_status(svc: Services, actor: User, status: str, *, origin: str | None = None) -> str:
    """Set the actor's status; ``origin``: the connection that set it, which has its answer
    in the ack and gets no presence.self."""
    async with svc.transaction() as tx:
        user = await accounts.get_user(tx.session, actor.id)
        before_status = user.status
        user.status = status
        await tx.session.flush()
    is_connected = bool(await svc.presence.connected([actor.id]))
    # Every tab and device of the user, on every node, follows (and holds or releases).
    await svc.publish(Delivery(users=[actor.id], type="presence.self", data={"status": status}, exclude_conn=origin))
    await _announce(svc, [(user, visible_status(before_status, is_connected), visible_status(status, is_connected))])
    return status
