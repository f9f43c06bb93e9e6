"""Every setting declared once: name, type, default, level and who may edit it (AC-2).

The core's settings are listed here; a feature package declares its own in its
:class:`~chatserver.features.Feature` (``settings``), added by :func:`declare` when the
composition root builds the process's services.

Levels: ``tenant`` (one value per organisation), ``user`` (one per user), ``both``
(the tenant's value is every user's default; a user-level value overrides it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from chatserver.errors import BadRequest, NotFound

Level = Literal["tenant", "user", "both"]

NOTIFY_LEVELS = (0, 1, 2)  # 0 off, 1 always (also in the background), 2 only while the app is active


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    level: Level
    # True: a user may change their own value; False: only key-users.
    self_editable: bool
    label_en: str
    label_nl: str
    choices: tuple[Any, ...] | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    # Every whole-number setting declares both bounds (refused at declaration otherwise).
    minimum: int | None = None
    maximum: int | None = None

    def __post_init__(self) -> None:
        if self.type is int and (self.minimum is None or self.maximum is None):
            raise TypeError(f"setting {self.name} is a number and must declare minimum and maximum")

    def validate(self, value: Any) -> Any:
        if self.type is bool:
            if not isinstance(value, bool):
                raise BadRequest(f"{self.name} must be true or false", code="invalid_setting")
        elif self.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise BadRequest(f"{self.name} must be a whole number", code="invalid_setting")
            low, high = self.minimum or 0, self.maximum or 0  # both declared: see __post_init__
            if self.choices is None and not low <= value <= high:
                raise BadRequest(f"{self.name} must be between {self.minimum} and {self.maximum}",
                                 code="invalid_setting", setting=self.name, min=self.minimum, max=self.maximum)
        elif self.type is str:
            if not isinstance(value, str):
                raise BadRequest(f"{self.name} must be text", code="invalid_setting")
            if self.max_length is not None and len(value) > self.max_length:
                raise BadRequest(f"{self.name} is longer than {self.max_length} characters", code="invalid_setting")
            if self.pattern and value and not re.fullmatch(self.pattern, value):
                raise BadRequest(f"{self.name}: {self.pattern_hint}", code="invalid_setting")
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            raise BadRequest(f"{self.name} must be one of {allowed}", code="invalid_setting")
        return value

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type.__name__,
            "default": self.default,
            "level": self.level,
            "self_editable": self.self_editable,
            "label": {"en": self.label_en, "nl": self.label_nl},
            "choices": list(self.choices) if self.choices else None,
            **({"min": self.minimum, "max": self.maximum} if self.type is int else {}),
        }


def notify_level(name: str, en: str, nl: str, default: int) -> Setting:
    """A notification level (``notify.*``, chatserver.actions.notify): each user's, with the
    organisation's as its default; the app's preferences screen lists every one."""
    return Setting(name, int, default, "both", True, en, nl, choices=NOTIFY_LEVELS,
                   minimum=min(NOTIFY_LEVELS), maximum=max(NOTIFY_LEVELS))


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("chat.block_external", bool, False, "tenant", False,
                "Chat - block external chat", "Chat - Externe chat blokkeren"),
        notify_level("notify.contact_request", "Notifications - incoming contact request",
                "Notificaties - Inkomend chat contactverzoek", 1),
        notify_level("notify.contact_approved", "Notifications - contact request approved",
                "Notificaties - Chat contactverzoek goedgekeurd", 1),
        notify_level("notify.status_change", "Notifications - contact status change",
                "Notificaties - Chat contactpersoon statuswijziging", 2),
        notify_level("notify.chat_message", "Notifications - incoming chat message",
                "Notificaties - Inkomend chatbericht", 1),
        Setting("chat.internal_enabled", bool, True, "user", False,
                "Chat - enabled for user", "Chat - Activeer voor gebruiker"),
        Setting("user.mobile", str, "", "user", True,
                "Own mobile number", "Eigen mobiel nummer", max_length=20,
                pattern=r"\+?[0-9 ()\-]{6,20}", pattern_hint="a phone number such as +31612345678"),
    ]
}


def declare(settings: Iterable[Setting]) -> None:
    """Add a feature's settings; declaring the same one again is a no-op, another under its name an error."""
    for setting in settings:
        known = SETTINGS.setdefault(setting.name, setting)
        if known is not setting and known != setting:
            raise ValueError(f"setting {setting.name} is declared twice, differently")


def get(name: str) -> Setting:
    try:
        return SETTINGS[name]
    except KeyError:
        raise NotFound(f"unknown setting {name!r}", code="unknown_setting") from None


def tenant_settings() -> list[Setting]:
    return [s for s in SETTINGS.values() if s.level in ("tenant", "both")]


def user_settings() -> list[Setting]:
    return [s for s in SETTINGS.values() if s.level in ("user", "both")]
