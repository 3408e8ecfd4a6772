"""10,000 reminders due in the same minute, delivered through the local Discord.

    python bench/reminders_due.py [--n 10000] [--spread 60] [--dialect sqlite|postgres|both]
                                  [--global-limit 50] [--concurrency N] [--channels 200]

PostgreSQL needs GUILDKIT_TEST_POSTGRES_URL (a fresh database is made and dropped). The emulator
runs in this process; the bot (the real client, the reminders plugin, the core scheduler) runs in
a process of its own on a fresh database holding ``--n`` reminders (rows and their jobs, as
/remind stores them) due spread over ``--spread`` seconds starting 15 s after the bot is up, in
``--channels`` channels of one server (round robin): Discord also limits posts per channel (its
per-route bucket), so a minute of 10,000 reminders only exists on a bot whose reminders are
spread over many channels; one channel (``--channels 1``) is the earlier set-up.

``--global-limit`` is the emulator's global REST limit (Discord's 50 a second by default) and the
bot paces itself at it; ``0`` lifts both, and the per-channel limit too, which measures
guildkit's own cost (scheduler, database, client) without Discord's limits. ``--concurrency``
sets ``[scheduler] concurrency`` of the bot.

Prints, per database: lateness of each delivery (the emulator's receive time minus the due time)
as p50 / p99 / max, throughput, and the exactly-once check: messages posted, distinct reminders
posted, reminders recorded as delivered; the run fails unless all three equal ``--n``. Also the
CPU seconds the bot process and the benchmark's process (the emulator) used from the bot's start.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from guildkit.core.config import parse_config
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime
from guildkit.core.testing.databases import fresh_database
from guildkit.core.testing.emulator import DISCORD_ROUTE_LIMITS, DiscordEmulator

BOT = """
import asyncio, sys
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime

async def main():
    config = parse_config({{"bot": {{"api_base": {api!r}, "rest_requests_per_second": {rps}}},
                           "database": {{"url": {url!r}, "migrate_on_start": False}},
                           "scheduler": {scheduler!r}, "logging": {{"level": "WARNING"}}}})
    runtime = Runtime(config)
    import signal
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    await runtime.start({token!r})
    print("READY", flush=True)
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        pass  # SIGTERM cancels this task: close the runtime and end
    finally:
        await runtime.close()

if {profile!r}:
    import cProfile
    cProfile.run("asyncio.run(main())", {profile!r})
else:
    asyncio.run(main())
