"""Fixtures for the SMS screens in Debian's Chromium.

The browser and the app pages are the colleague app's own fixtures (tests/browser), so
both suites start Chromium the same way. ``sms_team`` is a tenant as the seed sets one
up: a key-user who sets the default sender and the recipient limit, an SMS-admin and
a colleague who sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.conftest import artifacts, browser, open_app  # noqa: F401 (fixtures)
from tests.helpers import Server, make_tenant, make_user


@dataclass
class SmsTeam:
    tenant: dict[str, Any]
    key: Any  # ChatClient of the key-user
    admin: Any  # ChatClient of an SMS-admin
    sender: Any  # ChatClient of a colleague who sends

    async def tenant_setting(self, name: str, value: Any) -> None:
        await self.key.rest("PUT", f"/api/settings/tenant/{name}", {"value": value})

    async def user_setting(self, user: Any, name: str, value: Any) -> None:
        await self.key.rest("PUT", f"/api/users/{user.user['id']}/settings/{name}", {"value": value})


@pytest.fixture
async def sms_team(server: Server) -> SmsTeam:
    tenant = await make_tenant(server, "uitzendbureau")
    key = await make_user(server, tenant, "Kees Keyuser", role="key_user")
    admin = await make_user(server, tenant, "Olga Overzicht", function="Office manager")
    sender = await make_user(server, tenant, "Anna Jansen")
    team = SmsTeam(tenant=tenant, key=key, admin=admin, sender=sender)
    await team.tenant_setting("sms.default_sender", "JobGenius")
    await team.user_setting(admin, "sms.admin", True)
    return team
