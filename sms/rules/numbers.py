"""Recipient and sender phone numbers: turn what a user typed into E.164, or say why not.

SM-4 and SM-15: a number may be typed locally (``06-12345678``, ``0612 345 678``,
``(06) 12345678``) or internationally (``+31612345678``, ``0031612345678``); spaces,
brackets, dashes, dots and slashes are ignored. Only mobile numbers in an allowed country
can receive an SMS. The allowed countries are a tenant setting; the default is
:data:`EUROPE`.

Callers that must refuse bad input use :func:`normalise` and catch
:class:`InvalidNumber`; callers that must explain ("why did X not receive this?")
use :func:`check`, which never raises for bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

__all__ = [
    "EEA",
    "EU",
    "EUROPE",
    "InvalidNumber",
    "NumberError",
    "Reason",
    "Verdict",
    "check",
    "normalise",
]

#: The 27 member states of the European Union.
EU: frozenset[str] = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

#: The European Economic Area: the EU plus Iceland, Liechtenstein and Norway.
EEA: frozenset[str] = EU | {"IS", "LI", "NO"}

#: The default allowed countries (the seed: "the SMS service works only within Europe").
#:
#: The choice: the EEA; the United Kingdom and Switzerland; the other sovereign
#: countries lying wholly in Europe (Andorra, Monaco, San Marino, Vatican City,
#: Albania, Bosnia and Herzegovina, Kosovo, Montenegro, North Macedonia, Serbia,
#: Moldova, Ukraine); and the European territories that libphonenumber reports as
#: regions of their own, because their numbers share a country code with a listed
#: country and would otherwise be refused although users think of them as that
#: country: Guernsey, Jersey and the Isle of Man (+44), Åland (+358), Svalbard
#: (+47), Faroe Islands, Gibraltar.
#:
#: Left out on purpose: Russia, Belarus, Turkey, Georgia, Armenia, Azerbaijan and
#: Kazakhstan (transcontinental, or not reachable on European routes and tariffs),
#: Greenland (North America), and the EU's overseas regions with their own country
#: codes (Réunion, Guadeloupe, ...), which are outside geographic Europe. A tenant
#: that needs any of them sets its own allowed set, e.g. ``EUROPE | {"TR"}``.
EUROPE: frozenset[str] = EEA | {
    "GB", "CH",
    "AD", "MC", "SM", "VA",
    "AL", "BA", "XK", "ME", "MK", "RS", "MD", "UA",
    "GG", "JE", "IM", "AX", "SJ", "FO", "GI",
}  # fmt: skip

# Number types that can receive an SMS. Some countries (e.g. Denmark, Norway in
# part) do not distinguish mobile from fixed ranges; libphonenumber reports those
# as FIXED_LINE_OR_MOBILE and refusing them would refuse every number there.
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

# Separators people type or paste: ASCII and typographic spaces, brackets, dashes
# and dots. Slashes are common in German and Austrian notation (0151/2345678).
_SEPARATORS = re.compile(r"[\s()\[\]\-\u2010-\u2015\u2212./\u00a0\u2000-\u200b\u202f\u2060]+")
_DIGITS = re.compile(r"\+?[0-9]+")

# Far longer than any real number with separators; refuse before parsing so a
# pasted paragraph gets a clear "not a number" rather than parsing work.
_MAX_RAW = 64


class Reason(StrEnum):
    """Why a number was refused; stable codes for the API, logs and the 'why' screen."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    INVALID = "invalid"
    NOT_MOBILE = "not_mobile"
    COUNTRY_NOT_ALLOWED = "country_not_allowed"


