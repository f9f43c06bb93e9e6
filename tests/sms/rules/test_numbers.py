"""Number normalisation (SM-4, SM-15): tables of real-world input plus properties."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sms.rules.numbers import EEA, EU, EUROPE, InvalidNumber, NumberError, Reason, check, normalise

# (typed, default region, E.164): local forms as the seed shows them, and the
# international forms of mobiles across Europe.
VALID = [
    # Dutch, every way the seed and users type them
    ("06-12345678", "NL", "+31612345678"),
    ("0612345678", "NL", "+31612345678"),
    ("0612 345 678", "NL", "+31612345678"),
    ("(06) 12345678", "NL", "+31612345678"),
    ("06.12.34.56.78", "NL", "+31612345678"),
    ("  06 - 1234 5678  ", "NL", "+31612345678"),
    ("+31612345678", "NL", "+31612345678"),
    ("+31 6 12345678", "NL", "+31612345678"),
    ("+31 (0)6-1234 5678", "NL", "+31612345678"),
    ("0031612345678", "NL", "+31612345678"),
    ("0031 6 1234 5678", "NL", "+31612345678"),
    ("06\u201312345678", "NL", "+31612345678"),  # en dash from a word processor
    ("06\u00a012345678", "NL", "+31612345678"),  # non-breaking space from a web page
    ("+3197012345678", "NL", "+3197012345678"),  # 097 mobile range
    # The same local digits mean another number in another default region
    ("06 12 34 56 78", "FR", "+33612345678"),
    # Other European countries, international and local
    ("+32 470 12 34 56", "NL", "+32470123456"),
    ("0032 470 12 34 56", "NL", "+32470123456"),
    ("0470 12 34 56", "BE", "+32470123456"),
    ("+49 151 23456789", "NL", "+4915123456789"),
    ("0151/23456789", "DE", "+4915123456789"),
    ("+33 6 12 34 56 78", "NL", "+33612345678"),
    ("+44 7400 123456", "NL", "+447400123456"),
    ("07400 123456", "GB", "+447400123456"),
    ("+44 7781 123456", "NL", "+447781123456"),  # Guernsey, shares +44
    ("+34 612 34 56 78", "NL", "+34612345678"),
    ("+48 512 345 678", "NL", "+48512345678"),
    ("+39 312 345 6789", "NL", "+393123456789"),
    ("+43 664 123456", "NL", "+43664123456"),
    ("+353 85 012 3456", "NL", "+353850123456"),
    ("+45 34 41 23 45", "NL", "+4534412345"),  # Denmark: fixed-line-or-mobile ranges
    ("+41 78 123 45 67", "NL", "+41781234567"),
    ("+47 406 12 345", "NL", "+4740612345"),
    ("+351 912 345 678", "NL", "+351912345678"),
    ("+46 70 123 45 67", "NL", "+46701234567"),
    ("+380 50 123 4567", "NL", "+380501234567"),
]


@pytest.mark.parametrize(("raw", "region", "e164"), VALID)
def test_valid_numbers_become_e164(raw: str, region: str, e164: str) -> None:
    assert normalise(raw, default_region=region) == e164
    verdict = check(raw, default_region=region)
    assert verdict.ok and verdict and verdict.e164 == e164
    assert verdict.reason is None and verdict.region in EUROPE


LANDLINES = [
    ("020-1234567", "NL"),  # Amsterdam
    ("+31 20 123 4567", "NL"),
    ("0800-1234567", "NL"),  # toll free
    ("+32 2 234 56 78", "NL"),  # Brussels
    ("+49 30 123456", "NL"),  # Berlin
    ("+33 1 23 45 67 89", "NL"),  # Paris
    ("+44 20 7946 0000", "NL"),  # London
    ("+34 912 345 678", "NL"),  # Madrid
    ("+48 12 345 67 89", "NL"),  # Kraków
]


@pytest.mark.parametrize(("raw", "region"), LANDLINES)
def test_landlines_and_service_numbers_refused(raw: str, region: str) -> None:
    with pytest.raises(InvalidNumber) as err:
        normalise(raw, default_region=region)
    assert err.value.reason is Reason.NOT_MOBILE
    assert "not a mobile number" in str(err.value)


NON_EUROPEAN = [
    ("+1 201 555 0123", "US"),
    ("+7 912 345 67 89", "RU"),
    ("+90 501 234 56 78", "TR"),
    ("+61 412 345 678", "AU"),
    ("0061412345678", "AU"),
    ("+86 131 2345 6789", "CN"),
]


@pytest.mark.parametrize(("raw", "country"), NON_EUROPEAN)
def test_non_european_refused_by_default(raw: str, country: str) -> None:
    with pytest.raises(InvalidNumber) as err:
        normalise(raw)
    assert err.value.reason is Reason.COUNTRY_NOT_ALLOWED
    assert country in str(err.value)
    # ... and accepted when the tenant allows that country
    assert normalise(raw, allowed_regions=EUROPE | {country}).startswith("+")


def test_allowed_regions_can_be_narrower_than_europe() -> None:
    only_nl = frozenset({"NL"})
    assert normalise("06-12345678", allowed_regions=only_nl) == "+31612345678"
    verdict = check("+32 470 12 34 56", allowed_regions=only_nl)
    assert not verdict and verdict.reason is Reason.COUNTRY_NOT_ALLOWED and "BE" in verdict.message


def test_local_number_of_a_disallowed_default_region_is_refused_for_the_country() -> None:
    assert check("0612345678", default_region="NL", allowed_regions=frozenset({"BE"})).reason is (
        Reason.COUNTRY_NOT_ALLOWED
    )


GARBAGE = [
    ("", Reason.EMPTY),
    ("   ", Reason.EMPTY),
    ("\t\n", Reason.EMPTY),
    ("hello", Reason.NOT_A_NUMBER),
    ("06-1234ABCD", Reason.NOT_A_NUMBER),  # no keypad letters
    ("0800-FLOWERS", Reason.NOT_A_NUMBER),
    ("06-12345678 ext. 12", Reason.NOT_A_NUMBER),
    ("+", Reason.NOT_A_NUMBER),
    ("++31612345678", Reason.NOT_A_NUMBER),
    ("06+12345678", Reason.NOT_A_NUMBER),
    ("jan@example.com", Reason.NOT_A_NUMBER),
    ("1" * 100, Reason.NOT_A_NUMBER),  # a pasted paragraph, not parsed at all
    ("06-1234", Reason.INVALID),
    ("0612345", Reason.INVALID),
    ("061234567890", Reason.INVALID),
    ("+31 6 1234", Reason.INVALID),
    ("+999 123 456 789", Reason.INVALID),  # no such country code
    ("00999123456789", Reason.INVALID),
    ("+44 7700 900123", Reason.INVALID),  # Ofcom's drama range: never assigned
]


@pytest.mark.parametrize(("raw", "reason"), GARBAGE)
def test_garbage_refused_with_a_reason(raw: str, reason: Reason) -> None:
    with pytest.raises(InvalidNumber) as err:
        normalise(raw)
    exc = err.value
    assert exc.reason is reason
    assert isinstance(exc, NumberError) and isinstance(exc, ValueError)
    assert exc.raw == raw
    assert str(exc) == exc.message and exc.message.endswith(".")
    verdict = check(raw)
    assert not verdict and verdict.reason is reason and verdict.message == exc.message
    assert verdict.e164 is None


def test_messages_name_the_input_so_the_sender_sees_which_one() -> None:
    assert "'020-1234567'" in check("020-1234567").message
    assert "landline" in check("020-1234567").message


def test_unknown_default_region_is_a_programming_error() -> None:
    with pytest.raises(ValueError) as err:
        normalise("0612345678", default_region="XX")
    assert not isinstance(err.value, InvalidNumber)


def test_region_codes_are_case_insensitive_for_the_default() -> None:
    assert normalise("0612345678", default_region="nl") == "+31612345678"


def test_europe_is_documented_set() -> None:
    assert len(EU) == 27
    assert EU < EEA < EUROPE
    assert {"GB", "CH", "NO", "IS", "LI", "GG", "JE", "IM", "UA", "RS"} <= EUROPE
    assert not {"RU", "BY", "TR", "US", "GL", "RE"} & EUROPE
    assert EUROPE <= set(phonenumbers.SUPPORTED_REGIONS)


# ---- properties -----------------------------------------------------------------

_regions = st.sampled_from(sorted(EUROPE))
_separators = st.sampled_from([" ", "-", ".", "(", ")", "", "  ", "/"])


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """Digits as a user might type them: optional prefix, random digits and separators."""
    region = draw(_regions)
    prefix = draw(st.sampled_from(["", "0", "00", "+", "+31", "0031", "+44", "+49"]))
    digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=14))
    out = prefix
    for d in digits:
        out += d + draw(_separators)
    return out, region


@settings(max_examples=300, deadline=None)
@given(typed_numbers())
def test_normalise_is_idempotent_on_its_own_output(case: tuple[str, str]) -> None:
    raw, region = case
    verdict = check(raw, default_region=region)
    if verdict.ok:
        assert verdict.e164 is not None
        assert normalise(verdict.e164) == verdict.e164
        # E.164 does not depend on the default region any more
        assert normalise(verdict.e164, default_region="GB") == verdict.e164


@settings(max_examples=200, deadline=None)
@given(_regions, st.data())
def test_example_mobiles_survive_any_formatting(region: str, data: st.DataObject) -> None:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert normalise(e164) == e164
    # Reformat the international form with separators and the 00 prefix
    body = e164[1:]
    pieces = [data.draw(_separators) + ch for ch in body]
    prefix = data.draw(st.sampled_from(["+", "00", "+ ", "00 "]))
    assert normalise(prefix + "".join(pieces)) == e164


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_check_never_raises_on_any_text(raw: str) -> None:
    verdict = check(raw)
    assert verdict.ok == (verdict.reason is None)
    assert verdict.ok or verdict.message
