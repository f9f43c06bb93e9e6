"""Every setting declared once: name, type, default, level and who may edit it (AC-2).

Levels: ``tenant`` (one value per organisation), ``user`` (one per user), ``both``
(the tenant's value is every user's default; a user-level value overrides it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from chatserver.errors import BadRequest, NotFound

Level = Literal["tenant", "user", "both"]

NOTIFY_LEVELS = (0, 1, 2)  # 0 off, 1 always (also in the background), 2 only while the app is active


VIDEO_INVITATION = """Beste {name},

{organiser} nodigt u uit voor een videogesprek: {title}.
{when}
Deelnemen kan via deze link, in uw browser (er is niets te installeren):
{link}

{consent}
Met vriendelijke groet,
{organiser}
"""

VIDEO_CONSENT = ("Dit gesprek wordt opgenomen en bewaard in uw dossier. Door de link te openen en deel te "
                 "nemen, gaat u akkoord met de opname.")


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


def _notify(name: str, en: str, nl: str, default: int) -> Setting:
    return Setting(name, int, default, "both", True, en, nl, choices=NOTIFY_LEVELS,
                   minimum=min(NOTIFY_LEVELS), maximum=max(NOTIFY_LEVELS))


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("chat.block_external", bool, False, "tenant", False,
                "Chat - block external chat", "Chat - Externe chat blokkeren"),
        _notify("notify.contact_request", "Notifications - incoming contact request",
                "Notificaties - Inkomend chat contactverzoek", 1),
        _notify("notify.contact_approved", "Notifications - contact request approved",
                "Notificaties - Chat contactverzoek goedgekeurd", 1),
        _notify("notify.status_change", "Notifications - contact status change",
                "Notificaties - Chat contactpersoon statuswijziging", 2),
        _notify("notify.chat_message", "Notifications - incoming chat message",
                "Notificaties - Inkomend chatbericht", 1),
        _notify("notify.livechat_message", "Notifications - incoming live chat",
                "Notificaties - Inkomende live chat", 1),
        Setting("sms.default_sender", str, "", "tenant", False,
                "SMS - default sender", "SMS - Standaard afzender", max_length=14,
                pattern=r"[A-Za-z0-9]{1,11}|[0-9]{1,14}",
                pattern_hint="at most 11 letters and digits, or at most 14 digits, no spaces or special characters"),
        Setting("livechat.auto_assign", bool, False, "tenant", False,
                "Live chat - assign new chats automatically", "Live Chat - Nieuwe chats automatisch toekennen"),
        Setting("livechat.max_chats", int, 5, "tenant", False,
                "Live chat - most active chats per operator (automatic assignment)",
                "Live Chat - Maximum aantal actieve chats per operator", minimum=0, maximum=1000),
        Setting("livechat.retention_days", int, 0, "tenant", False,
                "Live chat - delete resolved conversations after this many days (0: keep them)",
                "Live Chat - Afgehandelde gesprekken verwijderen na dit aantal dagen (0: bewaren)",
                minimum=0, maximum=3650),
        # Every resolved chat's transcript goes here (actions/livechat_transcripts.py).
        Setting("livechat.transcript_to", str, "", "tenant", False,
                "Live chat - e-mail each resolved chat's transcript to (empty: off)",
                "Live Chat - Verslag van elk afgehandeld gesprek mailen naar (leeg: uit)", max_length=254,
                pattern=r"[^@\s<>,;]{1,64}@[^@\s<>,;]+\.[^@\s<>,;]{2,}",
                pattern_hint="one e-mail address such as team@example.nl; empty for none"),
        Setting("sms.allow_long", bool, False, "tenant", False,
                "SMS - allow long messages", "SMS - Lange berichten toestaan"),
        Setting("sms.recipient_limit", int, 100, "tenant", False,
                "SMS - recipients before approval", "SMS - Maximum aantal ontvangers",
                # 0: every message needs approval; above a million is a typo, not a policy.
                minimum=0, maximum=1_000_000),
        Setting("sms.default_country", str, "NL", "tenant", False,
                "SMS - country of numbers typed without a country code",
                "SMS - Land van nummers zonder landcode", max_length=2,
                pattern=r"[A-Z]{2}", pattern_hint="a two-letter country code such as NL"),
        Setting("sms.allowed_countries", str, "", "tenant", False,
                "SMS - countries SMS may go to (empty: Europe)",
                "SMS - Landen waarheen SMS mag (leeg: Europa)", max_length=1000,
                pattern=r"[A-Z]{2}(,[A-Z]{2})*",
                pattern_hint="two-letter country codes separated by commas, such as NL,BE,DE; empty for Europe"),
        # The e-mail a candidate gets with a video call's link (VC-2, VC-3); placeholders:
        # {name} {organiser} {title} {link} {when} {consent}. Edited by the key-user.
        Setting("video.invitation_text", str, VIDEO_INVITATION, "tenant", False,
                "Video - invitation e-mail", "Video - Uitnodigingsmail", max_length=4000),
        Setting("video.consent_text", str, VIDEO_CONSENT, "tenant", False,
                "Video - consent to recording", "Video - Toestemming voor opname", max_length=2000),
        Setting("chat.internal_enabled", bool, True, "user", False,
                "Chat - enabled for user", "Chat - Activeer voor gebruiker"),
        Setting("livechat.enabled", bool, False, "user", False,
                "Live chat - enabled for user", "Live Chat - Activeer voor gebruiker"),
        Setting("livechat.reachable", bool, False, "user", False,
                "Live chat - reachable for website visitors", "Live Chat - Bereikbaar voor website bezoekers"),
        Setting("sms.enabled", bool, True, "user", False,
                "SMS - module enabled", "SMS - Module actief"),
        Setting("sms.admin", bool, False, "user", False,
                "SMS - administrator", "SMS - Beheerder"),
        Setting("user.mobile", str, "", "user", True,
                "Own mobile number", "Eigen mobiel nummer", max_length=20,
                pattern=r"\+?[0-9 ()\-]{6,20}", pattern_hint="a phone number such as +31612345678"),
    ]
}


def get(name: str) -> Setting:
    try:
        return SETTINGS[name]
    except KeyError:
        raise NotFound(f"unknown setting {name!r}", code="unknown_setting") from None


def tenant_settings() -> list[Setting]:
    return [s for s in SETTINGS.values() if s.level in ("tenant", "both")]


def user_settings() -> list[Setting]:
    return [s for s in SETTINGS.values() if s.level in ("user", "both")]
