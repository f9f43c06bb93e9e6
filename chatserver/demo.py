"""The demo tenant for ``chatserver serve --demo``: named users, a few records, one password."""

from __future__ import annotations

import logging
import os

from chatserver.actions import accounts, settings
from chatserver.actions.context import Services
from chatserver.storage import accounts as account_store

log = logging.getLogger(__name__)

DEMO_TENANT = "demo"
DEMO_USERS = [
    # username, name, function, role, extra settings
    ("anna", "Anna de Vries", "Recruiter", "user", {}),
    ("bram", "Bram Jansen", "Recruiter", "user", {}),
    ("olga", "Olga Bakker", "Operator", "user", {"livechat.enabled": True, "livechat.reachable": True}),
    ("sam", "Sam Visser", "Office manager", "user", {"sms.admin": True}),
    ("kees", "Kees Smit", "Key-user", "key_user", {}),
]


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
    print(
        "\n  Demo organisation 'demo' is ready. Log in at /app with organisation 'demo' and\n"
        f"  username anna, bram, olga, sam or kees; password: {password}\n",
        flush=True,
    )
    return password
