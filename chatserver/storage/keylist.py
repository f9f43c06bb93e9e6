"""Lookups and updates by a list of keys on SQLite: one index search per key.

SQLite 3.40 plans a row-value ``(a, b) IN (VALUES ...)`` as a scan of the whole index,
whatever its size: 23 ms for 20 keys in a table of 200,000 messages, growing with the
table. The keys given as one JSON parameter and joined through ``json_each`` are searched
in the unique index one by one: 35 us (docs/benchmarks.md, step 18). PostgreSQL plans
row values and IN lists with index searches, so it keeps those.

The same table of tuples lets one ``UPDATE ... FROM json_each(?) ... RETURNING`` add a
different amount to each of many rows and read the results back, where an executemany
and a second query were needed (step 20).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, bindparam, func
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import TableValuedAlias


def key_table(name: str, width: int = 2) -> tuple[TableValuedAlias, list[ColumnElement[Any]]]:
    """The tuples bound to parameter ``name`` (see :func:`keys_param`) as a table, and its
    ``width`` columns, to join or update the searched table by."""
    keys = func.json_each(bindparam(name, type_=String)).table_valued("value").alias(name)
    return keys, [func.json_extract(keys.c.value, f"$[{i}]") for i in range(width)]


def keys_param(keys: Iterable[tuple[Any, ...]]) -> str:
    """The value for a :func:`key_table` parameter: the tuples, in order, as JSON."""
    return json.dumps(sorted(keys))
