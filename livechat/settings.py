"""Live chat's settings (AC-2), declared through its feature (livechat.feature), with the
notification level of an incoming live chat (``notify.livechat_message``, a level like the
core's others: chatserver.actions.notify)."""

from __future__ import annotations

from chatserver.settings_registry import Setting, notify_level

__all__ = ["SETTINGS"]

SETTINGS = (
    Setting("livechat.auto_assign", bool, False, "tenant", False,
            "Live chat - assign new chats automatically", "Live Chat - Nieuwe chats automatisch toekennen"),
    Setting("livechat.max_chats", int, 5, "tenant", False,
            "Live chat - most active chats per operator (automatic assignment)",
            "Live Chat - Maximum aantal actieve chats per operator", minimum=0, maximum=1000),
    Setting("livechat.retention_days", int, 0, "tenant", False,
            "Live chat - delete resolved conversations after this many days (0: keep them)",
            "Live Chat - Afgehandelde gesprekken verwijderen na dit aantal dagen (0: bewaren)",
            minimum=0, maximum=3650),
    # Every resolved chat's transcript goes here (livechat.actions.transcripts).
    Setting("livechat.transcript_to", str, "", "tenant", False,
            "Live chat - e-mail each resolved chat's transcript to (empty: off)",
            "Live Chat - Verslag van elk afgehandeld gesprek mailen naar (leeg: uit)", max_length=254,
            pattern=r"[^@\s<>,;]{1,64}@[^@\s<>,;]+\.[^@\s<>,;]{2,}",
            pattern_hint="one e-mail address such as team@example.nl; empty for none"),
    Setting("livechat.enabled", bool, False, "user", False,
            "Live chat - enabled for user", "Live Chat - Activeer voor gebruiker"),
    Setting("livechat.reachable", bool, False, "user", False,
            "Live chat - reachable for website visitors", "Live Chat - Bereikbaar voor website bezoekers"),
    # Its name stays the one it had when the core declared it: users' stored levels keep.
    notify_level("notify.livechat_message", "Notifications - incoming live chat",
                 "Notificaties - Inkomende live chat", 1),
)
