"""One-use /ws tickets: SQL only (the rules are in ``chatserver.actions.tickets``).

Only a ticket's SHA-256 is stored, as for tokens. A redemption is one conditional
UPDATE: of two nodes redeeming the same ticket at once, the database lets one change the
row and the other finds it used.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import Token, User, WsTicket
from chatserver.storage.accounts import TokenSession

__all__ = ["Redeemed", "count_waiting", "issue", "purge", "redeem", "states", "ticket_digest"]


def ticket_digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Redeemed:
    """A ticket used now: the token it stands for (its digest), that token's session
    (None: revoked or expired since)."""

    token_hash: str
    session: TokenSession | None


async def count_waiting(s: AsyncSession, token_hash: str, now: datetime) -> int:
    """The token's tickets that are neither used nor expired."""
    q = (select(func.count()).select_from(WsTicket)
         .where(WsTicket.token_hash == token_hash, WsTicket.used_at.is_(None), WsTicket.expires_at > now))
    return int((await s.execute(q)).scalar_one())


async def issue(s: AsyncSession, token_hash: str, now: datetime, ttl: timedelta) -> str:
    """A new ticket for the token (whose validity the caller has checked), valid ``ttl``."""
    ticket = secrets.token_urlsafe(24)
    s.add(WsTicket(ticket_hash=ticket_digest(ticket), token_hash=token_hash, created_at=now,
                   expires_at=now + ttl, used_at=None))
    await s.flush()
    return ticket


async def redeem(s: AsyncSession, digests: Iterable[str], now: datetime) -> dict[str, Redeemed]:
    """Mark as used those of the tickets (by digest) that were unused and unexpired; by
    digest, what each one used now stands for. One UPDATE for all of them."""
    wanted = list(dict.fromkeys(digests))
    used = (await s.execute(
        update(WsTicket)
        .where(WsTicket.ticket_hash.in_(wanted), WsTicket.used_at.is_(None), WsTicket.expires_at > now)
        .values(used_at=now)
        .returning(WsTicket.ticket_hash, WsTicket.token_hash)
    )).all()
    if not used:
        return {}
    token_hashes = {t for _, t in used}
    q = (select(Token.token_hash, Token.expires_at, User)
         .join(User, Token.user_id == User.id)
         .where(Token.token_hash.in_(token_hashes), Token.revoked.is_(False), Token.expires_at > now))
    sessions = {h: TokenSession(user, expires) for h, expires, user in (await s.execute(q)).all()}
    return {ticket: Redeemed(token, sessions.get(token)) for ticket, token in used}


async def states(s: AsyncSession, digests: Iterable[str]) -> dict[str, datetime | None]:
    """Of tickets that could not be redeemed: by digest, when each was used (None: never,
    so it expired). Absent: unknown, or purged long after its expiry."""
    q = select(WsTicket.ticket_hash, WsTicket.used_at).where(WsTicket.ticket_hash.in_(list(digests)))
    return {h: used for h, used in (await s.execute(q)).all()}


async def purge(s: AsyncSession, expired_before: datetime) -> int:
    """Forget the tickets that expired before then; how many."""
    result = await s.execute(delete(WsTicket).where(WsTicket.expires_at < expired_before))
    return int(getattr(result, "rowcount", 0) or 0)
