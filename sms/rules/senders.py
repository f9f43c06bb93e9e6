"""Who an SMS comes from (SM-2): the tenant's default sender, or the user's own mobile.

A sender ("originator") is either

* **alphanumeric**: 1 to 11 letters A-Z/a-z and digits, at least one letter, no
  spaces or other characters (seed 000, §2.2.1: "spaties en bijzondere karakters
  worden niet ondersteund"). The recipient cannot reply to it.
* **numeric**: 1 to 14 digits 0-9. When it is a mobile number (the user's own,
  "send from my number") it is the E.164 number without ``+``, and replies go to it.

Call :func:`validate_sender` when a key-user saves the default sender and
:func:`resolve_sender` when a message is composed; both raise :class:`InvalidSender`
with a reason code and an English message to show as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sms.rules.numbers import EUROPE, InvalidNumber, normalise

__all__ = [
    "MAX_ALPHANUMERIC",
    "MAX_NUMERIC",
    "InvalidSender",
    "Sender",
    "SenderError",
    "SenderKind",
    "SenderReason",
    "own_number_sender",
    "resolve_sender",
    "validate_sender",
]

MAX_ALPHANUMERIC = 11
MAX_NUMERIC = 14

# ASCII only on purpose: operators and gateways reject or mangle accented
# originators, and the seed allows "A-Z".
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")


class SenderKind(StrEnum):
    ALPHANUMERIC = "alphanumeric"
    NUMERIC = "numeric"


class SenderReason(StrEnum):
    """Why a sender was refused; stable codes for the API and settings screens."""

    EMPTY = "empty"
    INVALID_CHARACTERS = "invalid_characters"
    TOO_LONG = "too_long"
    NO_DEFAULT_SENDER = "no_default_sender"
    NO_OWN_NUMBER = "no_own_number"
    OWN_NUMBER_INVALID = "own_number_invalid"


class SenderError(ValueError):
    """A sender problem. ``reason`` is a :class:`SenderReason`; ``str(err)`` is for people."""

    def __init__(self, reason: SenderReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class InvalidSender(SenderError):
    """The sender cannot be used: see ``reason`` and the message."""


@dataclass(frozen=True, slots=True)
class Sender:
    """A valid originator. ``value`` is what the gateway gets; ``replies`` whether replies arrive."""

    kind: SenderKind
    value: str

    @property
    def replies(self) -> bool:
        # Only a number can be replied to; an alphanumeric sender is one-way.
        return self.kind is SenderKind.NUMERIC


def validate_sender(raw: str) -> Sender:
    """Return the default sender ``raw`` as a :class:`Sender` or raise :class:`InvalidSender`.

    Surrounding whitespace (a copy-paste accident) is dropped; anything else is
    taken as typed, so the user sees the sender exactly as recipients will.
    """
    value = raw.strip() if isinstance(raw, str) else ""
    if not value:
        raise InvalidSender(SenderReason.EMPTY, "No sender name given.")
    if not _ALNUM.fullmatch(value):
        bad = "".join(dict.fromkeys(ch for ch in value if not _ALNUM.fullmatch(ch)))
        hint = ""
        if value.startswith("+") and _DIGITS.fullmatch(value[1:]):
            hint = f" Write a number without '+', e.g. {value[1:]}."
        raise InvalidSender(
            SenderReason.INVALID_CHARACTERS,
            f"The sender {value!r} contains {_describe(bad)}; only letters A-Z and digits 0-9 are allowed, "
            f"without spaces.{hint}",
        )
    if _DIGITS.fullmatch(value):
        if len(value) > MAX_NUMERIC:
            raise InvalidSender(
                SenderReason.TOO_LONG,
                f"The sender {value!r} has {len(value)} digits; a numeric sender has at most {MAX_NUMERIC}.",
            )
        return Sender(SenderKind.NUMERIC, value)
    if len(value) > MAX_ALPHANUMERIC:
        raise InvalidSender(
            SenderReason.TOO_LONG,
            f"The sender {value!r} has {len(value)} characters; a sender name has at most "
            f"{MAX_ALPHANUMERIC} letters and digits (e.g. a short form of the company name).",
        )
    return Sender(SenderKind.ALPHANUMERIC, value)


def own_number_sender(
    mobile: str | None, default_region: str = "NL", allowed_regions: frozenset[str] = EUROPE
) -> Sender:
    """The user's own mobile as a numeric sender (E.164 digits without ``+``).

    ``mobile`` is the user's "own mobile number" setting, ``None`` or ``""`` when unset.
    """
    if mobile is None or not mobile.strip():
        raise InvalidSender(
            SenderReason.NO_OWN_NUMBER,
            "You have no mobile number set, so the SMS cannot be sent from your number. "
            "Set your mobile number in your settings, or send from the organisation's name.",
        )
    try:
        e164 = normalise(mobile, default_region, allowed_regions)
    except InvalidNumber as exc:
        raise InvalidSender(
            SenderReason.OWN_NUMBER_INVALID,
            f"Your mobile number cannot be used as the sender: {exc.message}",
        ) from exc
    digits = e164.removeprefix("+")
    # E.164 allows 15 digits, originators 14: rare (long Austrian or German
    # numbers) but must be refused rather than truncated.
    if len(digits) > MAX_NUMERIC:
        raise InvalidSender(
            SenderReason.TOO_LONG,
            f"Your mobile number {e164} has {len(digits)} digits; a numeric sender has at most {MAX_NUMERIC}.",
        )
    return Sender(SenderKind.NUMERIC, digits)


def resolve_sender(
    *,
    from_own_number: bool,
    default_sender: str | None,
    own_mobile: str | None,
    default_region: str = "NL",
    allowed_regions: frozenset[str] = EUROPE,
) -> Sender:
    """The sender of a message being composed (the "send from my number" checkbox).

    ``default_sender`` is the tenant's setting (``None``/``""`` when unset);
    ``own_mobile`` is the user's. Raises :class:`InvalidSender` with the reason.
    """
    if from_own_number:
        return own_number_sender(own_mobile, default_region, allowed_regions)
    if default_sender is None or not default_sender.strip():
        raise InvalidSender(
            SenderReason.NO_DEFAULT_SENDER,
            "This organisation has no default SMS sender; a key-user sets one in the organisation's "
            "settings, or send from your own number.",
        )
    return validate_sender(default_sender)


def _describe(chars: str) -> str:
    names = {" ": "a space", "\t": "a tab"}
    shown = [names.get(ch, repr(ch)) for ch in chars[:5]]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
