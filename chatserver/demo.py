"""The demo tenant for ``chatserver serve --demo``: named users, a few records, one password."""

from __future__ import annotations

import logging
import os

from chatserver import demo_activity
from chatserver.actions import accounts, directory, settings
from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.demo_records import seed_records
from chatserver.storage import accounts as account_store

log = logging.getLogger(__name__)

DEMO_TENANT = "demo"
DEMO_USERS = [
    # username, name, function, role, extra settings
    ("anna", "Anna de Vries", "Recruiter", "user", {}),
    ("bram", "Bram Jansen", "Recruiter", "user", {}),
    ("olga", "Olga Bakker", "Operator", "user", {"livechat.enabled": True, "livechat.reachable": True}),
    ("sam", "Sam Visser", "Office manager", "user", {"sms.admin": True}),
    # Live chat on for Kees (not reachable: no chats routed to him), so the console's Sites screen is his.
    ("kees", "Kees Smit", "Key-user", "key_user", {"livechat.enabled": True}),
]


DEMO_CANDIDATES = [
    # name, function, mobile (one landline: the SMS detail then shows why it was skipped)
    ("Piet Pieters", "Monteur", "06-12345678"),
    ("Fatima El Amrani", "Monteur", "+31 6 23456789"),
    ("Jan de Boer", "Chauffeur", "0031 6 34567890"),
    ("Lotte Mulder", "Chauffeur", "020-1234567"),
]


async def _seed_people(svc: Services, key_user: User, users: dict[str, User]) -> None:
    """Candidates, each with a record (the agenda plans interviews with them, recordings and
    messages land in them), and Anna's own mobile."""
    await settings.set_user_setting(svc, key_user, users["anna"].id, "user.mobile", "+31611111111")
    for name, function, mobile in DEMO_CANDIDATES:
        person = await directory.create_person(svc, key_user, {
            "kind": "candidate", "name": name, "function": function, "mobile": mobile,
            "email": name.lower().split()[0] + "@example.nl",  # video invitations land in /demo/mail
        })
        await directory.create_record(svc, key_user, {"kind": "candidate", "title": name, "person_id": person["id"]})


async def _user_ids(svc: Services) -> dict[str, int]:
    async with svc.read() as s:
        found = [await account_store.user_by_login(s, DEMO_TENANT, username) for username, *_ in DEMO_USERS]
    return {u.username: u.id for u in found if u is not None}


async def seed(svc: Services) -> str:
    """Create the demo tenant once; print how to log in. Returns the password."""
    password = os.environ.get("CHATSERVER_DEMO_PASSWORD", "demo-password")
    async with svc.read() as s:
        exists = await account_store.tenant_by_slug(s, DEMO_TENANT)
    if exists is None:
        tenant = await accounts.create_tenant(svc, DEMO_TENANT, "Demo Staffing")
        users = {}
        for username, name, function, role, _ in DEMO_USERS:
            users[username] = await accounts.create_user(
                svc, tenant.id, username=username, password=password, display_name=name,
                email=f"{username}@demo.example", function=function, role=role,
            )
        key_user = users["kees"]
        for username, *_, extra in DEMO_USERS:
            for name, value in extra.items():
                await settings.set_user_setting(svc, key_user, users[username].id, name, value)
        await _seed_people(svc, key_user, users)
        await demo_activity.seed_activity(svc, users, key_user, password)
        await seed_records(svc, key_user, users)  # records and their timelines (demo_records)
    await demo_activity.at_desks(svc, await _user_ids(svc))
    print(
        "\n  Demo organisation 'demo' is ready. Log in at /app with organisation 'demo' and\n"
        f"  username anna, bram, olga, sam or kees; password: {password}\n",
        flush=True,
    )
    return password
