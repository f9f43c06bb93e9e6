"""CSV files that spreadsheets open safely and correctly.

- RFC 4180: every field that holds a comma, a quote or a line break is quoted, quotes
  doubled, lines end in CRLF;
- UTF-8 with a byte-order mark, so Excel reads "Sánchez" and "Zoë" as written instead
  of guessing a legacy code page;
- a text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return,
  which some spreadsheets skip before those) gets a leading apostrophe: a name such as
  ``=HYPERLINK(...)`` stays text instead of becoming a formula (CSV injection). Numbers
  are written as numbers, so a negative number is not touched;
- the file's name travels in Content-Disposition, ASCII only (the callers build it from
  dates and fixed words).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["BOM", "attachment", "cell", "to_csv"]

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")


def cell(value: Any) -> Any:
    """A value as it may stand in a cell: None empty, text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def attachment(filename: str) -> str:
    """The Content-Disposition value for a download named ``filename``."""
    if not _SAFE_NAME.fullmatch(filename):
        raise ValueError(f"a download's name must be plain ASCII: {filename!r}")
    return f'attachment; filename="{filename}"'
