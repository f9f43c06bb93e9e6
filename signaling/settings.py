"""Video's settings (AC-2), declared through its feature (signaling.feature)."""

from __future__ import annotations

from chatserver.settings_registry import Setting

__all__ = ["SETTINGS", "VIDEO_CONSENT", "VIDEO_INVITATION"]

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

SETTINGS = (
    # The e-mail a candidate gets with a video call's link (VC-2, VC-3); placeholders:
    # {name} {organiser} {title} {link} {when} {consent}. Edited by the key-user.
    Setting("video.invitation_text", str, VIDEO_INVITATION, "tenant", False,
            "Video - invitation e-mail", "Video - Uitnodigingsmail", max_length=4000),
    Setting("video.consent_text", str, VIDEO_CONSENT, "tenant", False,
            "Video - consent to recording", "Video - Toestemming voor opname", max_length=2000),
)
