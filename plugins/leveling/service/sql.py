"""Small SQL helpers shared by the batched writes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def add_to_xp(delta: int) -> Any:
    """An ``xp = xp + delta`` update expression (atomic in the database)."""
    from tortoise.expressions import F

    return F("xp") + delta


async def claim_levels(guild_id: int, moves: list[tuple[int, int, int]], connection: BaseDBAsyncClient) -> list[int]:
    """Set new levels where the stored level is still the old one, in one statement; returns the
    members whose change this writer claimed (another process may have claimed the others).
    ``connection`` is the transaction that wrote these members' XP and read their levels."""
    conn = connection
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
        # On SQLite the caller's transaction has written these rows (the flush's upsert) and so
        # holds the database's write lock, and Tortoise's connection lock keeps every other
        # statement of this process out until it commits: the levels it read are still there, so
        # every move is claimed. No RETURNING: each returned row would be one more round of the
        # GIL for aiosqlite's thread (see core.upsert.insert_many).
        values = ", ".join("(?, ?, ?)" for _ in moves)
        await conn.execute_query(
            f"UPDATE leveling_member SET level = v.column3 FROM (VALUES {values}) AS v "
            "WHERE leveling_member.guild_id = ? AND leveling_member.user_id = v.column1 "
            "AND leveling_member.level = v.column2",
            [*(x for move in moves for x in move), guild_id],
        )
        return [user for user, _, _ in moves]
    params: list[int] = [guild_id, *(x for move in moves for x in move), sorted(user for user, _, _ in moves)]
    rows = await conn.execute_query_dict(sql, params)
    return [int(r["user_id"]) for r in rows]


#: The totals an achievement check reads per member, in this order.
MEMBER_TOTALS = ("user_id", "xp", "level", "messages", "reactions", "voice_seconds", "commands_used")


async def member_levels(
    conn: BaseDBAsyncClient, guild_id: int, users: list[int]
) -> tuple[list[int], list[int], list[int]]:
    """The stored XP and level of ``users`` in the guild as three columns (user ids, XP, levels;
    row ``i`` of each is one member): a flush reads a thousand members, and three lists of ints
    leave nothing for the garbage collector to walk, where a list or dict per member did. On SQLite
    one row of JSON arrays, for the reason :func:`member_totals` gives."""
    if conn.capabilities.dialect == "postgres":
        _, rows = await conn.execute_query(
            "SELECT array_agg(user_id), array_agg(xp), array_agg(level) FROM leveling_member "
            "WHERE guild_id = $1 AND user_id = ANY($2::bigint[])",
            [guild_id, users],
        )
        user_ids, xps, levels = rows[0]
        return list(user_ids or ()), list(xps or ()), list(levels or ())
    marks = ", ".join("?" * len(users))
    _, found = await conn.execute_query(
        "SELECT json_group_array(user_id), json_group_array(xp), json_group_array(level) FROM leveling_member "
        f"WHERE guild_id = ? AND user_id IN ({marks})",
        [guild_id, *users],
    )
    user_ids, xps, levels = found[0]
    return json.loads(user_ids), json.loads(xps), json.loads(levels)


async def member_totals(conn: BaseDBAsyncClient, guild_id: int, users: list[int]) -> list[dict[str, Any]]:
    """The stored totals of ``users`` in the guild (:data:`MEMBER_TOTALS`). On SQLite as one
    JSON row: fetching a row costs aiosqlite's thread a round of the GIL, and with the event loop
    busy that was most of a flush (500 rows: 0.3-0.75 s)."""
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            f"SELECT {', '.join(MEMBER_TOTALS)} FROM leveling_member "
            "WHERE guild_id = $1 AND user_id = ANY($2::bigint[])",
            [guild_id, users],
        )
        return [dict(row) for row in rows]
    marks = ", ".join("?" * len(users))
    _, found = await conn.execute_query(
        f"SELECT json_group_array(json_array({', '.join(MEMBER_TOTALS)})) FROM leveling_member "
        f"WHERE guild_id = ? AND user_id IN ({marks})",
        [guild_id, *users],
    )
    return [dict(zip(MEMBER_TOTALS, row, strict=True)) for row in json.loads(found[0][0])]
