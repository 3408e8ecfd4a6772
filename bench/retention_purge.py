"""Purge 1,000,000 expired rows while the bot answers slash commands; print how slow answers got.

    python bench/retention_purge.py [--rows 1000000] [--postgres URL]

For each database (a SQLite file, and PostgreSQL when --postgres or GUILDKIT_TEST_POSTGRES_URL is
given) it fills gk_command_usage_hour (hourly command usage) with expired rows, then runs the
retention engine (batches of bot.toml's retention.batch_size, 5,000 by default) while one member
sends /timezone back to back through the local Discord emulator to the real client. It prints the
purge time and the answer latency before and during the purge (p50, p99, slowest).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from guildkit.core import clock
from guildkit.core.testing.databases import fresh_database
from guildkit.core.testing.emulator import DiscordEmulator
from guildkit.core.testing.harness import GuildkitHarness


def expired_rows(rows: int) -> list[tuple[datetime, int, str, str, int, int, int, int]]:
    """``rows`` distinct hourly usage rows a year old: 50 commands in 1,000 guilds per hour."""
    hour = clock.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=365)
    return [
        (
            hour - timedelta(hours=i // 50_000),
            1 + (i // 50) % 1000,
            f"cmd{i % 50}",
            "core",
            3,
            0,
            3 * (i % 200),
            i % 200,
        )
        for i in range(rows)
    ]


COLUMNS = ("hour", "guild_id", "command", "plugin", "uses", "failures", "latency_ms_total", "latency_ms_max")


async def fill(harness: GuildkitHarness, rows: int) -> float:
    runtime = harness.bot
    started = time.perf_counter()
    conn = runtime.db_connection()
    records = expired_rows(rows)
    if runtime.database.dialect == "postgres":
        async with conn.acquire_connection() as raw:
            await raw.copy_records_to_table("gk_command_usage_hour", records=records, columns=COLUMNS)
    else:
        chunk = 50_000
        names = ",".join(f'"{name}"' for name in COLUMNS)
        for start in range(0, rows, chunk):
            await conn.execute_many(
                f'INSERT INTO "gk_command_usage_hour" ({names}) VALUES (?,?,?,?,?,?,?,?)',
                [(hour.isoformat(), *rest) for hour, *rest in records[start : start + chunk]],
            )
    return time.perf_counter() - started


def describe(latencies: list[float]) -> str:
    if not latencies:
        return "no answers"
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{len(ordered)} answers, p50 {statistics.median(ordered) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, slowest {ordered[-1] * 1000:.1f} ms"
    )


async def answer_loop(member: object, stop: asyncio.Event, latencies: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        reply = await member.slash("timezone")  # type: ignore[attr-defined]
        latencies.append(time.perf_counter() - started)
        assert "Your timezone" in reply.content


async def run_one(dialect: str, rows: int, scratch: Path) -> None:
    async with fresh_database(dialect, scratch / dialect) as url, DiscordEmulator() as emulator:
        harness = GuildkitHarness(emulator, url, clock.current(), config={"logging": {"level": "WARNING"}})
        try:
            await harness.start()
            guild = await harness.guild("Bench", plugins=[])
            member = await guild.member("alice")
            fill_seconds = await fill(harness, rows)

            stop = asyncio.Event()
            baseline: list[float] = []
            loop = asyncio.create_task(answer_loop(member, stop, baseline))
            await asyncio.sleep(2)
            stop.set()
            await loop

            during: list[float] = []
            stop = asyncio.Event()
            loop = asyncio.create_task(answer_loop(member, stop, during))
            started = time.perf_counter()
            results = await harness.bot.retention.run()
            purge_seconds = time.perf_counter() - started
            stop.set()
            await loop
            purged = sum(r.rows for r in results if r.policy == "command_usage")
            print(f"[{dialect}] filled {rows:,} expired rows in {fill_seconds:.1f} s")
            print(
                f"[{dialect}] purged {purged:,} rows in {purge_seconds:.1f} s "
                f"({purged / purge_seconds:,.0f} rows/s, batches of {harness.bot.retention.batch_size:,})"
            )
            print(f"[{dialect}] answers before the purge: {describe(baseline)}")
            print(f"[{dialect}] answers during the purge: {describe(during)}")
        finally:
            await harness.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("GUILDKIT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.postgres:
        os.environ["GUILDKIT_TEST_POSTGRES_URL"] = args.postgres
    with tempfile.TemporaryDirectory() as scratch:
        await run_one("sqlite", args.rows, Path(scratch))
        if args.postgres:
            await run_one("postgres", args.rows, Path(scratch))
        else:
            print("[postgres] skipped: pass --postgres URL or set GUILDKIT_TEST_POSTGRES_URL")


if __name__ == "__main__":
    asyncio.run(main())
