"""Live-chat reports over REST: JSON for the console, CSV files for spreadsheets
(key-users and operators; docs/livechat.md, Reports)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from chatserver.api._common import actor, ok, services
from chatserver.api.contract import ApiRoute, Op
from chatserver.csv_export import attachment, to_csv
from chatserver.protocol.schema import Field
from livechat.actions import reports
from livechat.actions.reports import DAY_COLUMNS, OPERATOR_COLUMNS, QUERY

__all__ = ["routes"]


async def _report(request: Request) -> dict[str, Any]:
    user = await actor(request)
    query = {name: request.query_params.get(name, "") for name in QUERY}
    return await reports.report(services(request), user, query)


async def report(request: Request) -> Response:
    """Per day (chats started and resolved, first response median and p90, resolution
    median, CSAT) and per operator, for ?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City; with
    &operator=ID the days count only that operator's chats."""
    return ok(await _report(request))


def _csv(data: dict[str, Any], table: str, columns: tuple[str, ...]) -> Response:
    body = to_csv(columns, ([row[c] for c in columns] for row in data[table]))
    who = f"-operator-{data['operator']}" if table == "days" and data["operator"] else ""
    name = f"livechat-{table}-{data['from']}-to-{data['to']}{who}.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": attachment(name), "Cache-Control": "no-store"})


async def days_csv(request: Request) -> Response:
    """The days table as CSV (UTF-8 with BOM, RFC 4180), for the same query."""
    return _csv(await _report(request), "days", DAY_COLUMNS)


async def operators_csv(request: Request) -> Response:
    """The operators table as CSV (UTF-8 with BOM, RFC 4180), for the same query."""
    return _csv(await _report(request), "operators", OPERATOR_COLUMNS)


_ANSWER = {
    "from": Field(str), "to": Field(str), "tz": Field(str), "operator": Field(int, nullable=True),
    "days": Field(list, items=Field(dict)), "operators": Field(list, items=Field(dict)),
}

routes = [
    ApiRoute("/api/livechat/reports", report, "GET", Op(query=QUERY, answers=_ANSWER)),
    ApiRoute("/api/livechat/reports/days.csv", days_csv, "GET", Op(query=QUERY, media="text/csv")),
    ApiRoute("/api/livechat/reports/operators.csv", operators_csv, "GET", Op(query=QUERY, media="text/csv")),
]
