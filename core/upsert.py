"""Insert a row or update the one already there, in one statement: ``INSERT ... ON CONFLICT``.

Update-then-insert needs two round trips and a retry when another task inserts in between; the
database does it atomically instead (SQLite >= 3.24, PostgreSQL >= 9.5), so concurrent upserts
of one key never lose an increment and never raise IntegrityError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _default(field: Any) -> Any:
    return field.default() if callable(field.default) else field.default


async def upsert(
    model: type[Model],
    *,
    conflict: Sequence[str],
    values: Mapping[str, Any],
    update: Sequence[str] | None = None,
    increment: Mapping[str, int | float] | None = None,
    at_most: Mapping[str, int | float] | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> bool:
    """Insert ``values`` as a row of ``model``, or update the row whose ``conflict`` fields match.

    - ``conflict``: fields of a unique constraint (or the primary key) identifying the row.
    - ``values``: the new row; fields of the model left out get their Python default.
    - ``update``: fields set from ``values`` when the row exists; by default every field of
      ``values`` that is not in ``conflict`` or ``increment``. ``[]`` keeps an existing row as it is.
    - ``increment``: field -> amount. A new row starts with the amount (plus ``values[field]``, if
      given); an existing row's field grows by it.
    - ``at_most``: field -> ceiling. An existing row is left unchanged when the update would take
      a field above its ceiling (say, a per-member purchase limit).
    - ``connection``: a transaction (``in_transaction()``) to run in; the model's database otherwise.

    Returns whether a row was inserted or updated (False: kept by ``update=[]`` or ``at_most``).
    """
    meta = model._meta
    conn = connection or meta.db
    increment = dict(increment or {})
    unknown = (set(conflict) | set(values) | set(increment) | set(update or ()) | set(at_most or ())) - set(
        meta.fields_db_projection
    )
    if unknown:
        raise ValueError(f"{model.__name__} has no field(s) {sorted(unknown)}")
    if not conflict:
        raise ValueError("upsert needs the conflict fields of a unique constraint")

    row = dict(values)
    for name, amount in increment.items():
        row[name] = row.get(name, 0) + amount
    for name, field in meta.fields_map.items():
        if name in row or name not in meta.fields_db_projection or field.generated:
            continue
        if field.default is not None:
            row[name] = _default(field)
    if update is None:
        update = [name for name in values if name not in conflict and name not in increment]

    def column(name: str) -> str:
        return _quote(meta.fields_db_projection[name])

    table = _quote(meta.db_table)
    dialect = conn.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"upsert supports SQLite and PostgreSQL, not {dialect}")
    marks = [f"${i}" if dialect == "postgres" else "?" for i in range(1, len(row) + 1)]
    params = [meta.fields_map[name].to_db_value(value, model) for name, value in row.items()]

    assignments = [f"{column(name)} = EXCLUDED.{column(name)}" for name in update]
    assignments += [
        f"{column(name)} = {table}.{column(name)} + {_number(amount)}" for name, amount in increment.items()
    ]
    sql = (
        f"INSERT INTO {table} ({', '.join(column(name) for name in row)}) VALUES ({', '.join(marks)}) "
        f"ON CONFLICT ({', '.join(column(name) for name in conflict)}) "
    )
    if not assignments:
        sql += "DO NOTHING"
    else:
        sql += "DO UPDATE SET " + ", ".join(assignments)
        if at_most:
            grows = {name: f" + {_number(increment[name])}" if name in increment else "" for name in at_most}
            sql += " WHERE " + " AND ".join(
                f"{table}.{column(name)}{grows[name]} <= {_number(ceiling)}" for name, ceiling in at_most.items()
            )
    if dialect == "postgres":
        # asyncpg reports no row count for INSERT through Tortoise; RETURNING gives one row per write.
        rows = await conn.execute_query_dict(sql + " RETURNING 1", params)
        return bool(rows)
    changed, _ = await conn.execute_query(sql, params)
    return bool(changed)


def _number(value: int | float) -> str:
    # Amounts and ceilings are inlined: PostgreSQL cannot infer a type for "col + $n" otherwise.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"increments and ceilings must be numbers, not {value!r}")
    return repr(value)


#: Rows per multi-row INSERT on SQLite: 500 rows of up to 60 values stay below its 32,766 parameters.
SQLITE_ROWS_PER_STATEMENT = 500


async def insert_many(
    conn: BaseDBAsyncClient, head: str, width: int, tail: str, rows: list[Any], *, constants: str = ""
) -> None:
    """``head VALUES (row), (row) ... tail`` for every row (``width`` parameters, then
    ``constants``): ``executemany`` on PostgreSQL (asyncpg pipelines it), a few multi-row
    statements on SQLite. Python's sqlite3 gives up the GIL around every row of an
    ``executemany`` and must win it back for the next one: while the event loop is busy (a burst
    of messages) each row then waits up to the interpreter's switch interval, and 1,000 rows took
    seconds instead of milliseconds."""
    if not rows:
        return
    if conn.capabilities.dialect == "postgres":
        marks = ", ".join(f"${i}" for i in range(1, width + 1))
        await conn.execute_many(f"{head} VALUES ({marks}{constants}) {tail}", rows)
        return
    row = "(" + ", ".join("?" * width) + constants + ")"
    for start in range(0, len(rows), SQLITE_ROWS_PER_STATEMENT):
        chunk = rows[start : start + SQLITE_ROWS_PER_STATEMENT]
        await conn.execute_query(
            f"{head} VALUES {', '.join([row] * len(chunk))} {tail}", [value for r in chunk for value in r]
        )


async def upsert_many(
    model: type[Model],
    columns: Sequence[str],
    rows: list[Sequence[Any]],
    *,
    conflict: Sequence[str],
    add: Sequence[str] = (),
    largest: Sequence[str] = (),
    connection: BaseDBAsyncClient | None = None,
) -> None:
    """Insert ``rows`` (values of the fields ``columns``, in that order, as the database takes
    them), or, where a row with the same ``conflict`` fields exists, add the new ``add`` fields
    to it and keep the larger of each ``largest`` field (other fields keep their stored value).

    Written with :func:`insert_many`: with at most :data:`SQLITE_ROWS_PER_STATEMENT` rows, that is
    one statement on SQLite and one transaction on PostgreSQL, so a batch is written whole or not
    at all. Order the rows by key so that concurrent writers lock rows in the same order."""
    meta = model._meta
    conn = connection or meta.db
    unknown = (set(columns) | set(conflict) | set(add) | set(largest)) - set(meta.fields_db_projection)
    if unknown:
        raise ValueError(f"{model.__name__} has no field(s) {sorted(unknown)}")

    def column(name: str) -> str:
        return _quote(meta.fields_db_projection[name])

    table = _quote(meta.db_table)
    # SQLite's two-argument max() is its scalar maximum; PostgreSQL spells it GREATEST.
    maximum = "GREATEST" if conn.capabilities.dialect == "postgres" else "max"
    assignments = [f"{column(name)} = {table}.{column(name)} + excluded.{column(name)}" for name in add]
    assignments += [f"{column(name)} = {maximum}({table}.{column(name)}, excluded.{column(name)})" for name in largest]
    on_conflict = f"ON CONFLICT ({', '.join(column(name) for name in conflict)}) "
    tail = on_conflict + ("DO UPDATE SET " + ", ".join(assignments) if assignments else "DO NOTHING")
    head = f"INSERT INTO {table} ({', '.join(column(name) for name in columns)})"
    await insert_many(conn, head, len(columns), tail, rows)
