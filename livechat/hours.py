"""A live-chat site's business hours: the input checked once, and the pure rule "open now?".

Stored on the site as JSON (``None``: always open, the behaviour before hours existed)::

    {"zone": "Europe/Amsterdam",
     "weekly": {"mon": [["09:00", "17:30"]], "sat": [["10:00", "12:00"], ["13:00", "16:00"]]},
     "holidays": ["2026-12-25"],
     "away": {"nl": "...", "en": "..."}}

Times are wall-clock times in the site's zone, so opening at 09:00 stays 09:00 across a
DST change; a day missing from ``weekly`` is closed; a holiday is closed all day. No I/O
here: the caller passes the time (the server's Clock).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chatserver.errors import BadRequest

__all__ = ["DAYS", "check_hours", "is_open", "next_open", "status"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_RANGES = 4
MAX_HOLIDAYS = 200
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)|24:00")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _bad(field: str, message: str) -> BadRequest:
    return BadRequest(f"{field}: {message}", code="invalid_value", field=field)


def _minutes(value: Any, field: str) -> int:
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise _bad(field, f"{value!r} is not a time HH:MM (00:00 to 24:00)")
    hh, mm = value.split(":")
    return int(hh) * 60 + int(mm)


def _zone(value: Any) -> ZoneInfo:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise _bad("hours.zone", "an IANA time zone such as Europe/Amsterdam")
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _bad("hours.zone", f"unknown time zone {value!r}") from None


def _day(value: Any, field: str) -> list[list[str]]:
    if not isinstance(value, list) or len(value) > MAX_RANGES:
        raise _bad(field, f"a list of at most {MAX_RANGES} [open, close] ranges")
    spans: list[tuple[int, int, list[str]]] = []
    for i, span in enumerate(value):
        if not isinstance(span, list) or len(span) != 2:
            raise _bad(field, "each range is [open, close], e.g. [\"09:00\", \"17:30\"]")
        opens, closes = _minutes(span[0], f"{field}[{i}]"), _minutes(span[1], f"{field}[{i}]")
        if closes <= opens:
            raise _bad(f"{field}[{i}]", f"closes ({span[1]}) before it opens ({span[0]})")
        spans.append((opens, closes, [span[0], span[1]]))
    spans.sort()
    for (_, end, _a), (start, _e, b) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise _bad(field, f"ranges overlap at {b[0]}")
    return [s[2] for s in spans]


def check_hours(value: Any) -> dict[str, Any] | None:
    """The site's ``hours`` as stored, or a 400 naming the field; ``None`` or ``{}`` (a
    null is absent to the views) clears them."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict):
        raise _bad("hours", "an object with zone, weekly, holidays and away, or null")
    _zone(value.get("zone"))
    weekly = value.get("weekly") or {}
    if not isinstance(weekly, dict) or any(k not in DAYS for k in weekly):
        raise _bad("hours.weekly", f"an object with days among {', '.join(DAYS)}")
    days = {d: _day(weekly[d], f"hours.weekly.{d}") for d in DAYS if weekly.get(d)}
    holidays = value.get("holidays") or []
    if not isinstance(holidays, list) or len(holidays) > MAX_HOLIDAYS:
        raise _bad("hours.holidays", f"a list of at most {MAX_HOLIDAYS} dates")
    for d in holidays:
        try:
            if not isinstance(d, str) or not _DATE.fullmatch(d):
                raise ValueError
            date.fromisoformat(d)
        except ValueError:
            raise _bad("hours.holidays", f"{d!r} is not a date YYYY-MM-DD") from None
    away = value.get("away") or {}
    if not isinstance(away, dict) or not all(
        k in ("nl", "en") and isinstance(v, str) and len(v) <= 500 for k, v in away.items()
    ):
        raise _bad("hours.away", "{\"nl\": text, \"en\": text}, at most 500 characters each")
    return {"zone": value["zone"], "weekly": days, "holidays": sorted(set(holidays)), "away": dict(away)}


def _spans(hours: dict[str, Any], day: date) -> list[tuple[int, int]]:
    if day.isoformat() in hours.get("holidays", []):
        return []
    return [(_minutes(a, ""), _minutes(b, "")) for a, b in hours.get("weekly", {}).get(DAYS[day.weekday()], [])]


def is_open(hours: dict[str, Any] | None, at: datetime) -> bool:
    """Whether the site is open at the aware time ``at`` (no hours: always)."""
    if hours is None:
        return True
    local = at.astimezone(ZoneInfo(hours["zone"]))
    now = local.hour * 60 + local.minute
    return any(a <= now < b for a, b in _spans(hours, local.date()))


def next_open(hours: dict[str, Any] | None, at: datetime, horizon_days: int = 400) -> datetime | None:
    """When the site next opens after ``at`` (UTC), or ``None`` when open now or never."""
    if hours is None or is_open(hours, at):
        return None
    zone = ZoneInfo(hours["zone"])
    today = at.astimezone(zone).date()
    for n in range(horizon_days):
        day = today + timedelta(days=n)
        for a, _b in sorted(_spans(hours, day)):
            # A wall time in a spring-forward gap resolves to the hour after it.
            start = datetime.combine(day, time(a // 60, a % 60), tzinfo=zone).astimezone(at.tzinfo)
            if start > at:
                return start
    return None


def status(hours: dict[str, Any] | None, at: datetime, language: str) -> dict[str, Any]:
    """What the widget needs: open now, when it opens next (ISO, UTC) and the away text."""
    opens = next_open(hours, at)
    away = (hours or {}).get("away", {})
    lang = "nl" if language.lower().startswith("nl") else "en"
    return {"open": is_open(hours, at), "opens_at": opens.isoformat() if opens else None,
            "away": str(away.get(lang) or away.get("en") or away.get("nl") or "")}
