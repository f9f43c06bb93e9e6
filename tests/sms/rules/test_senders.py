"""Senders (SM-2): the tenant's default sender name or number, or the user's own mobile."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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

ALPHA, NUMERIC = SenderKind.ALPHANUMERIC, SenderKind.NUMERIC

VALID = [
    ("OTYS", ALPHA, "OTYS"),
    ("Otys2024", ALPHA, "Otys2024"),
    ("A", ALPHA, "A"),
    ("ABCDEFGHIJK", ALPHA, "ABCDEFGHIJK"),  # 11
    ("1A2B3C4D5E6", ALPHA, "1A2B3C4D5E6"),  # 11, digits allowed with letters
    ("  OTYS \n", ALPHA, "OTYS"),  # surrounding whitespace from a paste
    ("31612345678", NUMERIC, "31612345678"),
    ("12345678901234", NUMERIC, "12345678901234"),  # 14
    ("1234", NUMERIC, "1234"),  # a short code
]


@pytest.mark.parametrize(("raw", "kind", "value"), VALID)
def test_valid_default_senders(raw: str, kind: SenderKind, value: str) -> None:
    sender = validate_sender(raw)
    assert sender == Sender(kind, value)
    assert sender.replies is (kind is NUMERIC)


INVALID = [
    ("", SenderReason.EMPTY),
    ("   ", SenderReason.EMPTY),
    ("OTYS Recruiting", SenderReason.INVALID_CHARACTERS),  # the seed's own example
    ("AB&C", SenderReason.INVALID_CHARACTERS),  # the seed's "&-teken"
    ("OTYS-NL", SenderReason.INVALID_CHARACTERS),
    ("O.T.Y.S", SenderReason.INVALID_CHARACTERS),
    ("ABC_12", SenderReason.INVALID_CHARACTERS),
    ("Bäcker", SenderReason.INVALID_CHARACTERS),
    ("ＯＴＹＳ", SenderReason.INVALID_CHARACTERS),  # full-width letters are not A-Z
    ("+31612345678", SenderReason.INVALID_CHARACTERS),
    ("06-12345678", SenderReason.INVALID_CHARACTERS),
    ("ABCDEFGHIJKL", SenderReason.TOO_LONG),  # 12
    ("OTYS12345678", SenderReason.TOO_LONG),  # 12 with digits: alphanumeric
    ("OTYSRecruiting", SenderReason.TOO_LONG),
    ("123456789012345", SenderReason.TOO_LONG),  # 15 digits
]


@pytest.mark.parametrize(("raw", "reason"), INVALID)
def test_invalid_default_senders_refused_with_reason(raw: str, reason: SenderReason) -> None:
    with pytest.raises(InvalidSender) as err:
        validate_sender(raw)
    assert err.value.reason is reason
    assert isinstance(err.value, SenderError) and isinstance(err.value, ValueError)
    assert str(err.value) == err.value.message
    assert err.value.message.rstrip(".").strip()


def test_error_messages_say_what_is_wrong_and_what_is_allowed() -> None:
    with pytest.raises(InvalidSender, match="contains a space; only letters A-Z and digits 0-9"):
        validate_sender("OTYS Recruiting")
    with pytest.raises(InvalidSender, match="contains a space and '&'"):
        validate_sender("A & B")
    with pytest.raises(InvalidSender, match="at most 11"):
        validate_sender("OTYSRecruiting")
    with pytest.raises(InvalidSender, match="at most 14"):
        validate_sender("123456789012345")
    with pytest.raises(InvalidSender, match="without '\\+', e.g. 31612345678"):
        validate_sender("+31612345678")


OWN = [
    ("06-12345678", "NL", "31612345678"),
    ("+31 6 12345678", "NL", "31612345678"),
    ("0031612345678", "BE", "31612345678"),
    ("+32 470 12 34 56", "NL", "32470123456"),
    ("0470 12 34 56", "BE", "32470123456"),
    ("+49 151 23456789", "NL", "4915123456789"),
]


@pytest.mark.parametrize(("mobile", "region", "value"), OWN)
def test_own_mobile_is_sent_as_digits_without_plus(mobile: str, region: str, value: str) -> None:
    sender = own_number_sender(mobile, default_region=region)
    assert sender == Sender(NUMERIC, value) and sender.replies
    # what it produces is itself a valid default sender
    assert validate_sender(sender.value) == sender


@pytest.mark.parametrize(
    ("mobile", "reason", "text"),
    [
        (None, SenderReason.NO_OWN_NUMBER, "no mobile number set"),
        ("", SenderReason.NO_OWN_NUMBER, "no mobile number set"),
        ("  ", SenderReason.NO_OWN_NUMBER, "no mobile number set"),
        ("020-1234567", SenderReason.OWN_NUMBER_INVALID, "not a mobile number"),
        ("+1 201 555 0123", SenderReason.OWN_NUMBER_INVALID, "not among the countries"),
        ("call me", SenderReason.OWN_NUMBER_INVALID, "not a phone number"),
        ("+43 664 1234567890", SenderReason.TOO_LONG, "at most 14"),  # valid, 15 digits
    ],
)
def test_own_mobile_refused_with_reason(mobile: str | None, reason: SenderReason, text: str) -> None:
    with pytest.raises(InvalidSender) as err:
        own_number_sender(mobile)
    assert err.value.reason is reason
    assert text in str(err.value)


def test_resolve_sender_picks_the_default_or_the_own_number() -> None:
    assert resolve_sender(from_own_number=False, default_sender="OTYS", own_mobile=None) == Sender(
        ALPHA, "OTYS"
    )
    assert resolve_sender(from_own_number=True, default_sender="OTYS", own_mobile="06-12345678") == Sender(
        NUMERIC, "31612345678"
    )
    with pytest.raises(InvalidSender) as err:
        resolve_sender(from_own_number=True, default_sender="OTYS", own_mobile=None)
    assert err.value.reason is SenderReason.NO_OWN_NUMBER
    with pytest.raises(InvalidSender) as err:
        resolve_sender(from_own_number=False, default_sender=None, own_mobile="06-12345678")
    assert err.value.reason is SenderReason.NO_DEFAULT_SENDER
    with pytest.raises(InvalidSender) as err:
        resolve_sender(from_own_number=False, default_sender="OTYS Recruiting", own_mobile=None)
    assert err.value.reason is SenderReason.INVALID_CHARACTERS


def test_own_number_respects_the_tenants_countries() -> None:
    sender = own_number_sender("+1 201 555 0123", allowed_regions=frozenset({"US"}))
    assert sender.value == "12015550123"


@given(st.text(max_size=30))
def test_validate_sender_accepts_exactly_the_documented_forms(raw: str) -> None:
    value = raw.strip()
    ascii_alnum = value.isascii() and value.isalnum()
    expected_ok = bool(value) and ascii_alnum and (len(value) <= 14 if value.isdigit() else len(value) <= 11)
    try:
        sender = validate_sender(raw)
    except InvalidSender:
        assert not expected_ok
    else:
        assert expected_ok and sender.value == value
