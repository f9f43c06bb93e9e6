"""Message text: encoding, length, parts and cost, counted exactly as a handset does.

SM-3 and SM-17. A text is sent in the GSM 03.38 7-bit default alphabet when every
character is in it or in its extension table, otherwise in UCS-2 (UTF-16):

============  ==============  ======================  ================================
encoding      unit            one SMS holds           each part of a long SMS holds
============  ==============  ======================  ================================
GSM 7-bit     septet          160                     153 (7 septets go to the header)
UCS-2         UTF-16 unit     70                      67
============  ==============  ======================  ================================

An extension character (``€ [ ] { } ^ ~ | \\`` and form feed) takes two septets
(escape + code) and a character outside the Basic Multilingual Plane (most emoji)
takes two UTF-16 units (a surrogate pair). Neither is ever split across parts,
so a part may hold one unit less than its limit, as on a handset.

**The 140 rule** (seed 000, §2.3: "standaard maximaal 140 karakters"). The seed's
gateway sends one octet per character and an SMS carries 140 octets, so a message
is at most 140 characters unless the tenant allows long messages; the composer
starts at "140 characters left". We count that limit in the encoding's units, so
it never promises more than one SMS can carry:

* long messages **not allowed** (the default): the message must fit
  ``min(max_single, single-SMS limit)`` units, i.e. 140 GSM septets (an ``€``
  counts 2) or 70 UCS-2 units. It is always one SMS.
* long messages **allowed** (tenant setting): the 140 cap no longer applies; the
  text is one SMS up to 160/70 units and otherwise split into 153/67-unit parts
  exactly as a handset would, up to :data:`MAX_PARTS` parts.

National language shift tables (Turkish, Portuguese, ...) are not used: not every
gateway and handset supports them, so such text goes as UCS-2. Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "GSM_BASIC",
    "GSM_EXTENSION",
    "MAX_PARTS",
    "MULTI_PART_LIMIT",
    "SINGLE_LIMIT",
    "Encoding",
    "Measure",
    "TextReason",
    "cost",
    "encoding_for",
    "measure",
    "split",
    "units",
]


class Encoding(StrEnum):
    """How the text goes over the air; the value is what the API and gateways see."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


#: The GSM 03.38 default alphabet, in code order 0x00..0x7F. 0x1B (the escape to the
#: extension table) is left out: it is not a character a user can type. 0x09 is the
#: capital Ç, per 3GPP TS 23.038; the small ç is not in the alphabet.
GSM_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ"
    "ÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)

#: The extension table: each costs an escape septet plus its own, so 2 septets.
GSM_EXTENSION: frozenset[str] = frozenset("\f^{}\\[~]|€")

#: Units in a message sent as one SMS.
SINGLE_LIMIT: dict[Encoding, int] = {Encoding.GSM7: 160, Encoding.UCS2: 70}
#: Units in each part of a concatenated SMS (the rest of the 140 octets is the header).
MULTI_PART_LIMIT: dict[Encoding, int] = {Encoding.GSM7: 153, Encoding.UCS2: 67}
#: The concatenation header counts parts in one octet.
MAX_PARTS = 255


