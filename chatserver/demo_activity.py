"""What the demo's people have been doing, so every screen has something at first look.

Anna's view (the README logs in as anna): colleagues at their desks with a presence each,
a contact of another organisation, a conversation with days of history and two unread
messages, one message read and one only delivered, a contact request waiting. The features
add theirs (``Feature.demo``, called by chatserver.demo_records): a website visitor waiting
in live chat, an SMS sent and one scheduled, a planned interview.

Seeded once, with the demo organisation (``demo.seed``); :func:`at_desks` runs at every
start, since who is connected is not stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chatserver.actions import accounts, contacts, presence
from chatserver.actions.context import Services
from chatserver.db.models import Conversation, User
from chatserver.storage import chat as chat_store

# Who sits at their desk with which status (kees is not in: offline).
AT_DESK = {"bram": "online", "olga": "away", "sam": "dnd"}
PARTNER = ("partner", "Partner Uitzendbureau")
PARTNER_USERS = [("eva", "Eva Peters", "Intercedent"), ("mark", "Mark de Wit", "Accountmanager")]


@dataclass(frozen=True)
class Line:
    """One message of a demo conversation: with whom, when, who wrote it, what. ``when``:
    "25m" is 25 minutes ago; "2d 09:12" is two days ago at 09:12 on the wall clocks of
    ``zone`` (the organisation's, ``Config.time_zone``), so a Dutch recruiter looking at the
    demo sees a morning's message in the morning and yesterday's under "Yesterday"."""

    other: str
    when: str
    mine: bool  # anna wrote it
    text: str

    def at(self, now: datetime, zone: ZoneInfo) -> datetime:
        if self.when.endswith("m"):
            return now - timedelta(minutes=int(self.when[:-1]))
        days, hm = self.when.split()
        hour, minute = (int(x) for x in hm.split(":"))
        # The calendar day in the zone, not in UTC: late in the evening UTC is already tomorrow
        # in Amsterdam, and "yesterday" must be the viewer's yesterday.
        day = now.astimezone(zone).date() - timedelta(days=int(days[:-1]))
        return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


HISTORY = [
    Line("bram", "2d 09:12", False, "Goedemorgen Anna, heb je de cv's voor de monteursvacature al bekeken?"),
    Line("bram", "2d 09:20", True, "Ja, Piet Pieters en Fatima El Amrani zien er goed uit."),
    Line("bram", "2d 09:21", True, "Ik bel ze vanmiddag voor een eerste gesprek."),
    Line("bram", "2d 09:35", False, "Top. Laat je weten wanneer ze kunnen?"),
    Line("bram", "1d 14:02", True, "Fatima kan donderdag om 10:00, Piet vrijdag. Zal ik ze inplannen?"),
    Line("bram", "1d 14:10", False, "Graag, met een videogesprek voor Piet: hij zit in Groningen."),
    Line("bram", "1d 14:12", True, "Staat in de agenda. De uitnodigingen zijn verstuurd."),
    Line("bram", "25m", False, "Piet heeft bevestigd voor vrijdag!"),
    Line("bram", "24m", False, "Kun jij de referenties nog nagaan?"),
    Line("eva", "1d 10:05", False, "Hallo Anna, wij hebben twee chauffeurs beschikbaar voor jullie weekendploeg."),
    Line("eva", "1d 10:30", True, "Dank u, Eva. Kunt u de cv's mailen? Dan kijk ik er vandaag naar."),
    Line("olga", "12m", True, "Olga, neem jij vanmiddag de live chat over? Ik zit in gesprekken."),
]


async def seed_activity(svc: Services, users: dict[str, User], key_user: User, password: str) -> None:
    """Contacts, conversations and presence of the demo organisation (once)."""
    partner = await _partner(svc, password)
    anna = users["anna"]
    for name in ("bram", "olga", "sam"):
        await _befriend(svc, anna, users[name])
    await _befriend(svc, users["bram"], users["olga"])
    await _befriend(svc, anna, partner["eva"])
    # Another organisation's accountmanager asks to be a contact: the request waits.
    await contacts.request(svc, partner["mark"], anna.id)
    await _history(svc, {**users, **partner})
    for name, status in AT_DESK.items():
        await presence.set_status(svc, users[name], status)


async def at_desks(svc: Services, users: dict[str, int]) -> None:
    """The colleagues of :data:`AT_DESK` are connected, as if their app were open elsewhere
    (a presence entry each, as a connection makes): their contacts see their status."""
    for name in AT_DESK:
        if name in users:
            await svc.presence.add(users[name], f"demo-desk-{name}")


async def _partner(svc: Services, password: str) -> dict[str, User]:
    """Another organisation with people our users may chat with (external chat is on by default)."""
    tenant = await accounts.create_tenant(svc, *PARTNER)
    return {
        username: await accounts.create_user(svc, tenant.id, username=username, password=password,
                                             display_name=name, email=f"{username}@partner.example", function=function)
        for username, name, function in PARTNER_USERS
    }


async def _befriend(svc: Services, one: User, other: User) -> None:
    req = await contacts.request(svc, one, other.id)
    await contacts.respond(svc, other, req["id"], "accept")


async def _history(svc: Services, people: dict[str, User]) -> None:
    """The conversations' past, written with their own times (an action stamps now, so
    storage is used directly, as a migration of old messages would); then the markers:
    anna read all but today's, bram read all, eva got anna's answer but has not read it."""
    anna = people["anna"]
    now, zone = svc.clock.now(), ZoneInfo(svc.config.time_zone)
    # The newest message before today of each (conversation, writer): where the markers go.
    before_today: dict[tuple[str, bool], int] = {}
    async with svc.transaction() as tx:
        s = tx.session
        convs: dict[str, Conversation] = {}
        for n, line in enumerate(sorted(HISTORY, key=lambda x: x.at(now, zone))):
            other = people[line.other]
            conv = convs.get(line.other) or await chat_store.get_or_create_conversation(s, anna.id, other.id, now)
            convs[line.other] = conv
            sender = anna if line.mine else other
            msg, _ = await chat_store.add_message(s, conv, sender.id, client_msg_id=f"demo-{n}", body=line.text,
                                                  subject="", record_id=None, now=line.at(now, zone))
            if not line.when.endswith("m"):
                before_today[(line.other, line.mine)] = msg.id
        await chat_store.mark_read(s, convs["bram"], anna.id, before_today[("bram", False)])
        await chat_store.mark_read(s, convs["bram"], people["bram"].id, before_today[("bram", True)])
        await chat_store.mark_read(s, convs["eva"], anna.id, before_today[("eva", False)])
        await chat_store.mark_delivered(s, convs["eva"], people["eva"].id, before_today[("eva", True)])
