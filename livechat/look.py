"""A live-chat site's look: the widget's colour, side, launcher text and default language.

Stored on the site as JSON (``None``: the widget's own defaults, the look before this
existed)::

    {"colour": "#1f5fd1", "position": "right", "launcher": {"nl": "Chat", "en": "Chat"},
     "language": "nl"}

The REST contract (``LOOK`` in livechat/api/sites.py) checks each field's form;
this module keeps the stored shape and answers what one visitor's widget shows. The text
colour on the site's colour is the widget's to compute (it renders it), so a colour an
operator picks never leaves white text on yellow.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COLOUR", "DEFAULT", "LANGUAGES", "POSITIONS", "clean_look", "language_for", "look_for"]

# The form of a colour: #rrggbb, as <input type="color"> gives it.
COLOUR = r"#[0-9a-fA-F]{6}"
POSITIONS = ("right", "left")
LANGUAGES = ("nl", "en")
LAUNCHER_MAX = 40
DEFAULT: dict[str, Any] = {"colour": "#1f5fd1", "position": "right", "launcher": {}, "language": "en"}


def clean_look(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """The look as stored (its fields already checked by the contract): the colour in lower
    case, empty launcher texts left out; ``{}`` or ``None`` clears it."""
    if not value:
        return None
    look: dict[str, Any] = {}
    if value.get("colour"):
        look["colour"] = str(value["colour"]).lower()
    if value.get("position"):
        look["position"] = value["position"]
    launcher = {k: v.strip() for k, v in (value.get("launcher") or {}).items() if k in LANGUAGES and v.strip()}
    if launcher:
        look["launcher"] = launcher
    if value.get("language"):
        look["language"] = value["language"]
    return look or None


def language_for(accept: str, look: dict[str, Any] | None) -> str:
    """The widget's language for a visitor: the first of their browser's languages that we
    speak (nl or en), else the site's default language (English when none is set)."""
    for part in accept.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return str((look or {}).get("language") or DEFAULT["language"])


def look_for(look: dict[str, Any] | None, language: str) -> dict[str, Any]:
    """What the widget needs: colour, side, the launcher text in ``language`` (empty: the
    icon only) and the language it speaks."""
    mine = {**DEFAULT, **(look or {})}
    launcher = mine["launcher"]
    return {"colour": mine["colour"], "position": mine["position"], "language": language,
            "launcher": str(launcher.get(language) or "")}
