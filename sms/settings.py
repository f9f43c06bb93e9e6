"""The SMS module's settings (AC-2), declared through its feature (sms.feature)."""

from __future__ import annotations

from chatserver.settings_registry import Setting

__all__ = ["SETTINGS"]

SETTINGS = (
    Setting("sms.default_sender", str, "", "tenant", False,
            "SMS - default sender", "SMS - Standaard afzender", max_length=14,
            pattern=r"[A-Za-z0-9]{1,11}|[0-9]{1,14}",
            pattern_hint="at most 11 letters and digits, or at most 14 digits, no spaces or special characters"),
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
    Setting("sms.enabled", bool, True, "user", False,
            "SMS - module enabled", "SMS - Module actief"),
    Setting("sms.admin", bool, False, "user", False,
            "SMS - administrator", "SMS - Beheerder"),
)
