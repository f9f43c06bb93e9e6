"""Four weeks of past live chats for the demo, so the console's Reports screen has
something to show at first look: every day a few visitors ask something, the operator
answers after a while and resolves the chat, and some visitors rate it.

Written with their own times through storage (an action stamps now), as
``demo_activity._history`` does; the same seed gives the same weeks every time.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.storage import accounts as account_store
from livechat.models import Site
from livechat.storage import conversations as store
from livechat.storage import openings
from livechat.storage import ratings as ratings_store

__all__ = ["DAYS", "seed_report_history"]

DAYS = 28
_NAMES = ["Fatima El Amrani", "Piet Pieters", "Sanne de Boer", "Mohamed Yilmaz", "Lotte Jansen", "Daan Visser",
          "Emma Bakker", "Noah Smit", "Zoë Meijer", "Sem de Groot"]
_QUESTIONS = ["Is de vacature nog open?", "Hoe schrijf ik me in?", "Kan ik mijn uren online doorgeven?",
              "Wanneer wordt er uitbetaald?", "Hebben jullie ook werk in het weekend?"]
_ANSWERS = ["Ja, die is nog open. Zal ik je cv doorsturen?", "Dat kan via de website, onder 'Inschrijven'.",
            "Ja, in de app onder 'Uren'.", "Elke vrijdag.", "Zeker, op zaterdag in het magazijn."]


async def seed_report_history(svc: Services, site_id: int, operators: list[User], seed: int = 14) -> int:
    """Resolved chats on each of the :data:`DAYS` days before today, answered by the
    ``operators`` in turn. Returns how many chats were made."""
    rng = random.Random(seed)
    today = svc.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    made = 0
    async with svc.transaction() as tx:
        s = tx.session
        site = (await store.sites_by_ids(s, [site_id]))[site_id]
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            weekend = day.weekday() >= 5
            for _ in range(rng.randint(0, 2) if weekend else rng.randint(2, 6)):
                start = day + timedelta(hours=rng.randint(8, 16), minutes=rng.randint(0, 59))
                await _chat(s, site, operators[made % len(operators)], rng, start, made)
                made += 1
    return made


async def _chat(s: AsyncSession, site: Site, operator: User, rng: random.Random, start: datetime, n: int) -> None:
    name = _NAMES[n % len(_NAMES)]
    user = await account_store.create_user(
        s, site.tenant_id, username=f"visitor-{secrets.token_hex(8)}", display_name="Visitor", password_hash="!", role="visitor",
        now=start,
    )
    visitor = await store.create_visitor(s, user, site, {"name": name, "language": "nl-NL"}, start)
    conv = await store.create_conversation(s, visitor, start)
    await openings.opened(s, conv, start)
    topic = rng.randrange(len(_QUESTIONS))
    await store.add_message(s, conv, sender="visitor", sender_user_id=user.id, sender_name=name,
                            body=_QUESTIONS[topic], client_msg_id=f"demo-report-{n}", now=start)
    # Most are answered within a couple of minutes, a few wait longer.
    first = rng.choice([rng.randint(15, 120)] * 4 + [rng.randint(180, 900)])
    answered = start + timedelta(seconds=first)
    await store.add_message(s, conv, sender="operator", sender_user_id=operator.id,
                            sender_name=operator.display_name, body=_ANSWERS[topic], client_msg_id=None,
                            now=answered)
    resolved = answered + timedelta(seconds=rng.randint(120, 2400))
    conv.state, conv.operator_id, conv.first_response_s = "resolved", operator.id, float(first)
    conv.resolved_at, conv.last_message_at = resolved, answered
    visitor.last_seen_at = resolved
    await openings.resolved(s, conv, resolved)
    if rng.random() < 0.6:
        score = rng.choice([5, 5, 4, 4, 3, 2])
        await ratings_store.add(s, site.tenant_id, conv.id, operator.id, score, "", resolved + timedelta(minutes=1))
