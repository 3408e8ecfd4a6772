"""10,000 reminders due in the same minute, delivered through the local Discord.

    python bench/reminders_due.py [--n 10000] [--dialect sqlite|postgres|both]

PostgreSQL needs GUILDKIT_TEST_POSTGRES_URL (a fresh database is made and dropped). The emulator
runs in this process; the bot (the real client, the reminders plugin, the core scheduler) runs in
a process of its own on a fresh database holding ``--n`` reminders (rows and their jobs, as
/remind stores them) due spread over one minute that starts 15 s after the bot is up.

Prints, per database: lateness of each delivery (the emulator's receive time minus the due time)
as p50 / p99 / max, throughput, and the exactly-once check: messages posted, distinct reminders
posted, reminders recorded as delivered; the run fails unless all three equal ``--n``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from guildkit.core.config import parse_config
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime
from guildkit.core.testing.databases import fresh_database
from guildkit.core.testing.emulator import DiscordEmulator

BOT = """
import asyncio, sys
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime

async def main():
    config = parse_config({{"bot": {{"api_base": {api!r}}}, "database": {{"url": {url!r}, "migrate_on_start": False}},
                           "scheduler": {{"poll_seconds": 0.5}}, "logging": {{"level": "WARNING"}}}})
    runtime = Runtime(config, rest_requests_per_second=100000)
    await runtime.start({token!r})
    print("READY", flush=True)
    try:
        await asyncio.sleep(3600)
    finally:
        await runtime.close()

asyncio.run(main())
"""
NUMBER = re.compile(r"bench (\d+)$", re.MULTILINE)


async def run_one(dialect: str, n: int, workdir: Path) -> dict[str, float]:
    async with AsyncExitStack() as stack:
        url = await stack.enter_async_context(fresh_database(dialect, workdir))
        emulator = DiscordEmulator()
        await emulator.start()
        stack.push_async_callback(emulator.stop)
        guild = emulator.create_guild("Bench")
        member = await guild.member("alice")
        channel_id = guild.channel("general").id
        from guildkit.plugins.reminders.models import Reminder

        setup = Runtime(parse_config({"database": {"url": url}}))
        await setup.open_database()
        await setup.set_plugin_enabled(guild.id, "reminders", True, None)
        await setup.close_database()

        script = workdir / f"bot-{dialect}.py"
        script.write_text(BOT.format(api=emulator.api_base, url=url, token=emulator.token))
        bot = await asyncio.create_subprocess_exec(
            sys.executable, str(script), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
        )
        stack.push_async_callback(_stop, bot)
        assert bot.stdout is not None
        assert (await asyncio.wait_for(bot.stdout.readline(), 60)).strip() == b"READY"

        # Store the reminders while the bot runs, due from 15 s from now over one minute.
        start = datetime.now(UTC) + timedelta(seconds=15)
        due = {i: start + timedelta(seconds=60 * i / n) for i in range(n)}
        setup = Runtime(parse_config({"database": {"url": url}}))
        await setup.open_database(migrate=False)
        try:
            now = datetime.now(UTC)
            rows = [
                Reminder(
                    guild_id=guild.id,
                    user_id=member.id,
                    channel_id=channel_id,
                    message=f"bench {i}",
                    zone="UTC",
                    first_at=due[i],
                    next_at=due[i],
                    created_at=now,
                )
                for i in range(n)
            ]
            await Reminder.bulk_create(rows, batch_size=1000)
            stored = await Reminder.all().order_by("id").values_list("id", "next_at")
            jobs = [
                ScheduledJob(
                    plugin="reminders",
                    kind="deliver",
                    guild_id=guild.id,
                    payload=f'{{"reminder_id": {rid}, "occurrence": 0, "at": {at.timestamp()}}}',
                    due_at=at,
                    key=f"reminders:deliver:{rid}:0:{int(at.timestamp())}",
                    created_at=now,
                )
                for rid, at in stored
            ]
            await ScheduledJob.bulk_create(jobs, batch_size=1000)
        finally:
            await setup.close_database()

        began = time.perf_counter()
        deadline = began + 15 + 60 + 300
        while time.perf_counter() < deadline:
            if len(guild.bot_messages("general")) >= n:
                break
            await asyncio.sleep(0.5)
        elapsed = time.perf_counter() - began
        await asyncio.sleep(3)  # anything posted twice would arrive now
        messages = guild.bot_messages("general")
        lateness = []
        numbers = []
        for message in messages:
            match = NUMBER.search(message.content)
            if match is None:
                continue
            number = int(match.group(1))
            numbers.append(number)
            lateness.append((message.timestamp - due[number]).total_seconds())
        check = Runtime(parse_config({"database": {"url": url}}))
        await check.open_database(migrate=False)
        try:
            delivered = await Reminder.filter(status="delivered").count()
        finally:
            await check.close_database()
        lateness.sort()
        return {
            "messages": len(numbers),
            "distinct": len(set(numbers)),
            "delivered": delivered,
            "p50": statistics.median(lateness) if lateness else float("nan"),
            "p99": lateness[int(len(lateness) * 0.99) - 1] if lateness else float("nan"),
            "max": lateness[-1] if lateness else float("nan"),
            "seconds": elapsed,
        }


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        await process.wait()


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--dialect", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    dialects = ["sqlite", "postgres"] if args.dialect == "both" else [args.dialect]
    if "postgres" in dialects and not os.environ.get("GUILDKIT_TEST_POSTGRES_URL"):
        print("postgres: skipped (set GUILDKIT_TEST_POSTGRES_URL)")
        dialects.remove("postgres")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for dialect in dialects:
            result = await run_one(dialect, args.n, Path(tmp))
            once = result["messages"] == result["distinct"] == result["delivered"] == args.n
            failed |= not once
            print(
                f"{dialect}: {args.n} reminders due within one minute: lateness p50 {result['p50']:.2f} s, "
                f"p99 {result['p99']:.2f} s, max {result['max']:.2f} s; messages {result['messages']}, "
                f"distinct {result['distinct']}, recorded delivered {result['delivered']} -> "
                f"{'exactly once' if once else 'NOT exactly once'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