"""
NUMBER = re.compile(r"bench (\d+)$", re.MULTILINE)


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run_one(
    dialect: str,
    n: int,
    workdir: Path,
    *,
    spread: float,
    global_limit: int,
    concurrency: int | None,
    profile: str | None,
    channels: int = 1,
    bot_log_path: str | None = None,
) -> dict[str, Any]:
    async with AsyncExitStack() as stack:
        url = await stack.enter_async_context(fresh_database(dialect, workdir))
        # --global-limit 0 measures guildkit's own cost: Discord's per-channel pace goes too.
        route_limits = DISCORD_ROUTE_LIMITS if global_limit else {}
        emulator = DiscordEmulator(global_rate_limit=global_limit or None, route_rate_limits=route_limits)
        await emulator.start()
        stack.push_async_callback(emulator.stop)
        guild = emulator.create_guild("Bench")
        member = await guild.member("alice")
        targets = [guild.channel("general").id] + [guild.add_channel(f"room-{i}").id for i in range(1, channels)]
        from guildkit.plugins.reminders.models import Reminder

        setup = Runtime(parse_config({"database": {"url": url}}))
        await setup.open_database()
        await setup.set_plugin_enabled(guild.id, "reminders", True, None)
        await setup.close_database()

        script = workdir / f"bot-{dialect}.py"
        scheduler: dict[str, float] = {"poll_seconds": 0.5}
        if concurrency is not None:
            scheduler["concurrency"] = concurrency
        rps = global_limit or 100_000
        script.write_text(
            BOT.format(
                api=emulator.api_base,
                url=url,
                token=emulator.token,
                rps=rps,
                scheduler=scheduler,
                profile=f"{profile}-{dialect}.prof" if profile else "",
            )
        )
        emulator_cpu = time.process_time()
        # The bot's warnings and errors (interactions.py's 429 lines, job errors) for --bot-log.
        bot_log: Any = asyncio.subprocess.DEVNULL
        if bot_log_path:
            bot_log = stack.enter_context(Path(bot_log_path).open("ab"))  # noqa: ASYNC230, SIM115 (once, at start)
        bot = await asyncio.create_subprocess_exec(
            sys.executable, str(script), stdout=asyncio.subprocess.PIPE, stderr=bot_log
        )
        stack.push_async_callback(_stop, bot)
        assert bot.stdout is not None
        assert (await asyncio.wait_for(bot.stdout.readline(), 60)).strip() == b"READY"
        bot_cpu = _cpu_seconds(bot.pid)

        # Store the reminders while the bot runs, due from 15 s from now over the spread.
        start = datetime.now(UTC) + timedelta(seconds=15)
        due = {i: start + timedelta(seconds=spread * i / n) for i in range(n)}
        setup = Runtime(parse_config({"database": {"url": url}}))
        await setup.open_database(migrate=False)
        try:
            now = datetime.now(UTC)
            rows = [
                Reminder(
                    guild_id=guild.id,
                    user_id=member.id,
                    channel_id=targets[i % len(targets)],
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

        requests_before = len(emulator.requests)
        began = time.perf_counter()
        deadline = began + 15 + spread + 300 + n / (global_limit or 1000)

        def posted() -> list[Any]:
            return [m for channel_id in targets for m in guild.bot_messages(channel_id)]

        def count() -> int:
            # Only the bot posts in these channels: the sizes, not a list of 10,000 twice a second
            # (this process is the emulator; its CPU is shared with the bot's).
            return sum(len(emulator.world.messages.get(channel_id, {})) for channel_id in targets)

        while time.perf_counter() < deadline:
            if count() >= n:
                break
            await asyncio.sleep(0.5)
        elapsed = time.perf_counter() - began
        await asyncio.sleep(3)  # anything posted twice would arrive now
        bot_cpu = _cpu_seconds(bot.pid) - bot_cpu
        routes = collections.Counter(
            f"{r.method} {re.sub(r'[0-9]{5,}', '{id}', r.path)} {r.status}" for r in emulator.requests[requests_before:]
        )
        emulator_cpu = time.process_time() - emulator_cpu
        messages = posted()
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
            "bot_cpu": bot_cpu,
            "emulator_cpu": emulator_cpu,
            "global_429": emulator.global_rate_limited,
            "routes": routes,
        }


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        await process.wait()


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which the reminders fall due")
    parser.add_argument("--dialect", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--global-limit", type=int, default=50, help="requests/s for emulator and bot; 0: none")
    parser.add_argument("--profile", default=None, help="cProfile the bot into PROFILE-<dialect>.prof")
    parser.add_argument("--concurrency", type=int, default=None, help="[scheduler] concurrency of the bot")
    parser.add_argument("--channels", type=int, default=200, help="channels the reminders are spread over")
    parser.add_argument("--bot-log", default=None, help="append the bot's stderr (warnings, errors) to this file")
    args = parser.parse_args()
    dialects = ["sqlite", "postgres"] if args.dialect == "both" else [args.dialect]
    if "postgres" in dialects and not os.environ.get("GUILDKIT_TEST_POSTGRES_URL"):
        print("postgres: skipped (set GUILDKIT_TEST_POSTGRES_URL)")
        dialects.remove("postgres")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for dialect in dialects:
            result = await run_one(
                dialect,
                args.n,
                Path(tmp),
                spread=args.spread,
                global_limit=args.global_limit,
                concurrency=args.concurrency,
                profile=args.profile,
                channels=args.channels,
                bot_log_path=args.bot_log,
            )
            once = result["messages"] == result["distinct"] == result["delivered"] == args.n
            failed |= not once
            limit = f"global limit {args.global_limit}/s" if args.global_limit else "no global limit"
            print(
                f"{dialect}: {args.n} reminders due within {args.spread:g} s in {args.channels} channel(s) "
                f"({limit}): lateness p50 "
                f"{result['p50']:.2f} s, p99 {result['p99']:.2f} s, max {result['max']:.2f} s; "
                f"all posted after {result['seconds']:.1f} s; CPU bot {result['bot_cpu']:.1f} s, "
                f"emulator {result['emulator_cpu']:.1f} s; global 429s {result['global_429']}; "
                f"messages {result['messages']}, distinct {result['distinct']}, recorded delivered "
                f"{result['delivered']} -> {'exactly once' if once else 'NOT exactly once'}",
                flush=True,
            )
            print("  REST requests during the run:", dict(result["routes"].most_common(6)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
