"""Who may use the SMS module and what the tenant's SMS settings are (SM-1, SM-2, SM-3, SM-7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.db.models import User
from chatserver.errors import Forbidden, NotFound
from chatserver.storage import settings as settings_store
from sms.models import SmsMessage
from sms.rules.numbers import EUROPE
from sms.storage import messages as store

__all__ = ["SmsActor", "SmsSettings", "load", "require_admin", "tenant_sms_settings", "visible_message"]


@dataclass(frozen=True)
class SmsSettings:
    """The settings that shape composing and resolving, as one value."""

    default_sender: str
    allow_long: bool
    recipient_limit: int
    default_country: str
    allowed_countries: frozenset[str]

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> SmsSettings:
        listed = str(values.get("sms.allowed_countries") or "")
        allowed = frozenset(c for c in listed.split(",") if c) or EUROPE
        return cls(
            default_sender=str(values.get("sms.default_sender") or ""),
            allow_long=bool(values.get("sms.allow_long")),
            recipient_limit=int(values.get("sms.recipient_limit") or 0),
            default_country=str(values.get("sms.default_country") or "NL"),
            allowed_countries=allowed,
        )


@dataclass(frozen=True)
class SmsActor:
    user: User
    admin: bool
    mobile: str
    settings: SmsSettings

    @property
    def tenant_id(self) -> int:
        return self.user.tenant_id

    @property
    def key_user(self) -> bool:
        return self.user.role == "key_user"


async def load(s: AsyncSession, user: User) -> SmsActor:
    """The caller as an SMS user; 403 ``sms_disabled`` when the module is off for them."""
    values = await settings_store.effective(s, user.tenant_id, user.id)
    if not values.get("sms.enabled", True):
        raise Forbidden("The SMS module is switched off for you; a key-user can switch it on.", code="sms_disabled")
    return SmsActor(
        user=user, admin=bool(values.get("sms.admin")), mobile=str(values.get("user.mobile") or ""),
        settings=SmsSettings.from_values(values),
    )


async def tenant_sms_settings(s: AsyncSession, tenant_id: int) -> SmsSettings:
    return SmsSettings.from_values(await settings_store.tenant_values(s, tenant_id))


def require_admin(actor: SmsActor, what: str) -> None:
    if not actor.admin:
        raise Forbidden(f"Only SMS-admins can {what}.", code="not_sms_admin")


async def visible_message(s: AsyncSession, actor: SmsActor, message_id: int, *, for_update: bool = False) -> SmsMessage:
    """The message if the caller may see it: their own, or any of the tenant's for SMS-admins.

    Another user's message is NotFound for a non-admin, as another tenant's is for all.
    """
    msg = await store.get_message(s, actor.tenant_id, message_id, for_update=for_update)
    if msg.user_id != actor.user.id and not actor.admin:
        raise NotFound(f"no SMS message with id {message_id}")
    return msg
