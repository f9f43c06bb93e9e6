"""Lookups by a list of two-column keys on SQLite: one index search per key.

SQLite 3.40 plans a row-value ``(a, b) IN (VALUES ...)`` as a scan of the whole index,
whatever its size: 23 ms for 20 keys in a table of 200,000 messages, growing with the
table. The keys given as one JSON parameter and joined through ``json_each`` are searched
in the unique index one by one: 35 us (docs/benchmarks.md, step 18). PostgreSQL plans
row values and IN lists with index searches, so it keeps those.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, bindparam, func
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import TableValuedAlias


def key_table(name: str) -> tuple[TableValuedAlias, ColumnElement[Any], ColumnElement[Any]]:
    """The keys bound to parameter ``name`` (see :func:`keys_param`) as a table, and its
    first and second column, to join the searched table on."""
    keys = func.json_each(bindparam(name, type_=String)).table_valued("value").alias(name)
    return keys, func.json_extract(keys.c.value, "$[0]"), func.json_extract(keys.c.value, "$[1]")


def keys_param(keys: Iterable[tuple[Any, Any]]) -> str:
    """The value for a :func:`key_table` parameter: the keys, in order, as JSON."""
    return json.dumps(sorted(keys))
