"""Text encoding, parts and cost (SM-3, SM-17): tables of exact counts plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sms.rules.segments import (
    GSM_BASIC,
    GSM_EXTENSION,
    MAX_PARTS,
    Encoding,
    TextReason,
    cost,
    encoding_for,
    measure,
    split,
    units,
)

GSM, UCS = Encoding.GSM7, Encoding.UCS2
EXTENSIONS = "€[]{}^~|\\\f"


def test_alphabet_sizes() -> None:
    # 128 code points minus the escape; 10 extension characters (incl. form feed).
    assert len(GSM_BASIC) == 127
    assert set(EXTENSIONS) == GSM_EXTENSION
    assert not GSM_BASIC & GSM_EXTENSION


ENCODINGS = [
    ("Hoi Jan, kun je morgen werken? Bel ons op 012-3456789", GSM, 53),
    ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà", GSM, 62),  # 1 each
    ("line\r\nbreak", GSM, 11),
    ("€", GSM, 2),
    ("Prijs: €10 [incl] {btw} ^~|\\", GSM, 28 + 9),  # 9 extension characters
    ("ç", UCS, 1),  # only the capital Ç is in the GSM alphabet
    ("Łódź", UCS, 4),
    ("Grüße aus Kraków", UCS, 16),  # ó is not GSM
    ("á", UCS, 1),
    ("tab\there", UCS, 8),
    ("😀", UCS, 2),  # outside the BMP: a surrogate pair
    ("a€", GSM, 3),
    ("a€😀", UCS, 4),  # in UCS-2 the € is one unit like any BMP character
    ("👍🏽", UCS, 4),  # emoji + skin tone: two code points, two pairs
    ("漢字", UCS, 2),
]


@pytest.mark.parametrize(("text", "encoding", "n"), ENCODINGS)
def test_encoding_and_units(text: str, encoding: Encoding, n: int) -> None:
    assert encoding_for(text) is encoding
    assert units(text) == n
    assert measure(text, allow_long=True).units == n


def test_units_refuses_gsm_for_non_gsm_text() -> None:
    with pytest.raises(ValueError):
        units("ł", Encoding.GSM7)
    assert units("€", Encoding.UCS2) == 1


# (text, allow_long, encoding, parts, remaining, part_limit, allowed)
LENGTHS = [
    # GSM, long messages not allowed: at most 140 septets, one SMS
    ("a" * 1, False, GSM, 1, 139, 140, True),
    ("a" * 140, False, GSM, 1, 0, 140, True),
    ("a" * 141, False, GSM, 1, -1, 140, False),
    ("a" * 160, False, GSM, 1, -20, 140, False),
    ("a" * 161, False, GSM, 2, -21, 140, False),  # what a handset would need, shown but refused
    ("a" * 138 + "€", False, GSM, 1, 0, 140, True),
    ("a" * 139 + "€", False, GSM, 1, -1, 140, False),
    ("€" * 70, False, GSM, 1, 0, 140, True),
    # GSM, long allowed: handset rules
    ("a" * 140, True, GSM, 1, 20, 160, True),
    ("a" * 160, True, GSM, 1, 0, 160, True),
    ("a" * 161, True, GSM, 2, 145, 153, True),
    ("a" * 306, True, GSM, 2, 0, 153, True),
    ("a" * 307, True, GSM, 3, 152, 153, True),
    ("a" * 459, True, GSM, 3, 0, 153, True),
    ("a" * 460, True, GSM, 4, 152, 153, True),
    ("a" * 158 + "€", True, GSM, 1, 0, 160, True),
    ("a" * 159 + "€", True, GSM, 2, 145, 153, True),  # 161 septets
    ("€" * 80, True, GSM, 1, 0, 160, True),
    ("€" * 81, True, GSM, 2, 143, 153, True),  # 76 € (152 septets) fit the first part, then 5
    # UCS-2, not long: the 140 cap meets the 70-unit SMS
    ("ł", False, UCS, 1, 69, 70, True),
    ("ł" * 70, False, UCS, 1, 0, 70, True),
    ("ł" * 71, False, UCS, 2, -1, 70, False),
    ("a" * 68 + "😀", False, UCS, 1, 0, 70, True),
    ("a" * 69 + "😀", False, UCS, 2, -1, 70, False),
    ("😀" * 35, False, UCS, 1, 0, 70, True),
    # UCS-2, long
    ("ł" * 70, True, UCS, 1, 0, 70, True),
    ("ł" * 71, True, UCS, 2, 63, 67, True),
    ("ł" * 134, True, UCS, 2, 0, 67, True),
    ("ł" * 135, True, UCS, 3, 66, 67, True),
    ("😀" * 36, True, UCS, 2, 61, 67, True),  # 33 pairs (66 units) per part, then 3
    ("😀" * 66, True, UCS, 2, 1, 67, True),
    ("😀" * 67, True, UCS, 3, 65, 67, True),
    # mixed: one non-GSM character turns a 100-character GSM text into 2 UCS-2 parts
    ("a" * 99 + "ł", True, UCS, 2, 34, 67, True),
    ("a" * 99 + "ł", False, UCS, 2, -30, 70, False),
]


def _case_id(case: tuple[object, ...]) -> str:
    text, long = str(case[0]), case[1]
    return f"{text[:3]!r}x{len(text)}-{'long' if long else 'single'}"


@pytest.mark.parametrize(
    ("text", "long", "encoding", "parts", "remaining", "limit", "allowed"),
    LENGTHS,
    ids=[_case_id(c) for c in LENGTHS],
)
def test_lengths_parts_and_characters_left(
    text: str, long: bool, encoding: Encoding, parts: int, remaining: int, limit: int, allowed: bool
) -> None:
    m = measure(text, allow_long=long)
    assert (m.encoding, m.parts, m.remaining, m.part_limit, m.allowed) == (
        encoding,
        parts,
        remaining,
        limit,
        allowed,
    )
    assert m.allowed == (m.reason is None)
    if not allowed:
        assert m.reason is TextReason.TOO_LONG and "too long" in m.message


@pytest.mark.parametrize("ext", list(EXTENSIONS))
def test_extension_character_is_never_split_from_its_escape(ext: str) -> None:
    # 152 septets then a 2-septet character: the part boundary falls between escape
    # and character, so the character moves whole to the second part.
    text = "a" * 152 + ext + "b" * 10
    assert units(text) == 164
    assert split(text) == ["a" * 152, ext + "b" * 10]
    m = measure(text, allow_long=True)
    assert (m.parts, m.remaining) == (2, 153 - 12)
    # one septet earlier it fits exactly
    text = "a" * 151 + ext + "b" * 10
    assert split(text) == ["a" * 151 + ext, "b" * 10]


@pytest.mark.parametrize("ext", list(EXTENSIONS))
def test_extension_character_at_the_140_and_160_limits(ext: str) -> None:
    assert measure("a" * 138 + ext, allow_long=False).allowed
    assert not measure("a" * 139 + ext, allow_long=False).allowed
    assert measure("a" * 158 + ext, allow_long=True).parts == 1
    assert measure("a" * 159 + ext, allow_long=True).parts == 2


def test_surrogate_pair_is_never_split() -> None:
    text = "a" * 66 + "😀" + "b" * 10
    assert split(text) == ["a" * 66, "😀" + "b" * 10]
    assert measure(text, allow_long=True).remaining == 67 - 12
    text = "a" * 65 + "😀" + "b" * 10
    assert split(text) == ["a" * 65 + "😀", "b" * 10]


def test_empty_and_blank_messages_are_refused() -> None:
    m = measure("", allow_long=False)
    assert (m.encoding, m.units, m.parts, m.remaining, m.allowed, m.reason) == (
        GSM,
        0,
        0,
        140,
        False,
        TextReason.EMPTY,
    )
    assert split("") == []
    m = measure("  \n", allow_long=True)
    assert m.reason is TextReason.EMPTY and not m.allowed and m.parts == 1


def test_non_gsm_characters_are_listed_once_in_order() -> None:
    assert measure("Łódź 😀 ó Ł", allow_long=True).non_gsm == ("Ł", "ó", "ź", "😀")
    assert measure("plain € text", allow_long=True).non_gsm == ()


def test_max_single_and_max_parts() -> None:
    assert measure("a" * 160, allow_long=False, max_single=160).allowed
    assert measure("a" * 160, allow_long=False, max_single=500).part_limit == 160  # capped by the SMS
    assert not measure("a" * 11, allow_long=False, max_single=10).allowed
    assert measure("a" * 153 * MAX_PARTS, allow_long=True).allowed
    m = measure("a" * (153 * MAX_PARTS + 1), allow_long=True)
    assert not m.allowed and m.reason is TextReason.TOO_MANY_PARTS and m.parts == MAX_PARTS + 1
    m = measure("a" * 153 * 4 + "b", allow_long=True, max_parts=4)
    assert m.reason is TextReason.TOO_MANY_PARTS
    with pytest.raises(ValueError):
        measure("a", allow_long=False, max_single=0)


def test_messages_explain_what_to_do() -> None:
    assert "€" in measure("€" * 71, allow_long=False).message
    assert "outside the GSM alphabet" in measure("ł" * 71, allow_long=False).message
    assert "does not allow long messages" in measure("a" * 141, allow_long=False).message


@pytest.mark.parametrize(
    ("parts", "recipients", "credits"), [(1, 1, 1), (2, 150, 300), (3, 0, 0), (0, 10, 0), (255, 1000, 255000)]
)
def test_cost_is_parts_times_recipients(parts: int, recipients: int, credits: int) -> None:
    assert cost(parts, recipients) == credits


def test_cost_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        cost(-1, 5)
    with pytest.raises(ValueError):
        cost(1, -5)
    with pytest.raises(TypeError):
        cost(True, 5)


# ---- properties -----------------------------------------------------------------

_gsm_chars = st.sampled_from(sorted(GSM_BASIC | GSM_EXTENSION))
_any_chars = st.one_of(_gsm_chars, st.sampled_from("łóźçá€😀👍漢"), st.characters(codec="utf-8"))


def _runs(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # Runs of repeated characters reach multi-part lengths (and put extension
    # characters and emoji at part boundaries) far more often than random text.
    return st.lists(st.tuples(chars, st.integers(1, 90)), max_size=12).map(
        lambda runs: "".join(ch * n for ch, n in runs)
    )


_gsm_texts = st.one_of(st.text(alphabet=_gsm_chars, max_size=700), _runs(_gsm_chars))
_texts = st.one_of(st.text(alphabet=_any_chars, max_size=500), _runs(_any_chars))

ESC = 0x1B


def _septets(text: str) -> list[int]:
    """The septet stream a GSM encoder writes: the escape, then the code, for extensions."""
    out: list[int] = []
    for ch in text:
        if ch in GSM_EXTENSION:
            out += [ESC, ord(ch)]
        else:
            out.append(ord(ch))
    return out


def _brute_force_gsm_parts(text: str) -> list[list[int]]:
    """Cut the septet stream every 153, stepping back one when the cut would follow an escape."""
    septets = _septets(text)
    if not septets:
        return []
    if len(septets) <= 160:
        return [septets]
    parts, start = [], 0
    while start < len(septets):
        end = min(start + 153, len(septets))
        # An escape is the first of a pair; a cut right after one would orphan it.
        # Count escapes from the part start to know whether septets[end-1] opens a pair.
        i, last_opens = start, False
        while i < end:
            if septets[i] == ESC:
                last_opens = i == end - 1
                i += 2
            else:
                last_opens = False
                i += 1
        if end < len(septets) and last_opens:
            end -= 1
        parts.append(septets[start:end])
        start = end
    return parts


def _brute_force_ucs2_parts(text: str) -> list[bytes]:
    data = text.encode("utf-16-be")
    code_units = [data[i : i + 2] for i in range(0, len(data), 2)]
    if not code_units:
        return []
    if len(code_units) <= 70:
        return [b"".join(code_units)]
    parts, start = [], 0
    while start < len(code_units):
        end = min(start + 67, len(code_units))
        if end < len(code_units) and 0xD8 <= code_units[end - 1][0] <= 0xDB:  # high surrogate
            end -= 1
        parts.append(b"".join(code_units[start:end]))
        start = end
    return parts


@settings(max_examples=300, deadline=None)
@given(_gsm_texts)
def test_gsm_parts_match_brute_force_splitting(text: str) -> None:
    expected = _brute_force_gsm_parts(text)
    got = split(text)
    assert [_septets(p) for p in got] == expected
    assert measure(text, allow_long=True).parts == len(expected)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_ucs2_parts_match_brute_force_splitting(text: str) -> None:
    if encoding_for(text) is not Encoding.UCS2:
        return
    expected = _brute_force_ucs2_parts(text)
    assert [p.encode("utf-16-be") for p in split(text)] == expected
    assert measure(text, allow_long=True).parts == len(expected)


@settings(max_examples=200, deadline=None)
@given(_texts, st.lists(_any_chars, min_size=1, max_size=40), st.booleans())
def test_parts_never_decrease_as_text_grows(text: str, more: list[str], long: bool) -> None:
    previous = measure(text, allow_long=long).parts
    for ch in more:
        text += ch
        now = measure(text, allow_long=long).parts
        assert now >= previous
        previous = now


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_split_is_lossless_and_within_limits(text: str) -> None:
    parts = split(text)
    assert "".join(parts) == text
    m = measure(text, allow_long=True)
    assert m.parts == len(parts)
    if len(parts) > 1:
        assert all(units(p, m.encoding) <= m.part_limit for p in parts)
        assert m.part_limit - m.remaining == units(parts[-1], m.encoding)
        assert 0 <= m.remaining < m.part_limit
    assert sum(units(p, m.encoding) for p in parts) == m.units


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_short_messages_fit_when_long_is_off(text: str) -> None:
    m = measure(text, allow_long=False)
    assert m.remaining == m.part_limit - m.units
    if m.allowed:
        assert m.parts == 1 and m.units <= 140
