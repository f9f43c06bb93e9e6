"""Statements compiled once and, on SQLite, run straight on the driver.

Every batch of sends runs the same nine statements. Through SQLAlchemy each one costs
about 130 us of Python before SQLite starts (an execution context, parameters processed
one by one, a result object around the rows): more than SQLite then takes for most of
them, and about a third of the batch's time on the event loop's thread
(docs/benchmarks.md, step 22). A :class:`Prepared` statement is compiled for SQLite
once. Each run converts its parameters with the column types' own bind processors,
runs on the connection's thread in one hop (:mod:`chatserver.db.sqlite_driver`),
inside the session's transaction like any other statement of that session, and
converts the rows with the types' result processors: the values written and read are
the ones SQLAlchemy would write and read. On any other driver (PostgreSQL's asyncpg)
SQLAlchemy executes the statement as usual.

An expanding ``IN`` list is bound as one JSON array read through ``json_each``: the
statement's text does not depend on the list's length, and SQLite searches the index
once per element (as in :mod:`chatserver.storage.keylist`).

Independent reads can share one hop (:func:`together`): a storage function offers its
read as a :class:`Query`, which says how SQLite runs it and how any other driver answers
it. Every hop waits for a turn of the event loop, and under load a turn is long (step 26).
Work whose steps depend on each other is a :data:`Plan` (:func:`run_plan`): a generator
that yields its queries and computes between them, with no I/O of its own, so that on
SQLite it runs whole without a hop per statement, while PostgreSQL awaits it step by step.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import TypeEngine

from chatserver.db import pg_direct
from chatserver.db.sqlite_driver import OneHopConnection

Processor = Callable[[Any], Any] | None
# Where a connection's driver is kept once looked up: Connection.info follows the DBAPI
# connection in and out of the pool.
_DRIVER = "chatserver.one_hop_driver"
_NOTHING = object()
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Arg:
    """One positional parameter: the caller's (by name) or one fixed in the statement."""

    name: str | None
    fixed: Any
    process: Processor
    expanding: bool


