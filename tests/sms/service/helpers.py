"""SMS service test helpers: an organisation with a key-user, an author and an SMS-admin,
people imported through the public API, and the outbox read as the dispatcher finds it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from chatserver.client import ChatClient
from chatserver.config import Config
from sms.config import SmsConfig
from sms.models import SmsMessage, SmsRecipient
from tests.helpers import Server, make_tenant, make_user, with_section


def without_dispatcher(config: Config) -> Config:
    """The config with the embedded dispatcher off.

    These tests look at release and resolution alone: the outbox rows exactly as the
    dispatcher (tested in tests/sms/dispatch) would find them, not yet sent.
    """
    return with_section(config, SmsConfig, worker="off")


def mobile(i: int) -> str:
    """A distinct, valid Dutch mobile number typed the local way."""
    return f"06-{20000000 + i}"


@dataclass
class Org:
    server: Server
    tenant: dict[str, Any]
    key: ChatClient
    anna: ChatClient  # the author, a plain user
    sam: ChatClient  # the SMS-admin

    async def people(self, n: int, *, prefix: str = "Person", **fields: Any) -> list[dict[str, Any]]:
        rows = [{"name": f"{prefix} {i:03d}", "mobile": mobile(i), **fields} for i in range(n)]
        await self.key.rest("POST", "/api/people/import", {"people": rows})
        found = await self.key.rest("GET", "/api/people", q=prefix.lower(), limit=500)
        return [p for p in found["items"] if p["name"].startswith(prefix + " ")]

    async def person(self, name: str, mobile_number: str = "", **fields: Any) -> dict[str, Any]:
        return await self.key.rest("POST", "/api/people", {"name": name, "mobile": mobile_number, **fields})

    async def setting(self, name: str, value: Any) -> None:
        await self.key.rest("PUT", f"/api/settings/tenant/{name}", {"value": value})

    async def user_setting(self, user: ChatClient, name: str, value: Any) -> None:
        await self.key.rest("PUT", f"/api/users/{user.user['id']}/settings/{name}", {"value": value})

    async def balance(self) -> int:
        return int((await self.key.rest("GET", "/api/sms/credits"))["balance"])


async def make_org(server: Server, *, sender: str = "JobGenius", credits: int = 0) -> Org:
    tenant = await make_tenant(server, "sms-org")
    key = await make_user(server, tenant, "Kees Keyuser", role="key_user")
    anna = await make_user(server, tenant, "Anna de Vries")
    sam = await make_user(server, tenant, "Sam Visser", function="Office manager")
    org = Org(server, tenant, key, anna, sam)
    await org.user_setting(sam, "sms.admin", True)
    if sender:
        await org.setting("sms.default_sender", sender)
    if credits:
        await key.rest("POST", "/api/sms/credits", {"amount": credits})
    return org


async def outbox(server: Server, message_id: int) -> list[SmsRecipient]:
    async with server.services.read() as s:
        q = select(SmsRecipient).where(SmsRecipient.message_id == message_id).order_by(SmsRecipient.id)
        return list((await s.execute(q)).scalars())


async def message_count(server: Server, tenant_id: int) -> int:
    async with server.services.read() as s:
        q = select(func.count()).select_from(SmsMessage).where(SmsMessage.tenant_id == tenant_id)
        return int((await s.execute(q)).scalar_one())
