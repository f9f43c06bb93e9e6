"""One-use /ws tickets: a browser's WebSocket URL carries one of these, never its token.

A URL is written to logs we do not control (a proxy's, a load balancer's), and a
browser cannot set a header on a WebSocket. So it asks ``POST /api/ws/ticket`` with its
token in the ``Authorization`` header and opens ``/ws?ticket=...``: the ticket opens one
connection, within ``CHATSERVER_WS_TICKET_SECONDS`` (30 s), on any node (they share the
database), and is worth nothing after. The connection is the token's: it closes when the
token is revoked (4009) or expires (4001), as one opened with the token itself.

Redemptions at one moment (a reconnect storm) share one transaction
(:mod:`chatserver.batching`), as the connections' token lookups do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from chatserver.actions.accounts import authenticate_session
from chatserver.batching import Batcher
from chatserver.errors import RateLimited, TicketRefused, Unauthorized
from chatserver.storage import tickets
from chatserver.storage.accounts import TokenSession, token_digest

if TYPE_CHECKING:
    from chatserver.actions.context import Services

__all__ = ["MAX_WAITING", "Opened", "TicketWork", "issue", "purge", "redeem"]

# Tickets of one token neither used nor expired: a page needs one at a time, a few tabs
# a few; more is someone filling the table.
MAX_WAITING = 20
# Used and expired tickets are kept this long, so a late second use is told "already
# used" or "expired" rather than "unknown".
KEEP = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Opened:
    """What a redeemed ticket opens: the token's session, and the token's digest (its
    socket closes when that token is revoked)."""

    session: TokenSession
    token_digest: str


class TicketWork:
    """The redemption batcher of one Services (provided by ``chatserver.services.build``)."""

    def __init__(self, svc: Services) -> None:
        async def handle(given: list[str]) -> list[Opened | BaseException]:
            return await _redeem_batch(svc, given)

        self.redeem: Batcher[str, Opened] = Batcher(handle, name="connect-ticket")


async def issue(svc: Services, token: str | None) -> dict[str, Any]:
    """A new ticket for the caller's token (any role's: a colleague's, a website visitor's,
    a video guest's). 401 for a token that is not valid; 429 past :data:`MAX_WAITING`."""
    session = await authenticate_session(svc, token)
    assert token is not None  # authenticate_session refuses none
    digest = token_digest(token)
    async with svc.transaction() as tx:
        if await tickets.count_waiting(tx.session, digest, tx.now) >= MAX_WAITING:
            wait = math.ceil(svc.config.ws_ticket_seconds)
            raise RateLimited(f"{MAX_WAITING} tickets wait unused; use one or wait {wait} s",
                              code="too_many_tickets", retry_after=wait)
        # Never valid beyond the token it stands for.
        ttl = min(timedelta(seconds=svc.config.ws_ticket_seconds), session.expires_at - tx.now)
        ticket = await tickets.issue(tx.session, digest, tx.now, ttl)
    return {"ticket": ticket, "expires_in": max(0, math.floor(ttl.total_seconds()))}


async def redeem(svc: Services, ticket: str) -> Opened:
    """Use the ticket: what it opens, or TicketRefused (unknown, already used, expired) or
    Unauthorized (its token was revoked or expired since)."""
    return await svc.get(TicketWork).redeem.submit(ticket)


async def purge(svc: Services) -> int:
    """Forget tickets that expired more than :data:`KEEP` ago (``chatserver.maintenance``)."""
    async with svc.transaction() as tx:
        return await tickets.purge(tx.session, tx.now - KEEP)


async def _redeem_batch(svc: Services, given: list[str]) -> list[Opened | BaseException]:
    digests = [tickets.ticket_digest(t) for t in given]
    async with svc.transaction() as tx:
        used = await tickets.redeem(tx.session, digests, tx.now)
        missed = [d for d in digests if d not in used]
        known = await tickets.states(tx.session, missed) if missed else {}
    out: list[Opened | BaseException] = []
    taken: set[str] = set()  # the same ticket twice in one batch: the first takes it
    for digest in digests:
        found = used.get(digest) if digest not in taken else None
        if found is not None:
            taken.add(digest)
            if found.session is None:
                out.append(Unauthorized("the token is invalid, expired or revoked", code="invalid_token"))
            else:
                out.append(Opened(found.session, found.token_hash))
        elif digest in taken or (digest in known and known[digest] is not None):
            out.append(TicketRefused("this ticket was used already; fetch a new one", code="ticket_used"))
        elif digest in known:  # neither used nor taken now: it had expired
            out.append(TicketRefused("this ticket has expired; fetch a new one", code="ticket_expired"))
        else:
            out.append(TicketRefused("unknown ticket; fetch one from POST /api/ws/ticket", code="unknown_ticket"))
    return out
