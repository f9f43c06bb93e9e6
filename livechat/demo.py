"""Live chat's part of the demo (``serve --demo``, ``Feature.demo``): the demo site, a
visitor on it who asked a question and waits for an operator, and the organisation's canned
responses and labels, and four weeks of resolved chats for the Reports screen, so the
console's screens are not empty at first look."""

from __future__ import annotations

from collections.abc import Mapping

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.storage import accounts as account_store
from livechat import demo_reports
from livechat.actions import canned, labels, sites, visitor_messages, visits
from livechat.actions.visits import VisitLimiter
from livechat.storage import conversations as store

__all__ = ["DEMO_ORIGIN", "SITE_NAME", "ensure_site", "seed"]

# The live-chat site of the demo (livechat/demo_site.py serves the page that embeds it).
SITE_NAME = "Demo Staffing website"
GREETING = {"nl": "Hallo! Waarmee kunnen we je helpen?", "en": "Hello! How can we help you?"}
# The address the README tells to open; stored once, never taken from a request.
DEMO_ORIGIN = "http://127.0.0.1:8000"


async def seed(svc: Services, users: Mapping[str, User], records: Mapping[str, int]) -> None:
    """Once, with the demo organisation: kees is its key-user, olga its operator."""
    await _visitor_waiting(svc, users["kees"], users["olga"])
    # Four weeks of past chats, so the console's Reports screen has figures.
    site_id = await ensure_site(svc, users["kees"], DEMO_ORIGIN)
    await demo_reports.seed_report_history(svc, site_id, [users["olga"]])


async def ensure_site(svc: Services, key_user: User, base_url: str) -> int:
    """The demo's live-chat site, made on first use with :data:`DEMO_ORIGIN` as its origin."""
    async with svc.read() as s:
        site = next((x for x in await store.sites_of(s, key_user.tenant_id) if x.name == SITE_NAME), None)
    if site is None:
        made = await sites.create_site(svc, key_user, {"name": SITE_NAME, "origins": [DEMO_ORIGIN],
                                                  "greeting": GREETING}, base_url)
        return int(made["id"])
    return site.id


async def _visitor_waiting(svc: Services, key_user: User, operator: User) -> None:
    """A visitor of the demo site asked a question and waits for an operator."""
    site_id = await ensure_site(svc, key_user, DEMO_ORIGIN)
    visit = await visits.visit(
        svc, site_id=site_id, origin=DEMO_ORIGIN, token=None, limiter=VisitLimiter(svc.clock, 60, 5),
        details={"ip": "192.0.2.10", "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
                 "language": "nl-NL", "url": f"{DEMO_ORIGIN}/demo/site?page=2", "referrer": "https://www.google.nl/"},
    )
    async with svc.read() as s:
        visitor = (await account_store.users_by_ids(s, [int(visit["visitor_id"])]))[int(visit["visitor_id"])]
    sent = await visitor_messages.send(
        svc, visitor, "Goedemiddag, is de vacature magazijnmedewerker in Utrecht nog open?", "demo-1"
    )
    await _desk(svc, key_user, operator, int(sent["conversation"]["id"]))


# The organisation's canned responses and labels, so the console's screens are not empty.
CANNED = {
    "welkom": "Goedemiddag, welkom bij Demo Uitzendbureau! Waarmee kan ik u helpen?",
    "cv": "U kunt uw cv sturen naar vacatures@demo.example; wij reageren binnen twee werkdagen.",
    "open": "Wij zijn bereikbaar op werkdagen van 8:30 tot 17:30.",
}
LABELS = {"Sollicitant": "#1e8e3e", "Opdrachtgever": "#1f5fbf", "Spoed": "#d93025"}


async def _desk(svc: Services, key_user: User, operator: User, conversation_id: int) -> None:
    for shortcut, text in CANNED.items():
        await canned.create(svc, key_user, {"scope": "organisation", "shortcut": shortcut, "text": text})
    made = [await labels.create(svc, key_user, {"name": n, "colour": c}) for n, c in LABELS.items()]
    await labels.add(svc, operator, conversation_id, {"label_id": made[0]["id"]})
