"""The SMS service's pure core: numbers, text measurement and cost, senders.

Socket-free and I/O-free library code shared by the SMS service, the API and the
composer (issue 4, SM-2, SM-3, SM-4, SM-15, SM-17):

* :mod:`sms.rules.numbers`: typed numbers to E.164, mobile and allowed-country checks,
  with a reason for every refusal (:func:`normalise` raises, :func:`check` explains).
* :mod:`sms.rules.segments`: GSM 03.38 / UCS-2 encoding, characters left, parts as a
  handset counts them, the seed's 140-character rule, and :func:`cost` in credits.
* :mod:`sms.rules.senders`: the tenant's default sender or the user's own mobile number.

Callers import from here or from the modules; errors are ``ValueError`` subclasses
with a stable ``reason`` code and an English message fit to show to the user.
"""

from sms.rules.numbers import EEA, EU, EUROPE, InvalidNumber, NumberError, Reason, Verdict, check, normalise
from sms.rules.segments import Encoding, Measure, TextReason, cost, encoding_for, measure, split, units
from sms.rules.senders import (
    InvalidSender,
    Sender,
    SenderError,
    SenderKind,
    SenderReason,
    own_number_sender,
    resolve_sender,
    validate_sender,
)

__all__ = [
    "EEA",
    "EU",
    "EUROPE",
    "Encoding",
    "InvalidNumber",
    "InvalidSender",
    "Measure",
    "NumberError",
    "Reason",
    "Sender",
    "SenderError",
    "SenderKind",
    "SenderReason",
    "TextReason",
    "Verdict",
    "check",
    "cost",
    "encoding_for",
    "measure",
    "normalise",
    "own_number_sender",
    "resolve_sender",
    "split",
    "units",
    "validate_sender",
]
