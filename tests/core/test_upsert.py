"""core/upsert.py on a real SQLite file and a real PostgreSQL, with the greeter toy's table."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from gk_toy_greeter.models import Greeting
from tortoise.transactions import in_transaction

from guildkit.core.models import UserProfile
from guildkit.core.runtime import Runtime
from guildkit.core.upsert import insert_many, upsert, upsert_many

GUILD, USER = 1001, 42
KEY = ("guild_id", "user_id")
EARLY = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
LATE = datetime(2024, 6, 1, 8, 30, tzinfo=UTC)


async def test_inserts_a_missing_row(runtime: Runtime) -> None:
    wrote = await upsert(Greeting, conflict=KEY, values={"guild_id": GUILD, "user_id": USER, "last_at": EARLY})
    assert wrote
    row = await Greeting.get(guild_id=GUILD, user_id=USER)
    assert row.last_at == EARLY
    assert row.count == 0  # the model's default for a field left out


async def test_updates_the_existing_row_and_only_the_given_fields(runtime: Runtime) -> None:
    await upsert(Greeting, conflict=KEY, values={"guild_id": GUILD, "user_id": USER, "count": 7, "last_at": EARLY})
    await upsert(
        Greeting,
        conflict=KEY,
        values={"guild_id": GUILD, "user_id": USER, "count": 1, "last_at": LATE},
        update=["last_at"],
    )
    rows = await Greeting.filter(guild_id=GUILD).values_list("user_id", "count", "last_at")
    assert rows == [(USER, 7, LATE)]


async def test_update_nothing_keeps_the_row(runtime: Runtime) -> None:
    await upsert(Greeting, conflict=KEY, values={"guild_id": GUILD, "user_id": USER, "last_at": EARLY})
    kept = await upsert(Greeting, conflict=KEY, values={"guild_id": GUILD, "user_id": USER, "last_at": LATE}, update=[])
    assert not kept
    assert (await Greeting.get(guild_id=GUILD, user_id=USER)).last_at == EARLY


async def test_increment_starts_new_rows_at_the_amount_and_adds_to_existing_ones(runtime: Runtime) -> None:
    values = {"guild_id": GUILD, "user_id": USER, "last_at": EARLY}
    await upsert(Greeting, conflict=KEY, values=values, increment={"count": 3})
    assert (await Greeting.get(guild_id=GUILD, user_id=USER)).count == 3
    await upsert(Greeting, conflict=KEY, values={**values, "last_at": LATE}, increment={"count": 4})
    row = await Greeting.get(guild_id=GUILD, user_id=USER)
    assert (row.count, row.last_at) == (7, LATE)
    # A given value is the new row's base, not what an existing row is set to.
    await upsert(Greeting, conflict=KEY, values={**values, "user_id": USER + 1, "count": 10}, increment={"count": 5})
    await upsert(Greeting, conflict=KEY, values={**values, "user_id": USER + 1, "count": 10}, increment={"count": 5})
    assert (await Greeting.get(guild_id=GUILD, user_id=USER + 1)).count == 20


async def test_at_most_leaves_a_row_that_would_pass_the_ceiling(runtime: Runtime) -> None:
    values = {"guild_id": GUILD, "user_id": USER, "last_at": EARLY}
    assert await upsert(Greeting, conflict=KEY, values=values, increment={"count": 2}, at_most={"count": 3})
    assert not await upsert(
        Greeting, conflict=KEY, values={**values, "last_at": LATE}, increment={"count": 2}, at_most={"count": 3}
    )
    row = await Greeting.get(guild_id=GUILD, user_id=USER)
    assert (row.count, row.last_at) == (2, EARLY)
    assert await upsert(Greeting, conflict=KEY, values=values, increment={"count": 1}, at_most={"count": 3})
    assert (await Greeting.get(guild_id=GUILD, user_id=USER)).count == 3


async def test_fifty_concurrent_upserts_of_one_key_leave_one_row_with_the_total(runtime: Runtime) -> None:
    values = {"guild_id": GUILD, "user_id": USER, "last_at": EARLY}
    results = await asyncio.gather(
        *(upsert(Greeting, conflict=KEY, values=values, increment={"count": 2}) for _ in range(50))
    )
    assert all(results)
    rows = await Greeting.filter(guild_id=GUILD).values_list("user_id", "count")
    assert rows == [(USER, 100)]


async def test_runs_inside_a_transaction(runtime: Runtime) -> None:
    values = {"guild_id": GUILD, "user_id": USER, "last_at": EARLY}
    with pytest.raises(RuntimeError):
        async with in_transaction() as conn:
            await upsert(Greeting, conflict=KEY, values=values, increment={"count": 1}, connection=conn)
            assert await Greeting.filter(guild_id=GUILD).using_db(conn).count() == 1
            raise RuntimeError("roll back")
    assert not await Greeting.filter(guild_id=GUILD).exists()


async def test_unknown_fields_are_named(runtime: Runtime) -> None:
    with pytest.raises(ValueError, match="colour"):
        await upsert(Greeting, conflict=KEY, values={"guild_id": GUILD, "user_id": USER, "colour": "red"})


async def test_user_registry_keeps_first_seen_and_timezone_across_upserts(runtime: Runtime, gk_clock) -> None:
    users = runtime.users
    await asyncio.gather(*(users.seen(USER, f"alice{i}", "de") for i in range(5)))  # first sightings race
    first = await UserProfile.get(id=USER)
    assert first.timezone == "UTC" and first.locale == "de"
    gk_clock.advance(minutes=10)
    assert await users.set_timezone(USER, "alice", "europe/berlin") == "Europe/Berlin"
    users.forget(USER)  # forget() marks the user as written; a later sighting is after the TTL
    gk_clock.advance(minutes=10)
    await users.seen(USER, "Alice B", "fr")
    row = await UserProfile.get(id=USER)
    assert (row.display_name, row.locale, row.timezone) == ("Alice B", "fr", "Europe/Berlin")
    assert row.first_seen == first.first_seen and row.last_seen > first.last_seen
    await users.set_timezone(USER + 1, "bob", "UTC")  # never seen before: a row with the zone
    assert (await UserProfile.get(id=USER + 1)).timezone == "UTC"


async def test_insert_many_writes_every_row_and_applies_the_conflict_clause(runtime: Runtime) -> None:
    """More rows than one SQLite statement takes (500), some of them twice: the tail's
    ``ON CONFLICT`` adds them up, on both databases."""
    conn = Greeting._meta.db
    head = 'INSERT INTO "toy_greeting" ("guild_id", "user_id", "count", "last_at")'
    tail = 'ON CONFLICT ("guild_id", "user_id") DO UPDATE SET "count" = "toy_greeting"."count" + excluded."count"'
    at = Greeting._meta.fields_map["last_at"].to_db_value(EARLY, Greeting)
    rows = [[GUILD, user, 1, at] for user in range(1200)]
    await insert_many(conn, head, 4, tail, rows)
    await insert_many(conn, head, 4, tail, rows[:700])
    counts = dict(await Greeting.filter(guild_id=GUILD).values_list("user_id", "count"))
    assert len(counts) == 1200
    assert all(counts[user] == (2 if user < 700 else 1) for user in range(1200))


async def test_upsert_many_adds_and_keeps_the_larger_value(runtime: Runtime) -> None:
    at = Greeting._meta.fields_map["last_at"]
    columns = ("guild_id", "user_id", "count", "last_at")
    first = [(GUILD, USER, 2, at.to_db_value(LATE, Greeting)), (GUILD, USER + 1, 1, at.to_db_value(EARLY, Greeting))]
    again = [(GUILD, USER, 3, at.to_db_value(EARLY, Greeting)), (GUILD, USER + 1, 1, at.to_db_value(LATE, Greeting))]
    for rows in (first, again):
        await upsert_many(Greeting, columns, rows, conflict=KEY, add=("count",), largest=("last_at",))
    rows = await Greeting.filter(guild_id=GUILD).order_by("user_id").values_list("user_id", "count", "last_at")
    assert rows == [(USER, 5, LATE), (USER + 1, 2, LATE)]