class NumberError(ValueError):
    """A phone number problem. ``reason`` is a :class:`Reason`; ``str(err)`` is for people."""

    def __init__(self, reason: Reason, message: str, raw: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.raw = raw


class InvalidNumber(NumberError):
    """The input cannot receive an SMS: see ``reason`` and the message."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of :func:`check`: either ``ok`` with ``e164`` and ``region``, or a reason."""

    ok: bool
    raw: str
    e164: str | None = None
    region: str | None = None
    reason: Reason | None = None
    message: str = ""

    def __bool__(self) -> bool:
        return self.ok


def normalise(raw: str, default_region: str = "NL", allowed_regions: frozenset[str] = EUROPE) -> str:
    """Return ``raw`` as an E.164 string (``+31612345678``) or raise :class:`InvalidNumber`.

    ``default_region`` (ISO 3166 alpha-2, e.g. the tenant's country) is used for
    numbers typed without ``+`` or ``00``; ``allowed_regions`` is the tenant's
    allowed countries. The result is idempotent: ``normalise(normalise(x)) ==
    normalise(x)``. A ``ValueError`` (not ``InvalidNumber``) for an unknown
    ``default_region`` is a programming error, not bad user input.
    """
    region = default_region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown default region {default_region!r}")
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise InvalidNumber(Reason.EMPTY, "No phone number given.", raw)
    if len(text) > _MAX_RAW:
        raise InvalidNumber(Reason.NOT_A_NUMBER, "This is too long to be a phone number.", raw)
    compact = _SEPARATORS.sub("", text)
    if not _DIGITS.fullmatch(compact):
        # libphonenumber would read letters as a keypad ("0800-FLOWERS"); nobody
        # types a recipient that way, and it would hide typos, so refuse.
        raise InvalidNumber(
            Reason.NOT_A_NUMBER,
            f"{text!r} is not a phone number: use digits, optionally starting with + or 00.",
            raw,
        )
    # "00" is the international prefix everywhere in Europe; treat it so whatever
    # the default region, as the seed says ("00 or + followed by the country code").
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    try:
        number = phonenumbers.parse(compact, region)
    except NumberParseException as exc:
        # Digits that do not make a number (unknown country code, too short or
        # long) are "invalid"; "not a number" is kept for input that is not digits.
        reason = (
            Reason.NOT_A_NUMBER if exc.error_type == NumberParseException.NOT_A_NUMBER else Reason.INVALID
        )
        raise InvalidNumber(reason, _parse_message(text, exc), raw) from exc

    if not phonenumbers.is_valid_number(number):
        raise InvalidNumber(Reason.INVALID, _invalid_message(text, number), raw)
    # The country first: for a number abroad "not allowed there" is the answer
    # the sender can act on, whatever kind of line it is.
    number_region = phonenumbers.region_code_for_number(number)
    if number_region not in allowed_regions:
        raise InvalidNumber(
            Reason.COUNTRY_NOT_ALLOWED,
            f"{text!r} is a number in {number_region or 'an unknown country'}, "
            "which is not among the countries this organisation may send SMS to.",
            raw,
        )
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise InvalidNumber(
            Reason.NOT_MOBILE,
            f"{text!r} is not a mobile number ({_type_name(number)}); an SMS can only go to a mobile.",
            raw,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check(raw: str, default_region: str = "NL", allowed_regions: frozenset[str] = EUROPE) -> Verdict:
    """Like :func:`normalise` but return a :class:`Verdict` instead of raising on bad input.

    Use it where a refusal is an answer to record or show (recipient resolution,
    "why did X not receive this?"), not an error to propagate.
    """
    try:
        e164 = normalise(raw, default_region, allowed_regions)
    except InvalidNumber as exc:
        return Verdict(ok=False, raw=raw, reason=exc.reason, message=exc.message)
    region = phonenumbers.region_code_for_number(phonenumbers.parse(e164))
    return Verdict(ok=True, raw=raw, e164=e164, region=region, message="")


def _parse_message(text: str, exc: NumberParseException) -> str:
    if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return f"{text!r} does not start with a known country code."
    if exc.error_type in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD):
        return f"{text!r} is too short to be a phone number."
    if exc.error_type == NumberParseException.TOO_LONG:
        return f"{text!r} is too long to be a phone number."
    return f"{text!r} is not a phone number."


def _invalid_message(text: str, number: phonenumbers.PhoneNumber) -> str:
    why = phonenumbers.is_possible_number_with_reason(number)
    if why == ValidationResult.INVALID_COUNTRY_CODE:
        return f"{text!r} does not start with a known country code."
    if why == ValidationResult.TOO_SHORT:
        return f"{text!r} has too few digits for a number with country code +{number.country_code}."
    if why in (ValidationResult.TOO_LONG, ValidationResult.INVALID_LENGTH):
        return (
            f"{text!r} has the wrong number of digits for a number with country code +{number.country_code}."
        )
    return f"{text!r} is not a valid phone number with country code +{number.country_code}."


_TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "a landline",
    PhoneNumberType.TOLL_FREE: "a toll-free number",
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.VOIP: "a VoIP number",
    PhoneNumberType.PERSONAL_NUMBER: "a personal number",
    PhoneNumberType.PAGER: "a pager",
    PhoneNumberType.UAN: "a company number",
    PhoneNumberType.VOICEMAIL: "a voicemail number",
}


def _type_name(number: phonenumbers.PhoneNumber) -> str:
    return _TYPE_NAMES.get(phonenumbers.number_type(number), "not a mobile range")
