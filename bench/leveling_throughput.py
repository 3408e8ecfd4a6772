"""Leveling's hot path: the same MESSAGE_CREATE stream to the real client, leveling off then on.

    /work/venv/bin/python bench/leveling_throughput.py [--n 20000] [--members 1000] [--rounds 4]
        [--announce current|off] [--profile PREFIX] [--postgres URL]

The Discord emulator runs in this process; the guildkit bot (``leveling_botproc.py``) in its own, on a
fresh SQLite file (or a fresh PostgreSQL database with ``--postgres``). 1,000 members in one guild,
leveling's cooldown set to 0 so every message awards XP. For each mode the same stream of ``--n``
messages (members round robin in a fixed shuffled order) is written into the emulator's world in
chunks; the clock stops when the bot has handled every event (a counting listener saw them all and
no listener task is still running) and, with leveling on, its XP buffer has been flushed to the
database. ``--rounds`` alternates off/on that many times and sums.

Prints messages/s and bot CPU per message for each mode (and the event loop thread's part of it;
with leveling on, the level-up posts of the round and requests Discord's global limit refused),
checks that the stored XP covers every message, and last ``ratio: X.XX`` (messages/s on / off).
``--profile PREFIX`` writes cProfiles of the first round to ``PREFIX-off.prof`` and ``PREFIX-on.prof``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

from slash_throughput import BenchError, BotProcess, add_bot_options, bot_options

from guildkit.core.testing.databases import fresh_postgres
from guildkit.core.testing.emulator import DiscordEmulator

CHUNK = 200


async def drain(bot: BotProcess, expected: int, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        _, handled, running = (await bot.ask(f"COUNT {expected}")).split()
        if int(handled) >= expected and int(running) == 0:
            return
        if time.monotonic() > deadline:
            raise BenchError(f"the bot handled {handled} of {expected} messages within {limit:.0f} s")
        await asyncio.sleep(0.002)


async def send(emulator: DiscordEmulator, channel, stream: list[int]) -> None:
    world = emulator.world
    for start in range(0, len(stream), CHUNK):
        for author in stream[start : start + CHUNK]:
            world.create_message(channel, author, content="hello there")
        await emulator.flush(timeout=60)


async def run(args: argparse.Namespace, database_url: str) -> None:
    emulator = DiscordEmulator()
    await emulator.start()
    try:
        guild = emulator.create_guild("Bench Guild")
        members = [await guild.member(f"member{i}") for i in range(args.members)]
        channel = guild._channel("general")
        order = [m.id for m in members]
        random.Random(4).shuffle(order)
        stream = [order[i % len(order)] for i in range(args.n)]
        warmup = [order[i % len(order)] for i in range(args.warmup)]
        env = {
            "GK_BENCH_API_BASE": emulator.api_base,
            "GK_BENCH_TOKEN": emulator.token,
            "GK_BENCH_GUILD": str(guild.id),
            "GK_BENCH_DATABASE": database_url,
            "GK_BENCH_ANNOUNCE": args.announce,
        }
        totals = {"off": [0.0, 0.0, 0], "on": [0.0, 0.0, 0]}  # seconds, cpu seconds, messages
        round_cpu: list[dict[str, float]] = []  # per round: mode -> CPU seconds per message
        instructions = {"off": 0, "on": 0}  # --instructions: counted by callgrind, every thread
        flush_ms: list[float] = []
        write_part: list[float] = []  # of flush_ms: writing the buffer (the rest: the jobs it scheduled)
        with tempfile.TemporaryDirectory() as tmp:
            if args.instructions:
                # callgrind runs the bot ~40x slower: a periodic flush every 2 s would write ~40x
                # more often per message than at full speed. Only the timed window's final flush.
                env["GK_BENCH_FLUSH_SECONDS"] = "100000"
            async with BotProcess("guildkit", "leveling_botproc.py", env, Path(tmp), **args.bot_options) as bot:
                info = await bot.wait_ready(300 if args.instructions else 30)
                settled = await bot.settle(300 if args.instructions else 20)
                print(
                    f"bot: plugins {', '.join(info['plugins'])}; database {info['database']}; "
                    f"idle {settled:.2f} s after READY",
                    flush=True,
                )
                sent = 0
                for round_ in range(args.rounds):
                    round_cpu.append({})
                    # Alternating which mode goes first: the process is older for the second,
                    # which should not always be "on".
                    for mode in ("off", "on") if round_ % 2 == 0 else ("on", "off"):
                        await bot.ask(f"LEVELING {mode}")
                        await send(emulator, channel, warmup)
                        sent += len(warmup)
                        await drain(bot, sent)
                        if mode == "on":
                            await bot.ask("FLUSH")
                        if args.profile and round_ == 0:
                            await bot.ask("PROFILE_START")
                        before = await bot.cpu_seconds()
                        posts_before = len(guild.bot_messages(channel.id))
                        refused_before = emulator.global_rate_limited
                        if args.instructions:
                            await bot.start_counting()
                        began = time.perf_counter()
                        await send(emulator, channel, stream)
                        sent += len(stream)
                        await drain(bot, sent)
                        if mode == "on":
                            _, total_ms, write_ms = (await bot.ask("FLUSH")).split()
                            flush_ms.append(float(total_ms))
                            write_part.append(float(write_ms))
                        elapsed = time.perf_counter() - began
                        if args.instructions:
                            counted = await bot.counted_instructions()
                            instructions[mode] += counted
                        if args.profile and round_ == 0:
                            await bot.ask(f"PROFILE_STOP {args.profile}-{mode}.prof")
                        after = await bot.cpu_seconds()
                        cpu, gc_seconds, collections, system_cpu, main_cpu = (
                            a - b for a, b in zip(after, before, strict=True)
                        )
                        posts = len(guild.bot_messages(channel.id))
                        round_cpu[-1][mode] = cpu / len(stream)
                        totals[mode][0] += elapsed
                        totals[mode][1] += cpu
                        totals[mode][2] += len(stream)
                        print(
                            f"  round {round_ + 1} leveling {mode}: {len(stream) / elapsed:,.0f} messages/s, "
                            f"bot CPU {cpu / len(stream) * 1e6:.0f} µs/message "
                            f"({main_cpu / len(stream) * 1e6:.0f} in the event loop's thread, "
                            f"{system_cpu / len(stream) * 1e6:.0f} in the kernel; "
                            f"gc {gc_seconds / len(stream) * 1e6:.0f} in {collections} collections)"
                            + (f", {counted / len(stream):,.0f} instructions/message" if args.instructions else "")
                            + (
                                f"; {posts - posts_before} level-up posts, "
                                f"{emulator.global_rate_limited - refused_before} requests over the global rate limit"
                                if mode == "on"
                                else ""
                            ),
                            flush=True,
                        )
                _, xp, rows = (await bot.ask("XP")).split()
        messages_on = (len(warmup) + len(stream)) * args.rounds
        if int(xp) < 15 * messages_on or int(rows) != args.members:
            raise BenchError(f"stored XP {xp} over {rows} members does not cover {messages_on} awarded messages")
        print(f"check: {int(xp):,} XP stored for {messages_on:,} awarded messages across {rows} members")
        rate = {mode: t[2] / t[0] for mode, t in totals.items()}
        cpu = {mode: t[1] / t[2] * 1e6 for mode, t in totals.items()}
        print(f"leveling off: {rate['off']:,.0f} messages/s, bot CPU {cpu['off']:.0f} µs/message")
        print(
            f"leveling on:  {rate['on']:,.0f} messages/s, bot CPU {cpu['on']:.0f} µs/message "
            f"(final flush of {args.n:,} messages' XP: {sum(flush_ms) / len(flush_ms):.0f} ms, included; "
            f"of it the jobs it scheduled: {(sum(flush_ms) - sum(write_part)) / len(flush_ms):.0f} ms)"
        )
        if args.instructions:
            per = {mode: instructions[mode] / totals[mode][2] for mode in totals}
            print(
                f"instructions per message: off {per['off']:,.0f}, on {per['on']:,.0f}; "
                f"instructions_ratio: {per['off'] / per['on']:.3f} (off/on; callgrind, every thread)"
            )
        spread = ", ".join(f"{r['off'] / r['on']:.2f}" for r in round_cpu)
        print(f"cpu_ratio: {cpu['off'] / cpu['on']:.2f} (off/on CPU per message; per round {spread})")
        print(f"ratio: {rate['on'] / rate['off']:.2f}")
    finally:
        await emulator.stop()


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=1_000)
    # Four rounds (off-on, on-off, off-on, on-off): this machine's speed drifts by ±10 % over tens
    # of seconds; two rounds left the ratio ±0.05 from run to run.
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--announce",
        default="current",
        choices=("current", "off"),
        help="leveling's announce setting: level-ups posted where they happen (the default) or not at all",
    )
    parser.add_argument("--profile", help="cProfiles of the bot's first round: PROFILE-off.prof, PROFILE-on.prof")
    parser.add_argument("--postgres", help="admin URL; a fresh database is created and dropped")
    add_bot_options(
        parser,
        instructions_help="run the bot under valgrind's callgrind and count instructions per message (the same "
        "count run after run; times are then ~40x slow); use a smaller --n, say 10000",
    )
    args = parser.parse_args(argv)
    args.bot_options, pinned = bot_options(parser, args)
    print(
        f"leveling hot path: {args.n:,} messages per mode and round, {args.members} members, cooldown 0, "
        f"level-up announcements {args.announce}; {pinned}"
    )
    if args.postgres:
        async with fresh_postgres(args.postgres) as url:
            await run(args, url)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            await run(args, f"sqlite://{Path(tmp) / 'bench.db'}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
