"""Leaderboard query time at 1,000,000 member rows across 100 guilds, on SQLite and PostgreSQL.

    /work/venv/bin/python bench/leveling_leaderboard.py [--rows 1000000] [--guilds 100] [--postgres URL]

Creates a fresh database per dialect with guildkit's migrations (the leveling tables with their
``(guild_id, xp)`` index), fills ``leveling_member`` with random XP, then times, median of
``--repeat`` runs in one guild: the top-10 query alone, and the whole ``/leaderboard`` page read
(``service.leaderboard_page``: the count of ranked members plus the page). PostgreSQL is skipped
without ``--postgres`` or ``GUILDKIT_TEST_POSTGRES_URL`` (an admin URL; a database is created and
dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.core.testing.databases import fresh_postgres
from guildkit.plugins.leveling import service
from guildkit.plugins.leveling.curve import Curve
from guildkit.plugins.leveling.models import Member


async def fill(rows: int, guilds: int) -> None:
    conn = Member._meta.db
    postgres = conn.capabilities.dialect == "postgres"
    rng = random.Random(1)
    per_guild = rows // guilds
    batch: list[tuple[int, int, int, int]] = []
    began = time.perf_counter()
    for g in range(guilds):
        guild_id = 10_000 + g
        for u in range(per_guild):
            batch.append((guild_id, 1_000_000 + u, rng.randint(0, 2_000_000), rng.randint(0, 5000)))
        if len(batch) >= 50_000 or g == guilds - 1:
            if postgres:
                async with conn.acquire_connection() as raw:
                    await raw.copy_records_to_table(
                        "leveling_member",
                        records=[(*r, 0, 0, 0, 0, 1.0) for r in batch],
                        columns=[
                            "guild_id",
                            "user_id",
                            "xp",
                            "messages",
                            "level",
                            "reactions",
                            "voice_seconds",
                            "commands_used",
                            "boost",
                        ],
                    )
            else:
                await conn.execute_many(
                    "INSERT INTO leveling_member (guild_id, user_id, xp, messages, level, reactions, voice_seconds, "
                    "commands_used, boost) VALUES (?, ?, ?, ?, 0, 0, 0, 0, 1.0)",
                    batch,
                )
            batch = []
    if postgres:
        await conn.execute_script("ANALYZE leveling_member")
    else:
        await conn.execute_script("ANALYZE")
    print(f"  filled {rows:,} rows in {guilds} guilds in {time.perf_counter() - began:.1f} s")


async def timed(label: str, make, repeat: int) -> float:
    for _ in range(5):
        await make()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        await make()
        samples.append((time.perf_counter() - began) * 1000)
    median = statistics.median(samples)
    print(f"  {label}: median {median:.2f} ms, p95 {sorted(samples)[int(repeat * 0.95) - 1]:.2f} ms")
    return median


async def run(url: str, label: str, args: argparse.Namespace) -> None:
    print(f"{label}:")
    runtime = Runtime(parse_config({"database": {"url": url}}))
    await runtime.open_database(migrate=True)
    try:
        await fill(args.rows, args.guilds)
        guild_id = 10_000 + args.guilds // 2
        curve = Curve("mee6", 100, 1.0, 500)
        # The bot keeps this count cache on its LevelingState; the benchmark holds its own.
        ranked_counts = service.guild_cache()

        async def top10() -> None:
            rows = await Member.filter(guild_id=guild_id).order_by("-xp").limit(10).values_list("user_id", "xp")
            assert len(rows) == 10

        async def page() -> None:
            board = await service.leaderboard_page(guild_id, "xp", 1, curve, ranked_counts)
            assert len(board.entries) == 10

        async def cold_page() -> None:
            ranked_counts.clear()  # the page count is cached for 30 s; measure it uncached too
            await page()

        await timed("top-10 query (ORM)", top10, args.repeat)
        await timed("/leaderboard page, count cached (count + top 10)", page, args.repeat)
        await timed("/leaderboard page, count not cached", cold_page, args.repeat)
    finally:
        await runtime.close_database()


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--guilds", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get("GUILDKIT_TEST_POSTGRES_URL"))
    args = parser.parse_args(argv)
    print(f"leaderboard: {args.rows:,} member rows across {args.guilds} guilds; one guild's page, {args.repeat} runs")
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite://{Path(tmp) / 'leaderboard.db'}", "SQLite", args)
    if args.postgres:
        async with fresh_postgres(args.postgres) as url:
            await run(url, "PostgreSQL", args)
    else:
        print("PostgreSQL: skipped (no --postgres / GUILDKIT_TEST_POSTGRES_URL)")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
