"""Small SQL helpers shared by the batched writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from ..models import Member


def placeholders(postgres: bool) -> Callable[[int], str]:
    """``n`` -> the dialect's parameter list for one row: ``$1, $2`` or ``?, ?``."""
    if postgres:
        return lambda n: ", ".join(f"${i}" for i in range(1, n + 1))
    return lambda n: ", ".join("?" * n)


#: Rows per multi-row INSERT on SQLite: 500 rows of 7 values stay far below its 32,766 parameters.
SQLITE_ROWS_PER_STATEMENT = 500


async def insert_rows(
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
        await conn.execute_many(f"{head} VALUES ({placeholders(True)(width)}{constants}) {tail}", rows)
        return
    row = f"({placeholders(False)(width)}{constants})"
    for chunk in chunks(rows, SQLITE_ROWS_PER_STATEMENT):
        await conn.execute_query(
            f"{head} VALUES {', '.join([row] * len(chunk))} {tail}", [value for r in chunk for value in r]
        )


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def add_to_xp(delta: int) -> Any:
    """An ``xp = xp + delta`` update expression (atomic in the database)."""
    from tortoise.expressions import F

    return F("xp") + delta


async def claim_levels(
    guild_id: int, moves: list[tuple[int, int, int]], connection: BaseDBAsyncClient | None = None
) -> list[int]:
    """Set new levels where the stored level is still the old one, in one statement; returns the
    members whose change this writer claimed (another process may have claimed the others)."""
    conn = connection or Member._meta.db
    if conn.capabilities.dialect == "postgres":
        values = ", ".join(f"(${3 * i + 2}::bigint, ${3 * i + 3}::int, ${3 * i + 4}::int)" for i in range(len(moves)))
        sql = (
            f"UPDATE leveling_member AS m SET level = v.new FROM (VALUES {values}) AS v(user_id, old, new) "
            "WHERE m.guild_id = $1 AND m.user_id = v.user_id AND m.level = v.old "
            # Lock the rows in (guild_id, user_id) order first, like the upserts: no deadlocks.
            "AND m.id IN (SELECT id FROM leveling_member WHERE guild_id = $1 "
            f"AND user_id = ANY(${3 * len(moves) + 2}::bigint[]) ORDER BY user_id FOR UPDATE) "
            "RETURNING m.user_id"
        )
    else:
        values = ", ".join("(?, ?, ?)" for _ in moves)
        sql = (
            f"UPDATE leveling_member SET level = v.column3 FROM (VALUES {values}) AS v "
            "WHERE leveling_member.guild_id = ? AND leveling_member.user_id = v.column1 "
            "AND leveling_member.level = v.column2 RETURNING leveling_member.user_id"
        )
    params: list[int] = [x for move in moves for x in move]
    if conn.capabilities.dialect == "postgres":
        params = [guild_id, *params, sorted(user for user, _, _ in moves)]
    else:
        params = [*params, guild_id]
    rows = await conn.execute_query_dict(sql, params)
    return [int(r["user_id"]) for r in rows]
