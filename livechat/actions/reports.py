"""Live-chat reports: per local day and per operator over a date range (docs/livechat.md).

The caller names the range as two dates (``from`` and ``to``, both included) and an IANA
time zone (``tz``, UTC when absent): a day is that zone's calendar day, so a day of a
summer-time change has 23 or 25 hours and a chat at 00:30 local time counts on its own
day. The figures are computed in SQL (:mod:`livechat.storage.reports`, where
each one is defined); this module checks the request, turns local midnights into
instants and gives every day of the range a row, empty days too.

Organisation admins (key-users) and live-chat operators of the organisation may read
them; everything is of the caller's organisation only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chatserver.actions.context import Services
from chatserver.db.models import User
from chatserver.errors import BadRequest
from chatserver.protocol.schema import INT_MAX, Field
from chatserver.storage import accounts
from livechat.actions.view import require_operator, roster
from livechat.storage import reports as store

__all__ = ["DAY_COLUMNS", "MAX_DAYS", "OPERATOR_COLUMNS", "QUERY", "Period", "period", "report"]

# A year and a leap day: a calendar year in one request, and no unbounded scan.
MAX_DAYS = 366
# YYYY-MM-DD from 1970 to 8999: far enough from the calendar's ends that a zone's offset
# and the day after still fit.
# Empty is allowed, as absent (the input layer treats every empty query parameter so).
_DATE = r"((19[7-9][0-9]|[2-8][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?"
# Without a range: the last 30 days, today included.
DEFAULT_DAYS = 30
# Area/Location names (Europe/Amsterdam, America/Argentina/Buenos_Aires, UTC, Etc/GMT+1):
# no dots, so no path can reach the zone database's files.
_ZONE = r"([A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2})?"

# The query of GET /api/livechat/reports and its CSV files.
QUERY = {
    "from": Field(str, pattern=_DATE),
    "to": Field(str, pattern=_DATE),
    "tz": Field(str, max_length=64, pattern=_ZONE),
    # The days of one operator's chats only (the operators' table stays whole).
    "operator": Field(int, minimum=1, maximum=INT_MAX),
}

# The columns of each table, in the JSON rows and as the CSV files' headers.
DAY_COLUMNS = ("date", "started", "resolved", "first_response_median_s", "first_response_p90_s",
               "resolution_median_s", "csat_average", "ratings")
OPERATOR_COLUMNS = ("name", "chats", "first_responses", "first_response_median_s", "resolved",
                    "resolution_median_s", "csat_average", "ratings")


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    zone: str
    # The UTC instant of each local midnight from ``first`` to the day after ``last``.
    bounds: list[datetime]

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(len(self.bounds) - 1)]


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2026-02-30: the form fits, the calendar has no such day
        raise BadRequest(f"{name} (query parameter) is not a date: {value!r}", code="invalid_value",
                         field=name) from None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequest(f"tz (query parameter): unknown time zone {name!r}; use an IANA name such as "
                         "Europe/Amsterdam", code="invalid_value", field="tz") from None


def period(query: dict[str, str], now: datetime) -> Period:
    """The checked range (the input layer has checked each value's form); a BadRequest
    names the parameter that is wrong. Without ``to``: today in the zone; without
    ``from``: 30 days up to ``to``."""
    zone_name = query.get("tz") or "UTC"
    zone = _zone(zone_name)
    last = _date(query["to"], "to") if query.get("to") else now.astimezone(zone).date()
    first = _date(query["from"], "from") if query.get("from") else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise BadRequest(f"from ({first}) is after to ({last})", code="invalid_value", field="from")
    count = (last - first).days + 1
    if count > MAX_DAYS:
        raise BadRequest(f"the range has {count} days; at most {MAX_DAYS}", code="range_too_long", field="to",
                         max=MAX_DAYS)
    bounds = [
        datetime.combine(first + timedelta(days=i), time(0), tzinfo=zone).astimezone(UTC) for i in range(count + 1)
    ]
    return Period(first=first, last=last, zone=zone_name, bounds=bounds)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


async def _may_read(svc: Services, actor: User) -> None:
    """Key-users (organisation admins) and live-chat operators."""
    if actor.role != "key_user":
        async with svc.read() as s:
            await require_operator(s, actor)


async def report(svc: Services, actor: User, query: dict[str, str]) -> dict[str, Any]:
    """``{"from", "to", "tz", "operator", "days": [...], "operators": [...]}``: a row for every day of
    the range and for every operator (those who have live chat now, and anyone else who
    had a chat, a first response, a resolution or a rating in the range)."""
    p = period(query, svc.clock.now())
    await _may_read(svc, actor)
    async with svc.read() as s:
        operator = int(query["operator"]) if query.get("operator") else None
        daily = await store.by_day(s, actor.tenant_id, p.bounds, ZoneInfo(p.zone), operator)
        ops = await store.by_operator(s, actor.tenant_id, p.bounds)
        team = await roster(svc, s, actor.tenant_id)
        ids = set(team.ids) | set(ops.handled) | set(ops.answered) | set(ops.resolved) | set(ops.ratings)
        users = await accounts.users_by_ids(s, sorted(ids))
    none = store.Stats(0, 0, None, None)
    days = []
    for i, day in enumerate(p.days):
        started, resolved = daily.started.get(i, none), daily.resolved.get(i, none)
        mean, rated = daily.ratings.get(i, (None, 0))
        days.append({
            "date": day.isoformat(), "started": started.rows, "resolved": resolved.rows,
            "first_response_median_s": _r(started.median), "first_response_p90_s": _r(started.p90),
            "resolution_median_s": _r(resolved.median), "csat_average": _r(mean), "ratings": rated,
        })
    operators = []
    for uid, user in users.items():
        answered, resolved = ops.answered.get(uid, none), ops.resolved.get(uid, none)
        mean, rated = ops.ratings.get(uid, (None, 0))
        operators.append({
            "id": uid, "name": user.display_name, "chats": ops.handled.get(uid, none).rows,
            "first_responses": answered.values, "first_response_median_s": _r(answered.median),
            "resolved": resolved.rows, "resolution_median_s": _r(resolved.median),
            "csat_average": _r(mean), "ratings": rated,
        })
    operators.sort(key=lambda o: (str(o["name"]).casefold(), o["id"]))
    return {"from": p.first.isoformat(), "to": p.last.isoformat(), "tz": p.zone, "operator": operator,
            "days": days, "operators": operators}