@dataclass(frozen=True, slots=True)
class SQLiteForm:
    """A statement as it is run on SQLite: its text and how to bind and read it."""

    sql: str
    args: tuple[_Arg, ...]
    results: tuple[Processor, ...]
    # For bind_many when every parameter is the caller's and there are several: the values
    # of one set in order, read by one C call, and which of them need converting.
    _getter: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None = field(default=None, init=False, repr=False,
                                                                           compare=False)
    _converted: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.args) > 1 and all(arg.name is not None for arg in self.args):
            object.__setattr__(self, "_getter", itemgetter(*(arg.name for arg in self.args)))
            object.__setattr__(self, "_converted", tuple(
                k for k, arg in enumerate(self.args) if arg.process is not None or arg.expanding))

    def bind(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """The positional parameters for one run, converted as SQLAlchemy would."""
        return tuple(self._convert(arg, arg.fixed if arg.name is None else params[arg.name]) for arg in self.args)

    def bind_many(self, params: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """``bind`` for each set; a value given as the same object as in the set before (the
        batch's one timestamp, say) is converted once.

        The sets' values are read by one ``itemgetter`` each and only the columns whose type
        converts are walked in Python: the loop over every value of every set was ~13% of a
        batch of sends (docs/benchmarks.md, step 37)."""
        getter = self._getter
        if getter is None:
            return self._bind_each(params)
        rows = list(map(getter, params))
        if not self._converted or not rows:
            return rows
        columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
        for k in self._converted:
            arg = self.args[k]
            done: list[Any] = []
            seen: Any = _NOTHING
            converted: Any = None
            for value in columns[k]:
                if value is not seen:
                    converted = self._convert(arg, value)
                    seen = value
                done.append(converted)
            columns[k] = done
        return list(zip(*columns, strict=True))

    def _bind_each(self, params: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        last: list[tuple[Any, Any]] = [(_NOTHING, None)] * len(self.args)
        for p in params:
            row: list[Any] = []
            for k, arg in enumerate(self.args):
                value = arg.fixed if arg.name is None else p[arg.name]
                seen, converted = last[k]
                if value is not seen:
                    converted = self._convert(arg, value)
                    last[k] = (value, converted)
                row.append(converted)
            out.append(tuple(row))
        return out

    @staticmethod
    def _convert(arg: _Arg, value: Any) -> Any:
        if arg.expanding:
            return json.dumps([arg.process(v) for v in value] if arg.process else list(value))
        return arg.process(value) if arg.process else value

    def read(self, rows: list[Any]) -> list[tuple[Any, ...]]:
        if not any(self.results):
            return rows
        procs = self.results
        return [tuple(p(v) if p else v for p, v in zip(procs, row, strict=True)) for row in rows]


def _processor(type_: TypeEngine[Any], dialect: Dialect, result: bool = False) -> Processor:
    impl = type_.dialect_impl(dialect)
    return impl.result_processor(dialect, None) if result else impl.bind_processor(dialect)


class Prepared:
    """A Core statement run by :meth:`rows`, :meth:`run_many` or :meth:`insert_each`
    (see the module's doc).

    ``columns`` names the columns an INSERT gives values for (the rest take their
    defaults), as SQLAlchemy would learn them from the first row.
    """

    def __init__(self, stmt: Executable, *, columns: Sequence[str] | None = None) -> None:
        self.stmt = stmt
        self._columns = list(columns) if columns is not None else None
        self._sqlite: SQLiteForm | None = None

    def sqlite_form(self, dialect: Dialect) -> SQLiteForm:
        if self._sqlite is None:
            self._sqlite = self._compile(dialect)
        return self._sqlite

    def _compile(self, dialect: Dialect) -> SQLiteForm:
        compiled = self.stmt.compile(dialect=dialect, column_keys=self._columns)  # type: ignore[attr-defined]
        sql = str(compiled)
        args: list[_Arg] = []
        for name in compiled.positiontup or ():
            bind: BindParameter[Any] = compiled.binds[name]
            if bind.expanding:
                sql = sql.replace(f"(__[POSTCOMPILE_{name}])", "(SELECT value FROM json_each(?))", 1)
            # A bind nobody passes holds a value of the statement's own ('accepted', '$[0]').
            fixed = bind.value if not bind.required else None
            args.append(_Arg(None if not bind.required else bind.key, fixed,
                             _processor(bind.type, dialect), bind.expanding))
        if "__[POSTCOMPILE_" in sql:
            raise ValueError(f"cannot prepare {sql!r}: an expanding parameter that is not an IN list")
        columns = getattr(self.stmt, "exported_columns", ())
        results = tuple(_processor(c.type, dialect, result=True) for c in columns)
        return SQLiteForm(sql, tuple(args), results)

    async def rows(self, s: AsyncSession, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        """Run the statement once; its rows (a SELECT's, or an INSERT/UPDATE's RETURNING)."""
        conn = await s.connection()
        driver = await _driver(conn)
        if driver is None:
            return (await conn.execute(self.stmt, dict(params))).all()
        form = self.sqlite_form(conn.dialect)
        rows, *_ = await driver.run(form.sql, form.bind(params), False)
        return form.read(rows or [])

    async def insert_each(self, s: AsyncSession, params: Sequence[Mapping[str, Any]]) -> list[int | None]:
        """An INSERT run once per parameter set, in order: each row's primary key, or None
        for a row not inserted (``ON CONFLICT DO NOTHING``)."""
        if not params:
            return []
        conn = await s.connection()
        driver = await _driver(conn)
        if driver is None:
            out: list[int | None] = []
            for p in params:
                result = await conn.execute(self.stmt, dict(p))
                key = result.inserted_primary_key if result.rowcount == 1 else None
                out.append(int(key[0]) if key is not None else None)
            return out
        form = self.sqlite_form(conn.dialect)
        return await driver.insert_each(form.sql, form.bind_many(params))

    async def run_many(self, s: AsyncSession, params: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once per parameter set, in order (an executemany)."""
        if not params:
            return
        conn = await s.connection()
        driver = await _driver(conn)
        if driver is None:
            await conn.execute(self.stmt, [dict(p) for p in params])
            return
        form = self.sqlite_form(conn.dialect)
        await driver.run(form.sql, form.bind_many(params), True)


How = Literal["rows", "each", "many"]


@dataclass(frozen=True, slots=True)
class Query(Generic[T]):
    """One step of storage work that can share a round trip with others (:func:`together`,
    :func:`run_plan`).

    ``prepared`` and ``params`` say how SQLite runs it, ``how`` in which way: ``"rows"``
    once, its rows (a SELECT's, an INSERT's or UPDATE's RETURNING); ``"each"`` an INSERT
    once per parameter set in ``params``, each row's id or None (:meth:`Prepared.insert_each`);
    ``"many"`` an executemany over ``params``, no rows. ``read`` says what the outcome
    means; ``elsewhere`` answers it on any other driver (the storage function's own
    statements), by default the same prepared statement run through SQLAlchemy. With
    ``prepared`` None the answer needs no statement (``read([])``).

    ``pg``, instead of ``elsewhere`` for a read: its SELECT on PostgreSQL (a text for
    asyncpg and its arguments, :mod:`chatserver.db.pg_direct`), its rows given to ``read``.
    The reads of one step that say theirs are asked in one statement, one round trip
    (:func:`chatserver.db.pg_direct.fetch_together`; docs/benchmarks.md, step 32).

    ``direct``: its answer on PostgreSQL without a session (on asyncpg alone, a statement
    of its own, taken to write), which :func:`run_direct_plan` needs of every query that
    is not a ``pg`` read; ``elsewhere`` still answers it in a session.
    """

    prepared: Prepared | None
    params: Any
    read: Callable[[Any], T]
    elsewhere: Callable[[AsyncSession], Awaitable[T]] | None = None
    how: How = "rows"
    pg: tuple[str, tuple[Any, ...]] | None = None
    direct: Callable[[pg_direct.Direct], Awaitable[T]] | None = None

    async def run(self, s: AsyncSession) -> T:
        return (await together(s, self))[0]  # type: ignore[no-any-return]


# Storage work as a generator: it yields a Query (or a list of Queries) and is sent the
# answer (or the list of answers), and returns its result. It does no I/O of its own, so
# one runner can run all of it at once on SQLite and another step by step (run_plan).
Step = Query[Any] | list[Query[Any]]
Plan = Generator[Step, Any, T]


async def run_plan(s: AsyncSession, plan: Plan[T], *, commit: bool = False) -> T:
    """Run ``plan`` in the session's transaction; its result.

    On SQLite a plan does not pay a round trip to the connection's thread per statement
    (each one waits for a turn of a busy event loop: a batch of sends took nine;
    docs/benchmarks.md, step 28):

    - ``commit=False``: the whole plan, its statements and the Python between them, runs
      in one hop of the connection's thread.
    - ``commit=True``: the plan is the transaction's last work, and it writes. The write
      lock is taken in one hop (``BEGIN IMMEDIATE``, waited for off the event loop); with
      it held SQLite has nothing left to wait for, so the plan and the commit run right
      here on the event loop's thread, without a thread switch or a fight over the GIL
      with the connection's thread. The session's own commit then has nothing to do; the
      caller must change nothing more in that transaction.

    On any other driver each step runs as its ``elsewhere`` and the session commits as
    usual. Either way the plan must only compute between its steps, never await.
    """
    conn = await s.connection()
    driver = await _driver(conn)
    dialect = conn.dialect
    if driver is not None and commit:
        await driver.begin_write()
        return _run_here(driver, dialect, plan, commit)
    if driver is not None:
        return await driver.in_thread(lambda here: _run_here(here, dialect, plan, commit))
    return await _step_by_step(s, plan)


async def _step_by_step(s: pg_direct.On, plan: Plan[T],
                        check: Callable[[list[Query[Any]]], None] | None = None) -> T:
    """``plan`` on PostgreSQL, a round trip per step; ``check`` sees each step's queries
    before they run, and may refuse the step by raising (the plan is then closed)."""
    answer: Any = None
    while True:
        try:
            step = plan.send(answer)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        if check is not None:
            try:
                check(step if isinstance(step, list) else [step])
            except BaseException:
                plan.close()
                raise
        if isinstance(step, list):
            answer = await _answer_all_elsewhere(s, step)
        else:
            answer = await _answer_elsewhere(s, step)


class NeedsSession(Exception):
    """A plan run by :func:`run_direct_plan` came to a step it cannot run without a session."""


async def run_direct_plan(on: pg_direct.Direct, plan: Plan[T]) -> T:
    """Run ``plan`` on PostgreSQL without a session: each step's reads in one statement,
    each statement a transaction of its own (:class:`~chatserver.db.pg_direct.Direct`).

    For a plan whose only write is one statement with a ``direct`` answer, as a batch of
    sends to existing conversations is. At a step with a query that has neither a ``pg``
    read nor a ``direct`` answer (a conversation made through the ORM, say) it raises
    :class:`NeedsSession` before running any of that step, so that the caller can run the
    plan again in a session's transaction.
    """
    wrote = False

    def check(queries: list[Query[Any]]) -> None:
        nonlocal wrote
        # A query with a statement but no pg read runs as its direct answer (a write).
        statements = [q for q in queries if q.prepared is not None and q.pg is None]
        if any(q.direct is None for q in statements):
            if wrote:  # run again in a session, the write would be done twice
                raise RuntimeError("a plan run without a session needs one after its write")
            raise NeedsSession(f"a step of {len(queries)} queries needs a session")
        wrote = wrote or bool(statements)

    return await _step_by_step(on, plan, check)


async def run_write_plan(conn: AsyncConnection, plan: Plan[T],
                         commit_seconds: Callable[[float], object] | None = None) -> T:
    """:func:`run_plan` with ``commit=True`` on SQLite, on a connection with no session
    around it: the write lock taken in one hop, the plan and the commit run here.

    A session costs a batch ~0.25 ms of CPU to make, begin, commit and close through
    SQLAlchemy's asyncio layer (greenlets), all of it for a transaction the plan runs on
    the driver itself (docs/benchmarks.md, step 36). A plan that fails is rolled back
    here, so the connection may serve the next one. ``commit_seconds`` is given the
    commit's own time (a metric).
    """
    driver = await _driver(conn)
    if driver is None:
        raise TypeError("run_write_plan runs on SQLite's driver (db.sqlite_driver) only")
    await driver.begin_write()
    try:
        result = _run_here(driver, conn.dialect, plan, False)
        started = time.perf_counter()
        driver.commit_here()
    except BaseException:
        driver.rollback_here()
        raise
    if commit_seconds is not None:
        commit_seconds(time.perf_counter() - started)
    return result


async def _answer_all_elsewhere(s: pg_direct.On, step: list[Query[Any]]) -> list[Any]:
    """A step's queries on PostgreSQL: the reads that give their text together in one
    statement (each a round trip of its own cost as much as the statement: ~0.3-0.5 ms
    here, docs/benchmarks.md), then the rest one by one."""
    joint = [k for k, q in enumerate(step) if q.pg is not None and q.prepared is not None]
    if len(joint) < 2:
        return [await _answer_elsewhere(s, q) for q in step]
    answers: list[Any] = [None] * len(step)
    rows = await pg_direct.fetch_together(s, [step[k].pg for k in joint])  # type: ignore[misc]
    for k, found in zip(joint, rows, strict=True):
        answers[k] = step[k].read(found)
    for k, q in enumerate(step):
        if k not in joint:
            answers[k] = await _answer_elsewhere(s, q)
    return answers


async def _answer_elsewhere(s: pg_direct.On, q: Query[T]) -> T:
    if q.prepared is None:  # no statement needed (nothing asked for): no round trip either
        return q.read([])
    if q.pg is not None:
        return q.read(await pg_direct.fetch(s, q.pg[0], *q.pg[1]))
    if isinstance(s, pg_direct.Direct):
        assert q.direct is not None, "run_direct_plan lets no other query through"
        return await q.direct(s)
    if q.elsewhere is not None:
        return await q.elsewhere(s)
    if q.how == "each":
        return q.read(await q.prepared.insert_each(s, q.params))
    if q.how == "many":
        await q.prepared.run_many(s, q.params)
        return q.read([])
    return q.read(await q.prepared.rows(s, q.params))


def _run_here(driver: OneHopConnection, dialect: Dialect, plan: Plan[T], commit: bool) -> T:
    """:func:`run_plan` on SQLite, on whichever thread it says."""
    answer: Any = None
    while True:
        try:
            step = plan.send(answer)
        except StopIteration as done:
            if commit:
                driver.commit_here()
            return done.value  # type: ignore[no-any-return]
        if isinstance(step, list):
            answer = [_answer_here(driver, dialect, q) for q in step]
        else:
            answer = _answer_here(driver, dialect, step)


def _answer_here(driver: OneHopConnection, dialect: Dialect, q: Query[T]) -> T:
    if q.prepared is None:
        return q.read([])
    form = q.prepared.sqlite_form(dialect)
    if q.how == "each":
        return q.read(driver.insert_each_here(form.sql, form.bind_many(q.params)) if q.params else [])
    if q.how == "many":
        if q.params:
            driver.run_here(form.sql, form.bind_many(q.params), True)
        return q.read([])
    rows, *_ = driver.run_here(form.sql, form.bind(q.params), False)
    return q.read(form.read(rows or []))


def _all(queries: list[Query[Any]]) -> Plan[list[Any]]:
    answers: list[Any] = yield queries
    return answers


async def together(s: AsyncSession, *queries: Query[Any]) -> list[Any]:
    """The answers of independent reads, in order: on SQLite in one hop of the connection's
    thread, instead of one each (every hop waits for a turn of a busy event loop)."""
    return await run_plan(s, _all(list(queries)))


async def _driver(conn: AsyncConnection) -> OneHopConnection | None:
    info = conn.info
    if _DRIVER not in info:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        info[_DRIVER] = driver if isinstance(driver, OneHopConnection) else None
    found: OneHopConnection | None = info[_DRIVER]
    return found
