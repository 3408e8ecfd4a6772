"""Leveling's hot path: the same MESSAGE_CREATE stream to the real client, leveling off then on.

    /work/venv/bin/python bench/leveling_throughput.py [--n 10000] [--members 1000] [--rounds 4]
        [--announce current|off] [--profile PREFIX] [--postgres URL]

The Discord emulator runs in this process; the guildkit bot (``leveling_botproc.py``) in its own, on a
fresh SQLite file (or a fresh PostgreSQL database with ``--postgres``). 1,000 members in one guild,
leveling's cooldown set to 0 so every message awards XP. For each mode the same stream of ``--n``
messages (members round robin in a fixed shuffled order) is written into the emulator's world in
chunks; the clock stops when the bot has handled every event (a counting listener saw them all and
no listener task is still running) and, with leveling on, its XP buffer has been flushed to the
database. ``--rounds`` alternates off/on that many times and sums.

The emulator keeps Discord's global limit but lifts its per-channel one (5 posts per 5 s): this
stream is a day of chat in a second, and Discord would spread the round's level-up posts over
half a minute, which measures Discord's pace, not guildkit's CPU.

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
from guildkit.core.testing.emulator import DiscordEmulator, RouteLimit

#: See the docstring: the level-up posts of a compressed day would wait for Discord's pace.
NO_ROUTE_LIMITS: dict[str, RouteLimit] = {}

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


class Side:
    """One emulator with its bench guild, 1,000 members and the bot that reads it (``--paired``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.emulator = DiscordEmulator(route_rate_limits=NO_ROUTE_LIMITS)
        self.bot: BotProcess | None = None
        self.sent = 0

    async def start(self, args: argparse.Namespace) -> None:
        await self.emulator.start()
        self.guild = self.emulator.create_guild("Bench Guild")
        members = [await self.guild.member(f"member{i}") for i in range(args.members)]
        self.channel = self.guild._channel("general")
        order = [m.id for m in members]
        random.Random(4).shuffle(order)
        self.stream = [order[i % len(order)] for i in range(args.n)]
        self.warmup = [order[i % len(order)] for i in range(args.warmup)]

    def env(self, args: argparse.Namespace, database_url: str) -> dict[str, str]:
        return {
            "GK_BENCH_API_BASE": self.emulator.api_base,
            "GK_BENCH_TOKEN": self.emulator.token,
            "GK_BENCH_GUILD": str(self.guild.id),
            "GK_BENCH_DATABASE": database_url,
            "GK_BENCH_ANNOUNCE": args.announce,
        }

    def write(self, authors: list[int]) -> None:
        for author in authors:
            self.emulator.world.create_message(self.channel, author, content="hello there")
        self.sent += len(authors)


async def run_paired(args: argparse.Namespace, database_urls: list[str]) -> None:
    """Two identical bots, each with its own emulator and database, pinned to the same CPU and fed
    the same messages at the same time, chunk by chunk: one with leveling on, the other off, the
    roles swapped every round. Both run through the same moments of the machine (whose speed
    drifts by tens of percent from one second to the next here), so the ratio of their CPU per
    message is steady where the sequential runs' is not. No throughput ratio: both bots get the
    messages at the same rate."""
    sides = [Side("a"), Side("b")]
    try:
        for side in sides:
            await side.start(args)
        with tempfile.TemporaryDirectory() as tmp:
            async with (
                BotProcess(
                    "guildkit-a",
                    "leveling_botproc.py",
                    sides[0].env(args, database_urls[0]),
                    Path(tmp),
                    **args.bot_options,
                ) as bot_a,
                BotProcess(
                    "guildkit-b",
                    "leveling_botproc.py",
                    sides[1].env(args, database_urls[1]),
                    Path(tmp),
                    **args.bot_options,
                ) as bot_b,
            ):
                sides[0].bot, sides[1].bot = bot_a, bot_b
                for side in sides:
                    assert side.bot is not None
                    info = await side.bot.wait_ready(30)
                for side in sides:
                    assert side.bot is not None
                    await side.bot.settle(20)
                print(
                    f"bots: plugins {', '.join(info['plugins'])}; databases {info['database']} and its twin", flush=True
                )
                cpu = {"off": 0.0, "on": 0.0}
                counted = {"off": 0, "on": 0}
                per_round: list[float] = []
                for round_ in range(args.rounds):
                    on, off = (sides[0], sides[1]) if round_ % 2 == 0 else (sides[1], sides[0])
                    bots = {"on": on.bot, "off": off.bot}
                    for mode, bot in bots.items():
                        assert bot is not None
                        await bot.ask(f"LEVELING {mode}")
                    for side in sides:
                        side.write(side.warmup)
                    await asyncio.gather(*(side.emulator.flush(timeout=60) for side in sides))
                    for side in sides:
                        assert side.bot is not None
                        await drain(side.bot, side.sent)
                    await bots["on"].ask("FLUSH")
                    before = {mode: (await bot.cpu_seconds())[0] for mode, bot in bots.items()}
                    posts_before = len(on.guild.bot_messages(on.channel.id))
                    for start in range(0, args.n, CHUNK):
                        # Which bot gets its chunk first alternates: neither always waits.
                        for side in sides if start // CHUNK % 2 == 0 else sides[::-1]:
                            side.write(side.stream[start : start + CHUNK])
                        await asyncio.gather(*(side.emulator.flush(timeout=60) for side in sides))
                    for side in sides:
                        assert side.bot is not None
                        await drain(side.bot, side.sent)
                    await bots["on"].ask("FLUSH")
                    used = {mode: (await bot.cpu_seconds())[0] - before[mode] for mode, bot in bots.items()}
                    for mode in used:
                        cpu[mode] += used[mode]
                        counted[mode] += args.n
                    per_round.append(used["off"] / used["on"])
                    print(
                        f"  round {round_ + 1}: leveling on (bot {on.name}) "
                        f"{used['on'] / args.n * 1e6:.0f} µs/message, "
                        f"off (bot {off.name}) {used['off'] / args.n * 1e6:.0f} µs/message; "
                        f"{len(on.guild.bot_messages(on.channel.id)) - posts_before} level-up posts",
                        flush=True,
                    )
                for side in sides:
                    assert side.bot is not None
                    _, xp, rows = (await side.bot.ask("XP")).split()
                    awarded = (len(side.warmup) + args.n) * ((args.rounds + (side is sides[0])) // 2)
                    if int(xp) < 15 * awarded or int(rows) != args.members:
                        raise BenchError(
                            f"bot {side.name}: stored XP {xp} over {rows} members does not cover {awarded} messages"
                        )
        per = {mode: cpu[mode] / counted[mode] * 1e6 for mode in cpu}
        print(f"leveling off: bot CPU {per['off']:.0f} µs/message")
        print(
            f"leveling on:  bot CPU {per['on']:.0f} µs/message "
            "(the final flush of each round and the jobs it scheduled included)"
        )
        spread = ", ".join(f"{r:.2f}" for r in per_round)
        print(f"cpu_ratio: {per['off'] / per['on']:.2f} (off/on CPU per message, paired; per round {spread})")
    finally:
        for side in sides:
            await side.emulator.stop()


async def run(args: argparse.Namespace, database_url: str) -> None:
    emulator = DiscordEmulator(route_rate_limits=NO_ROUTE_LIMITS)
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
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=1_000)
    # Four rounds of 10,000 (off-on, on-off, off-on, on-off) rather than two of 20,000: the same
    # messages, so members reach the same levels (level-ups get rarer as levels rise), but the
    # modes alternate twice as often, and this machine's speed drifts by ±10 % over tens of seconds.
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--announce",
        default="current",
        choices=("current", "off"),
        help="leveling's announce setting: level-ups posted where they happen (the default) or not at all",
    )
    parser.add_argument("--profile", help="cProfiles of the bot's first round: PROFILE-off.prof, PROFILE-on.prof")
    parser.add_argument("--postgres", help="admin URL; a fresh database is created and dropped")
    parser.add_argument(
        "--paired",
        action="store_true",
        help="two bots on one CPU at the same time, one with leveling on, roles swapped each round (see run_paired)",
    )
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
    if args.paired and args.instructions:
        parser.error("--paired measures CPU time; --instructions counts one bot's instructions")
    if args.paired and args.postgres:
        async with fresh_postgres(args.postgres) as url_a, fresh_postgres(args.postgres) as url_b:
            await run_paired(args, [url_a, url_b])
    elif args.paired:
        with tempfile.TemporaryDirectory() as tmp:
            await run_paired(args, [f"sqlite://{Path(tmp) / 'a.db'}", f"sqlite://{Path(tmp) / 'b.db'}"])
    elif args.postgres:
        async with fresh_postgres(args.postgres) as url:
            await run(args, url)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            await run(args, f"sqlite://{Path(tmp) / 'bench.db'}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
