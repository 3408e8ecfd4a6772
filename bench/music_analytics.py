"""Seed 000's music reads and writes through the music plugin's service, at 10,000,000 plays on
PostgreSQL and 1,000,000 on SQLite.

    /work/venv/bin/python bench/music_analytics.py [--postgres-rows 10000000] [--sqlite-rows 1000000]
        [--guilds 1000] [--users 100000] [--postgres URL] [--repeat 200]

Creates a fresh database per dialect with guildkit's migrations, fills ``music_play`` with plays
spread over the last 90 days (history older than that is folded into rollups by retention), 1,000
guilds, 100,000 members and 20,000 tracks with a skewed popularity, plus one preference row per
member, then times (median and p95 of ``--repeat`` runs, on random guilds and members) what seed
000 measures: preferences, 50 history rows, user stats, guild analytics over 7 and 90 days, and
adding a history row. PostgreSQL is skipped without ``--postgres`` or
``GUILDKIT_TEST_POSTGRES_URL`` (an admin URL; a database is created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from guildkit.core import clock
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.core.testing.databases import fresh_postgres
from guildkit.plugins.music.models import MusicPlay
from guildkit.plugins.music.service import history
from guildkit.plugins.music.service.history import HistoryWriter, PlayRecord
from guildkit.plugins.music.service.preferences import PreferenceCache

MIGRATIONS = Path(__file__).resolve().parent.parent / "plugins" / "music" / "migrations"

#: Seed 000's targets (ms); the aim is a tenth of each.
TARGETS = {
    "preferences": 1.0,
    "preferences, first read": 1.0,
    "history(50)": 5.0,
    "user stats": 10.0,
    "guild analytics 7 days": 50.0,
    "guild analytics 90 days": 50.0,
    "add a history row": 5.0,
}
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
GUILD0, USER0 = 10_000, 1_000_000
COLUMNS = [
    "guild_id",
    "user_id",
    "title",
    "artist",
    "duration_ms",
    "source",
    "played_at",
    "played_hour",
    "listened_ms",
    "completed",
    "outcome",
]


def plays(rows: int, guilds: int, users: int, tracks: int, seed: int = 1):
    rng = random.Random(seed)
    span = 90 * 86_400
    catalog = [(f"Track {n}", f"Artist {n % 2000}", 120_000 + (n * 7919) % 180_000) for n in range(tracks)]
    for _ in range(rows):
        title, artist, length = catalog[
            min(int(rng.paretovariate(1.2)) - 1, tracks - 1) if rng.random() < 0.5 else rng.randrange(tracks)
        ]
        at = NOW - timedelta(seconds=rng.randrange(span))
        completed = rng.random() < 0.8
        yield (
            GUILD0 + rng.randrange(guilds),
            USER0 + rng.randrange(users),
            title,
            artist,
            length,
            "youtube",
            at,
            at.hour,
            length if completed else rng.randrange(length),
            completed,
            "completed" if completed else "skipped",
        )


async def fill(args: argparse.Namespace, rows: int) -> None:
    conn = MusicPlay._meta.db
    postgres = conn.capabilities.dialect == "postgres"
    began = time.perf_counter()
    batch: list[tuple] = []
    done = 0
    # Bulk loading: indexes are built once at the end (as a restore does), not row by row.
    # (music_day_hours keeps its constraint: the backfill adds last listeners to its rows.)
    rebuild = await _drop_indexes(conn, postgres, BULK_TABLES if postgres else ("music_play",))

    async def flush() -> None:
        if postgres:
            async with conn.acquire_connection() as raw:
                await raw.copy_records_to_table("music_play", records=batch, columns=COLUMNS)
        else:
            await conn.execute_many(
                f"INSERT INTO music_play ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                [(*r[:6], r[6].isoformat(sep=" "), *r[7:]) for r in batch],
            )

    for row in plays(rows, args.guilds, args.users, args.tracks):
        batch.append(row)
        if len(batch) >= 100_000:
            await flush()
            done += len(batch)
            batch = []
            print(f"  {done:,} plays ({time.perf_counter() - began:.0f} s)", end="\r", flush=True)
    if batch:
        await flush()
    prefs = [(GUILD0 + u % args.guilds, USER0 + u, 60 + u % 80, "flat", NOW) for u in range(args.users)]
    # The analytics counters (plays per guild, day and hour; per track and day; each member's last
    # play per guild) from the plays, with the SQL the upgrade that introduced them runs.
    counted = time.perf_counter()
    backfill = backfill_sql("postgres" if postgres else "sqlite")
    if postgres:  # the tables start empty; their unique constraints come back at the end
        backfill = ";".join(
            part if '"music_day_hours"' in part else re.sub(r"\nON CONFLICT .*", "", part, flags=re.S)
            for part in backfill.split(";")
        )
    await conn.execute_script(backfill)
    print(f"  counters from the plays in {time.perf_counter() - counted:.1f} s")
    indexed = time.perf_counter()
    await conn.execute_script(";\n".join(rebuild))
    print(f"  indexes built in {time.perf_counter() - indexed:.1f} s")
    if postgres:
        async with conn.acquire_connection() as raw:
            await raw.copy_records_to_table(
                "music_preference",
                records=prefs,
                columns=["guild_id", "user_id", "volume", "eq_preset", "updated_at"],
            )
        async with conn.acquire_connection() as raw:
            # What autovacuum does to an insert-only table: the visibility map lets the covering
            # indexes answer without visiting the table.
            await raw.execute("VACUUM ANALYZE music_play")
            await raw.execute("VACUUM ANALYZE music_preference")
            for table in COUNTER_TABLES[1:]:
                await raw.execute(f"VACUUM ANALYZE {table}")
    else:
        await conn.execute_many(
            "INSERT INTO music_preference (guild_id, user_id, volume, eq_preset, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(*p[:4], p[4].isoformat(sep=" ")) for p in prefs],
        )
        await conn.execute_script("ANALYZE")
    print(f"  filled {rows:,} plays and {args.users:,} preferences in {time.perf_counter() - began:.1f} s")


COUNTER_TABLES = ("music_play", "music_day_hours", "music_daily_track", "music_guild_listener", "music_guild_track")
BULK_TABLES = tuple(table for table in COUNTER_TABLES if table != "music_day_hours")


async def _drop_indexes(conn: Any, postgres: bool, tables: tuple[str, ...]) -> list[str]:
    """Drop the secondary indexes (and, on PostgreSQL, unique constraints) of ``tables``; returns
    the statements that build them again."""
    if postgres:
        _, constraints = await conn.execute_query(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'u' AND conrelid::regclass::text = ANY($1)",
            [list(tables)],
        )
        _, indexes = await conn.execute_query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY($1) AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
            [list(tables)],
        )
        for table, name, _ in constraints:
            await conn.execute_script(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            await conn.execute_script(f'DROP INDEX "{name}"')
        return [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in constraints] + [d for _, d in indexes]
    marks = ", ".join("?" * len(tables))
    _, indexes = await conn.execute_query(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        list(tables),
    )
    for name, _ in indexes:
        await conn.execute_script(f'DROP INDEX "{name}"')
    return [sql for _, sql in indexes]


def backfill_sql(dialect: str) -> str:
    """The BACKFILL statements of the music migration that introduced the analytics counters."""
    import importlib.util

    (path,) = (MIGRATIONS / dialect).glob("1_*_analytics_counters.py")
    spec = importlib.util.spec_from_file_location("music_counters_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.BACKFILL)


async def timed(
    label: str,
    make: Callable[[random.Random], Awaitable[object]],
    repeat: int,
    *,
    finish: Callable[[], Awaitable[object]] | None = None,
) -> tuple[float, float]:
    """Median and p95 of ``repeat`` calls; with ``finish`` (a write-behind buffer's flush), the
    mean per call including the finish is what counts: what a call costs in the end."""
    rng = random.Random(7)
    for _ in range(10):
        await make(rng)
    if finish is not None:
        await finish()
    samples = []
    began_all = time.perf_counter()
    for _ in range(repeat):
        began = time.perf_counter()
        await make(rng)
        samples.append((time.perf_counter() - began) * 1000)
    if finish is not None:
        began = time.perf_counter()
        await finish()
        samples[-1] += (time.perf_counter() - began) * 1000
    total = (time.perf_counter() - began_all) * 1000
    median = statistics.median(samples)
    p95 = sorted(samples)[max(0, int(repeat * 0.95) - 1)]
    aim = TARGETS[label] / 10
    figure = total / repeat if finish is not None else median
    verdict = "meets" if figure <= aim else "MISSES"
    extra = f"   mean with flushes {figure:7.3f} ms" if finish is not None else ""
    print(f"  {label:<24} median {median:7.3f} ms   p95 {p95:7.3f} ms{extra}   {verdict} the aim of {aim:g} ms")
    return median, p95


async def run(url: str, label: str, rows: int, args: argparse.Namespace) -> None:
    print(f"{label}: {rows:,} plays, {args.guilds:,} guilds, {args.users:,} members, {args.tracks:,} tracks")
    runtime = Runtime(parse_config({"database": {"url": url}}))
    await runtime.open_database(migrate=True)
    previous = clock.use(clock.ManualClock(NOW))
    try:
        await fill(args, rows)

        def guild(rng: random.Random) -> int:
            return GUILD0 + rng.randrange(args.guilds)

        def user(rng: random.Random) -> int:
            return USER0 + rng.randrange(args.users)

        cache = PreferenceCache()
        # Members who start playback again (what the bot reads most): a few hundred, each read
        # before; the first read of each goes to the database (measured apart below).
        regulars = random.Random(3).sample(range(args.users), 500)
        for u in regulars:
            await cache.get(GUILD0 + u % args.guilds, USER0 + u)

        async def prefs(rng: random.Random) -> object:
            u = rng.choice(regulars)
            return await cache.get(GUILD0 + u % args.guilds, USER0 + u)

        async def prefs_first(rng: random.Random) -> object:
            u = rng.randrange(args.users)
            return await PreferenceCache().get(GUILD0 + u % args.guilds, USER0 + u)

        async def recent(rng: random.Random) -> object:
            rows_read = await history.history(guild(rng), limit=50)
            assert len(rows_read) == 50
            return rows_read

        async def stats(rng: random.Random) -> object:
            return await history.user_stats(guild(rng), user(rng))

        async def week(rng: random.Random) -> object:
            return await history.guild_analytics(guild(rng), 7)

        async def quarter(rng: random.Random) -> object:
            return await history.guild_analytics(guild(rng), 90)

        writer = HistoryWriter() if args.batch is None else HistoryWriter(batch=args.batch)

        async def add(rng: random.Random) -> None:
            await writer.add(
                PlayRecord(guild(rng), user(rng), "New Song", "New Artist", 200_000, "youtube", None, NOW, 200_000)
            )

        # The counters must say what the plays say (the same figures the service read before).
        check = await history.guild_analytics(GUILD0, 90)
        since = datetime.combine((NOW - timedelta(days=90)).date(), datetime.min.time(), tzinfo=UTC)
        in_range = MusicPlay.filter(guild_id=GUILD0, played_at__gte=since)
        assert check.total_plays == await in_range.count(), "counters and plays disagree"
        assert check.unique_users == len(set(await in_range.values_list("user_id", flat=True)))

        await timed("preferences", prefs, args.repeat)
        await timed("preferences, first read", prefs_first, args.repeat)
        await timed("history(50)", recent, args.repeat)
        await timed("user stats", stats, args.repeat)
        await timed("guild analytics 7 days", week, args.repeat)
        await timed("guild analytics 90 days", quarter, args.repeat)
        # Enough plays for the buffer to fill and write itself twice (500 a batch by default).
        await timed("add a history row", add, max(args.repeat, 2 * writer.batch), finish=writer.flush)
    finally:
        clock.use(previous)
        await runtime.close_database()


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-rows", type=int, default=10_000_000)
    parser.add_argument("--sqlite-rows", type=int, default=1_000_000)
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--tracks", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--batch", type=int, help="plays per write of the history buffer (the plugin's default)")
    parser.add_argument("--postgres", default=os.environ.get("GUILDKIT_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            await run(f"sqlite://{Path(tmp) / 'music.db'}", "SQLite", args.sqlite_rows, args)
    if args.postgres and not args.skip_postgres:
        async with fresh_postgres(args.postgres) as url:
            await run(url, "PostgreSQL", args.postgres_rows, args)
    else:
        print("PostgreSQL: skipped (no --postgres / GUILDKIT_TEST_POSTGRES_URL)")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
