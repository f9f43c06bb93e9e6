"""The pure business-hours rule: wall-clock hours in the site's zone, across DST changes,
with holidays, and the input check that names the field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chatserver.errors import BadRequest
from livechat.hours import check_hours, is_open, next_open, status

AMS = {"zone": "Europe/Amsterdam", "weekly": {"mon": [["09:00", "12:00"], ["13:00", "17:30"]],
                                              "sun": [["10:00", "11:00"]]},
       "holidays": ["2026-12-28"], "away": {"nl": "Gesloten", "en": "Closed"}}


def utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


def test_no_hours_is_always_open():
    assert is_open(None, utc(2026, 3, 29, 3, 0)) and next_open(None, utc(2026, 3, 29, 3)) is None
    assert status(None, utc(2026, 1, 1), "nl") == {"open": True, "opens_at": None, "away": ""}


def test_opening_follows_the_wall_clock_across_dst():
    # Winter (CET, UTC+1): 09:00 local is 08:00 UTC.
    assert not is_open(AMS, utc(2026, 3, 23, 7, 59)) and is_open(AMS, utc(2026, 3, 23, 8, 0))
    # Summer after the spring-forward of Sunday 29 March (CEST, UTC+2): 09:00 is 07:00 UTC.
    assert is_open(AMS, utc(2026, 3, 30, 7, 0)) and not is_open(AMS, utc(2026, 3, 30, 6, 59))
    # On the DST day itself, Sunday 10:00 CEST = 08:00 UTC.
    assert is_open(AMS, utc(2026, 3, 29, 8, 30)) and not is_open(AMS, utc(2026, 3, 29, 9, 0))
    # Closed over lunch; next opening 13:00 CEST.
    assert not is_open(AMS, utc(2026, 3, 30, 10, 30))
    assert next_open(AMS, utc(2026, 3, 30, 10, 30)) == utc(2026, 3, 30, 11, 0)
    # Saturday 31 Oct after closing: the fall-back on Sunday 25 Oct is behind; next is
    # Sunday 1 Nov 10:00 CET = 09:00 UTC.
    assert next_open(AMS, utc(2026, 10, 31, 12, 0)) == utc(2026, 11, 1, 9, 0)
    # From before the fall-back (Sat 24 Oct, CEST) to Sunday 25 Oct 10:00 CET = 09:00 UTC.
    assert next_open(AMS, utc(2026, 10, 24, 12, 0)) == utc(2026, 10, 25, 9, 0)


def test_a_holiday_is_closed_all_day_and_skipped_for_the_next_opening():
    # Monday 28 December 2026 is a holiday: closed at 10:00 local.
    assert not is_open(AMS, utc(2026, 12, 28, 9, 0))
    # Next: Sunday 3 January 10:00 CET (the Monday after the holiday is the 4th: Sunday comes first).
    assert next_open(AMS, utc(2026, 12, 28, 9, 0)) == utc(2027, 1, 3, 9, 0)
    assert status(AMS, utc(2026, 12, 28, 9, 0), "nl-NL") == {
        "open": False, "opens_at": "2027-01-03T09:00:00+00:00", "away": "Gesloten"}
    assert status(AMS, utc(2026, 12, 28, 9, 0), "de")["away"] == "Closed"


def test_a_zone_far_from_utc_uses_its_own_date():
    tokyo = {"zone": "Asia/Tokyo", "weekly": {"mon": [["00:00", "24:00"]]}}
    # Sunday 23:30 UTC is Monday 08:30 in Tokyo.
    assert is_open(tokyo, utc(2026, 3, 22, 23, 30)) and not is_open(tokyo, utc(2026, 3, 22, 14, 0))


def test_hours_with_no_open_day_never_open():
    closed = check_hours({"zone": "UTC"})
    assert closed is not None and not is_open(closed, utc(2026, 1, 1)) and next_open(closed, utc(2026, 1, 1)) is None


@pytest.mark.parametrize("hours, field", [
    ({"zone": "Europe/Atlantis"}, "hours.zone"),
    ({"zone": "../etc/passwd"}, "hours.zone"),
    ({"zone": "UTC", "weekly": {"mon": [["9:00", "17:00"]]}}, "hours.weekly.mon[0]"),
    ({"zone": "UTC", "weekly": {"tue": [["09:00", "24:30"]]}}, "hours.weekly.tue[0]"),
    ({"zone": "UTC", "weekly": {"wed": [["17:00", "09:00"]]}}, "hours.weekly.wed[0]"),
    ({"zone": "UTC", "weekly": {"thu": [["09:00", "12:00"]] * 5}}, "hours.weekly.thu"),
    ({"zone": "UTC", "weekly": {"fri": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "hours.weekly.fri"),
    ({"zone": "UTC", "weekly": {"funday": []}}, "hours.weekly"),
    ({"zone": "UTC", "holidays": ["2026-02-30"]}, "hours.holidays"),
    ({"zone": "UTC", "holidays": ["25-12-2026"]}, "hours.holidays"),
    ({"zone": "UTC", "away": {"de": "Geschlossen"}}, "hours.away"),
])
def test_bad_hours_name_the_field(hours, field):
    with pytest.raises(BadRequest) as err:
        check_hours(hours)
    assert err.value.details["field"] == field


def test_good_hours_are_kept_sorted():
    got = check_hours({"zone": "Europe/Amsterdam", "weekly": {"mon": [["13:00", "17:00"], ["09:00", "12:00"]]},
                       "holidays": ["2026-12-26", "2026-12-25", "2026-12-25"]})
    assert got == {"zone": "Europe/Amsterdam", "weekly": {"mon": [["09:00", "12:00"], ["13:00", "17:00"]]},
                   "holidays": ["2026-12-25", "2026-12-26"], "away": {}}
    assert check_hours({}) is None and check_hours(None) is None
