"""The demo's directory and records (``serve --demo``): organisations, contact persons and
vacancies beside the candidates, and timelines with something in them at first look: a chat
about a record (IC-7), an SMS sent from one (SM-8), and what the features add (video: a
planned interview and a recording, through ``Feature.demo``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy import select

from chatserver.actions import chat, contacts, directory
from chatserver.actions.context import Services
from chatserver.db.models import Record, User
from chatserver.errors import ChatError

__all__ = ["seed_records"]

log = logging.getLogger(__name__)

ORGANISATIONS = ["Bouwbedrijf Van Dijk", "Transport Noord"]
CONTACT_PERSONS = [
    # name, function, organisation, mobile, e-mail
    ("Marieke van Dijk", "HR-manager", "Bouwbedrijf Van Dijk", "06-45678901", "marieke@vandijk.example.nl"),
    ("Henk Bos", "Planner", "Transport Noord", "06-56789012", "henk@transportnoord.example.nl"),
]
VACANCIES = ["Monteur elektra (Bouwbedrijf Van Dijk)", "Chauffeur C/E (Transport Noord)"]


async def _records_by_title(svc: Services, tenant_id: int) -> dict[str, Record]:
    async with svc.read() as s:
        rows = (await s.execute(select(Record).where(Record.tenant_id == tenant_id))).scalars()
        return {r.title: r for r in rows}


async def _contacts(svc: Services, one: User, other: User) -> None:
    """Make two colleagues contacts unless they are already (other demo content may have)."""
    try:
        await contacts.request(svc, one, other.id)
        await contacts.request(svc, other, one.id)  # accepts the request waiting the other way
    except ChatError as exc:
        if exc.code not in ("already_contacts", "request_pending"):
            raise


async def seed_records(svc: Services, key_user: User, users: Mapping[str, User]) -> None:
    """After the candidates and their records exist (chatserver.demo)."""
    organisations = {}
    for name in ORGANISATIONS:
        organisations[name] = (await directory.create_named(svc, key_user, "organisations", {"name": name}))["id"]
    for name, function, organisation, mobile, email in CONTACT_PERSONS:
        person = await directory.create_person(svc, key_user, {
            "kind": "contact_person", "name": name, "function": function, "mobile": mobile, "email": email,
            "organisation_id": organisations[organisation]})
        await directory.create_record(svc, key_user, {"kind": "contact_person", "title": name, "person_id": person["id"]})
    for title in VACANCIES:
        await directory.create_record(svc, key_user, {"kind": "vacancy", "title": title})
    records = await _records_by_title(svc, key_user.tenant_id)
    anna, bram = users["anna"], users["bram"]
    piet, fatima = records.get("Piet Pieters"), records.get("Fatima El Amrani")
    for seed in svc.demo_seeds:  # the features' (Feature.demo)
        await seed(svc, users, {title: r.id for title, r in records.items()})
    # Chats about records with Olga, not in Anna's conversation with Bram: the demo's
    # activity (demo_activity) keeps that one's history and its two unread messages.
    olga = users["olga"]
    await _contacts(svc, anna, olga)
    await _contacts(svc, bram, olga)
    if piet is not None:
        await chat.send(svc, anna, olga.id, "Piet kan maandag beginnen. Wil jij het contract klaarzetten?",
                        "demo-record-piet", record_id=piet.id)
    if fatima is not None:
        await chat.send(svc, bram, olga.id, "Fatima heeft haar VCA-diploma gestuurd, staat in het dossier.",
                        "demo-record-fatima", record_id=fatima.id)
    log.info("demo records: %d records, timelines for Piet Pieters and Fatima El Amrani", len(records))