class TextReason(StrEnum):
    """Why a text may not be sent; stable codes for the API and the composer."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    TOO_MANY_PARTS = "too_many_parts"


@dataclass(frozen=True, slots=True)
class Measure:
    """What the composer shows and what sending costs, for one text.

    ``units`` are septets (GSM) or UTF-16 units (UCS-2). ``parts`` is the number
    of SMS a handset would send for this text (0 for an empty text); it is what
    one recipient costs when ``allowed``. ``remaining`` counts units left in the
    current part against ``part_limit`` and is negative when the text is over the
    limit of a message that may not be long. ``non_gsm`` lists, in order of first
    appearance, the characters that forced UCS-2, so the user can replace them.
    """

    encoding: Encoding
    units: int
    parts: int
    remaining: int
    part_limit: int
    allowed: bool
    reason: TextReason | None = None
    message: str = ""
    non_gsm: tuple[str, ...] = ()


def encoding_for(text: str) -> Encoding:
    """GSM 7-bit if every character is in the default alphabet or its extension, else UCS-2."""
    gsm = GSM_BASIC | GSM_EXTENSION
    return Encoding.GSM7 if all(ch in gsm for ch in text) else Encoding.UCS2


def _char_units(ch: str, encoding: Encoding) -> int:
    if encoding is Encoding.GSM7:
        return 2 if ch in GSM_EXTENSION else 1
    # Python strings hold code points; above U+FFFF UTF-16 needs a surrogate pair.
    return 2 if ord(ch) > 0xFFFF else 1


def units(text: str, encoding: Encoding | None = None) -> int:
    """Units ``text`` takes in ``encoding`` (default: the one :func:`encoding_for` picks).

    Raises ``ValueError`` when asked for GSM 7-bit and ``text`` is not representable.
    """
    enc = encoding_for(text) if encoding is None else encoding
    if enc is Encoding.GSM7 and encoding_for(text) is not Encoding.GSM7:
        raise ValueError("text is not representable in the GSM 7-bit alphabet")
    return sum(_char_units(ch, enc) for ch in text)


def split(text: str) -> list[str]:
    """Split ``text`` into the parts a handset would send; ``[]`` for an empty text.

    One part if it fits a single SMS, else greedy parts of at most 153 septets or
    67 UTF-16 units, never cutting an escape sequence or a surrogate pair (each is
    one code point here, so cutting only between code points guarantees that).
    ``"".join(split(t)) == t`` always. A gateway that builds its own concatenation
    headers (SMPP) sends these parts.
    """
    if not text:
        return []
    enc = encoding_for(text)
    if units(text, enc) <= SINGLE_LIMIT[enc]:
        return [text]
    limit = MULTI_PART_LIMIT[enc]
    parts: list[str] = []
    start, used = 0, 0
    for i, ch in enumerate(text):
        u = _char_units(ch, enc)
        if used + u > limit:
            parts.append(text[start:i])
            start, used = i, 0
        used += u
    parts.append(text[start:])
    return parts


def measure(text: str, *, allow_long: bool, max_single: int = 140, max_parts: int = MAX_PARTS) -> Measure:
    """Measure ``text`` for the composer and for charging; never raises for user text.

    ``allow_long`` is the tenant's "allow long SMS" setting; ``max_single`` the
    per-message cap when long messages are not allowed (the seed's 140, capped by
    the encoding's single-SMS limit); ``max_parts`` caps long messages. The caller
    must refuse to send unless ``allowed`` and charge ``cost(parts, recipients)``.
    """
    if max_single < 1 or max_parts < 1:
        raise ValueError("max_single and max_parts must be at least 1")
    enc = encoding_for(text)
    used = units(text, enc)
    non_gsm = tuple(dict.fromkeys(ch for ch in text if ch not in GSM_BASIC and ch not in GSM_EXTENSION))
    pieces = split(text)
    parts = len(pieces)

    if not allow_long:
        limit = min(max_single, SINGLE_LIMIT[enc])
        remaining = limit - used
        reason, message = None, ""
        if remaining < 0:
            reason = TextReason.TOO_LONG
            message = (
                f"The message is {-remaining} {_unit_word(-remaining)} too long: one SMS holds at most "
                f"{limit} {_unit_word(limit)}{_hint(enc)}, and this organisation does not allow long messages."
            )
        return _finish(enc, used, parts, remaining, limit, reason, message, non_gsm, text)

    if parts <= 1:
        limit = SINGLE_LIMIT[enc]
        remaining = limit - used
    else:
        limit = MULTI_PART_LIMIT[enc]
        remaining = limit - units(pieces[-1], enc)
    reason, message = None, ""
    if parts > max_parts:
        reason = TextReason.TOO_MANY_PARTS
        message = (
            f"The message needs {parts} SMS parts; at most {max_parts} can be combined into one message."
        )
    return _finish(enc, used, parts, remaining, limit, reason, message, non_gsm, text)


def cost(parts: int, recipients: int) -> int:
    """Credits a message costs: one per part per recipient (SM-17). Both must be >= 0."""
    if isinstance(parts, bool) or isinstance(recipients, bool):
        raise TypeError("parts and recipients must be integers")
    if parts < 0 or recipients < 0:
        raise ValueError("parts and recipients cannot be negative")
    return parts * recipients


def _finish(
    enc: Encoding,
    used: int,
    parts: int,
    remaining: int,
    limit: int,
    reason: TextReason | None,
    message: str,
    non_gsm: tuple[str, ...],
    text: str,
) -> Measure:
    # A blank message is refused before any length rule: there is nothing to send.
    if not text.strip():
        reason, message = TextReason.EMPTY, "The message is empty."
    return Measure(
        encoding=enc,
        units=used,
        parts=parts,
        remaining=remaining,
        part_limit=limit,
        allowed=reason is None,
        reason=reason,
        message=message,
        non_gsm=non_gsm,
    )


def _unit_word(n: int) -> str:
    return "character" if n == 1 else "characters"


def _hint(enc: Encoding) -> str:
    if enc is Encoding.UCS2:
        return " because it contains characters outside the GSM alphabet (emoji count as two)"
    return " (€, [, ], {, }, ^, ~, | and \\ count as two)"
