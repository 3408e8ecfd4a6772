"""Command usage counted per UTC hour, guild and command, on a real SQLite file and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from typing import Any

import asyncpg

from guildkit.core.config import parse_config
from guildkit.core.models import CommandUsageHour
from guildkit.core.runtime import Runtime
from guildkit.core.testing.databases import postgres_admin_url
from guildkit.core.testing.harness import eventually
from guildkit.core.testing.pytest_plugin import TEST_EPOCH
from guildkit.core.usage import ROWS_PER_BATCH, UsageRecorder, command_stats

GUILD = 4040
NOON = TEST_EPOCH  # 12:00 UTC


def use(
    recorder: UsageRecorder,
    command: str = "greet",
    *,
    guild_id: int | None = GUILD,
    latency_ms: float = 10,
    success: bool = True,
) -> None:
    recorder.record(
        command=command, plugin="greeter", guild_id=guild_id, user_id=7, latency_ms=latency_ms, success=success
    )


async def hourly_rows() -> list[tuple[Any, ...]]:
    return (
        await CommandUsageHour.all()
        .order_by("guild_id", "hour", "command")
        .values_list("hour", "guild_id", "command", "uses", "failures", "latency_ms_total", "latency_ms_max")
    )


async def test_uses_are_counted_in_the_utc_hour_they_happen_and_dms_under_guild_zero(
    runtime: Runtime, gk_clock: Any
) -> None:
    recorder = runtime.usage
    gk_clock.set(NOON + timedelta(minutes=59, seconds=59))
    use(recorder, latency_ms=10.9)
    use(recorder, latency_ms=30, success=False)
    use(recorder, "timezone", guild_id=None, latency_ms=2)
    gk_clock.advance(seconds=1)  # 13:00:00 belongs to the next hour
    use(recorder, latency_ms=5)
    assert await recorder.flush() == 4
    one = NOON + timedelta(hours=1)
    assert await hourly_rows() == [
        (NOON, 0, "timezone", 1, 0, 2, 2),
        (NOON, GUILD, "greet", 2, 1, 40, 30),
        (one, GUILD, "greet", 1, 0, 5, 5),
    ]
    # From the start of the hour "since" falls in, both hours added up.
    stats = await command_stats(GUILD, NOON + timedelta(minutes=30))
    assert stats == [{"command": "greet", "uses": 3, "fails": 1, "avg_ms": 15.0}]
    assert await command_stats(GUILD, one) == [{"command": "greet", "uses": 1, "fails": 0, "avg_ms": 5.0}]


async def test_each_flush_adds_to_the_row_already_there(runtime: Runtime, gk_clock: Any) -> None:
    recorder = runtime.usage
    for latency in (20, 3):
        use(recorder, latency_ms=latency)
    await recorder.flush()
    use(recorder, latency_ms=8, success=False)
    await recorder.flush()
    use(recorder, latency_ms=50)
    await recorder.flush()
    assert await recorder.flush() == 0  # nothing left
    assert await hourly_rows() == [(NOON, GUILD, "greet", 4, 1, 81, 50)]


async def test_two_recorders_flushing_at_once_keep_every_use(runtime: Runtime, gk_clock: Any) -> None:
    """Two recorders (two bot processes) and overlapping flushes of one recorder, into the same
    rows and more rows than one batch: every use is counted once."""
    recorders = [runtime.usage, UsageRecorder()]
    commands = [f"c{i}" for i in range(ROWS_PER_BATCH + 100)]
    for round_ in range(3):
        for number, recorder in enumerate(recorders):
            # The second writes the keys in the other order: rows are locked in key order anyway.
            for command in commands if number == 0 else reversed(commands):
                use(recorder, command, latency_ms=round_ + number)
        flushing = [asyncio.create_task(recorder.flush()) for recorder in recorders]
        await asyncio.sleep(0)  # both have taken their counts and are writing them
        use(recorders[0], "c0", latency_ms=99)
        flushing.append(asyncio.create_task(recorders[0].flush()))  # overlaps the first
        await asyncio.gather(*flushing)
    # Flushes a full buffer started by itself, then the last one of a shutdown.
    await asyncio.gather(*(recorder.stop() for recorder in recorders))
    rows = {command: (uses, total, top) for _, _, command, uses, _, total, top in await hourly_rows()}
    assert len(rows) == len(commands)
    assert rows["c0"] == (3 * 2 + 3, 0 + 1 + 1 + 2 + 2 + 3 + 3 * 99, 99)
    assert all(rows[command] == (6, 9, 3) for command in commands[1:])


async def test_a_full_buffer_is_written_without_waiting(runtime: Runtime, gk_clock: Any) -> None:
    recorder = UsageRecorder(flush_seconds=3600, max_buffer=3)
    for command in ("a", "b", "a", "c"):  # the third distinct command starts a flush
        use(recorder, command)

    async def written() -> bool:
        return await CommandUsageHour.all().count() == 3

    await eventually(written)
    await recorder.stop()
    assert [(row[2], row[3]) for row in await hourly_rows()] == [("a", 2), ("b", 1), ("c", 1)]


@contextmanager
def sqlite_write_lock(runtime: Runtime) -> Iterator[None]:
    """Another connection holds the SQLite file's write lock: the bot's writes wait for its busy
    timeout, then fail as an outage."""
    blocker = sqlite3.connect(runtime.database.connection["credentials"]["file_path"], timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        blocker.rollback()
        blocker.close()


@asynccontextmanager
async def database_unreachable(runtime: Runtime) -> AsyncIterator[None]:
    """SQLite: another connection holds the write lock. PostgreSQL: the database refuses
    connections and the bot's are terminated."""
    if runtime.database.dialect == "sqlite":
        with sqlite_write_lock(runtime):
            yield
        return
    name = runtime.database.connection["credentials"]["database"]
    admin = await asyncpg.connect(str(postgres_admin_url()).replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        yield
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()


async def test_counts_kept_during_an_outage_are_written_when_it_ends(
    gk_database_url: str, gk_plugins: list[Any], gk_clock: Any
) -> None:
    config = parse_config({"database": {"url": gk_database_url, "sqlite_busy_timeout_ms": 50}})
    runtime = Runtime(config, extra_plugins=gk_plugins)
    await runtime.open_database()
    recorder = runtime.usage
    try:
        use(recorder, latency_ms=40)
        async with database_unreachable(runtime):
            use(recorder, latency_ms=10, success=False)
            assert await recorder.flush() == 0  # kept in memory
            use(recorder, latency_ms=20)
            use(recorder, "timezone", guild_id=None)
            gk_clock.advance(hours=1)
            use(recorder, latency_ms=5)
            assert await recorder.flush() == 0

        async def written() -> bool:
            await recorder.flush()
            return await CommandUsageHour.all().count() == 3

        await eventually(written)
        assert await hourly_rows() == [
            (NOON, 0, "timezone", 1, 0, 10, 10),
            (NOON, GUILD, "greet", 3, 1, 70, 40),
            (NOON + timedelta(hours=1), GUILD, "greet", 1, 0, 5, 5),
        ]
    finally:
        await runtime.close_database()


@asynccontextmanager
async def writes_wait(runtime: Runtime) -> AsyncIterator[None]:
    """Writes to the hourly table wait (they do not fail) until the block ends. SQLite: another
    connection holds the write lock, within the bot's busy timeout. PostgreSQL: another
    transaction holds a lock on the table that inserts wait for."""
    if runtime.database.dialect == "sqlite":
        with sqlite_write_lock(runtime):
            yield
        return
    name = runtime.database.connection["credentials"]["database"]
    url = str(postgres_admin_url()).replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + f"/{name}"
    admin = await asyncpg.connect(url)
    try:
        transaction = admin.transaction()
        await transaction.start()
        await admin.execute('LOCK TABLE "gk_command_usage_hour" IN EXCLUSIVE MODE')
        try:
            yield
        finally:
            await transaction.rollback()
    finally:
        await admin.close()


async def test_stopping_while_a_flush_waits_for_the_database_loses_no_use(runtime: Runtime, gk_clock: Any) -> None:
    # A shutdown used to cancel the periodic flush in the middle of its write: the counts it had
    # taken were gone (PostgreSQL cancels the statement). Now the flush in progress finishes first.
    recorder = UsageRecorder(flush_seconds=0.05)
    use(recorder, latency_ms=10)
    use(recorder, latency_ms=30, success=False)
    async with writes_wait(runtime):
        recorder.start()

        async def flush_waiting() -> bool:  # the periodic flush took the counts and waits
            return recorder._periodic.running

        await eventually(flush_waiting)
        stopping = asyncio.create_task(recorder.stop())
        await asyncio.sleep(0.2)
        assert not stopping.done()  # the stop waits for the flush in progress
    await stopping
    assert await hourly_rows() == [(NOON, GUILD, "greet", 2, 1, 40, 30)]
