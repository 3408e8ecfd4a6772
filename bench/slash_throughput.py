"""Slash-command throughput: a bare interactions.py bot against guildkit, on one local Discord.

    /work/venv/bin/python bench/slash_throughput.py [--n 3000] [--profile DIR] [--driver]

The Discord emulator runs in this process; each figure's commands run in a bot process booted for
them (``_bare_bot.py`` or ``_guildkit_bot.py``), so bot and "Discord" use separate cores as in a
deployment and every figure is taken at the same age of its process. For each: boot, wait for
READY (commands synced), warm up, then send ``--n`` slash commands with ``--concurrency`` in
flight and time them until the bot's interaction callback has arrived.

Prints commands/s, p50/p99 latency and CPU per command for bare /ping, guildkit /ping and
guildkit /flags, then ``cpu_ratio_flags`` (bare /ping CPU per command / guildkit /flags's) beside
``ratio_flags`` (guildkit /flags cmd/s / bare /ping's), ``cpu_ratio`` and, last, ``ratio`` (the
same for guildkit /ping). See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import itertools
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BEGAN = time.perf_counter()

from guildkit.core import clock  # noqa: E402 - the run time includes these imports
from guildkit.core.testing.emulator import DiscordEmulator, DriverError, GuildHandle, MemberHandle  # noqa: E402
from guildkit.core.testing.emulator.models import Interaction  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
BOOT_TIMEOUT = 30.0
ANSWER_TIMEOUT = 10.0


def pin_cpus() -> tuple[int | None, str]:
    """Run this process (the emulator) on CPU 0; return the CPU for the bots (``BotProcess(cpu=)``)
    and what was done, for the header.

    In a deployment Discord is not on the bot's machine; here the emulator, a busy process of its
    own, shared the two cores with the bot, and the scheduler moving the bot (and its database
    thread) between them made the same bot's CPU per unit swing by up to 40 % between rounds
    (bench/README.md).
    """
    if not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2:
        return None, "not pinned (needs Linux and 2 CPUs)"
    os.sched_setaffinity(0, {0})
    return 1, "emulator on CPU 0, bot on CPU 1"


def add_bot_options(parser: argparse.ArgumentParser, *, instructions_help: str) -> None:
    """``--instructions``, ``--callgrind-dir`` and ``--no-pin``, shared by the benchmarks that start bots."""
    parser.add_argument("--instructions", action="store_true", help=instructions_help)
    parser.add_argument(
        "--callgrind-dir",
        type=Path,
        metavar="DIR",
        help="with --instructions: keep callgrind's dump of each measured window in DIR (callgrind_annotate reads it)",
    )
    parser.add_argument(
        "--no-pin",
        action="store_true",
        help="let the scheduler place the emulator and the bots (by default the emulator runs on CPU 0, "
        "each bot on CPU 1)",
    )


def bot_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    """From :func:`add_bot_options`' options: ``BotProcess`` keyword arguments, and where the
    processes run (pins this one unless ``--no-pin``)."""
    dump_dir = None
    if args.callgrind_dir:
        if not args.instructions:
            parser.error("--callgrind-dir needs --instructions")
        dump_dir = args.callgrind_dir.resolve()
        dump_dir.mkdir(parents=True, exist_ok=True)
    cpu, where = (None, "not pinned (--no-pin)") if args.no_pin else pin_cpus()
    return {"instructions": args.instructions, "dump_dir": dump_dir, "cpu": cpu}, where


class BenchError(Exception):
    """The benchmark cannot produce honest figures (a bot did not boot, answered wrongly, ...)."""


# ---------------------------------------------------------------------------------- bot processes


class BotProcess:
    """One bot in its own Python process, driven over stdin/stdout (see ``_botproc.py``)."""

    def __init__(
        self,
        name: str,
        script: str,
        env: dict[str, str],
        workdir: Path,
        *,
        instructions: bool = False,
        dump_dir: Path | None = None,
        cpu: int | None = None,
    ) -> None:
        self.name = name
        self.script = BENCH_DIR / script
        self.env = env
        self.instructions = instructions
        self.workdir = workdir
        self.dump_dir = dump_dir  # --callgrind-dir: keep callgrind's dump of each measured window here
        self.cpu = cpu  # the CPU the bot runs on (pin_cpus), or wherever the scheduler puts it
        self.stderr_path = workdir / f"{name}.stderr.log"
        self.proc: asyncio.subprocess.Process | None = None
        self.info: dict[str, Any] = {}
        self.spawned = 0.0
        self.boot_seconds = 0.0

    async def __aenter__(self) -> BotProcess:
        self.spawned = time.perf_counter()
        with self.stderr_path.open("wb") as stderr:  # the child keeps its own copy of the descriptor
            self.proc = await asyncio.create_subprocess_exec(
                *self._valgrind(),
                sys.executable,
                str(self.script),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=stderr,
                env={**os.environ, **self.env},
                cwd=REPO,
            )
        if self.cpu is not None:
            os.sched_setaffinity(self.proc.pid, {self.cpu})
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _valgrind(self) -> list[str]:
        """``--instructions``: run the bot under callgrind, counting nothing until ``start_counting``."""
        if not self.instructions:
            return []
        out = (self.dump_dir or self.workdir) / f"{self.name}.%p.callgrind"
        return ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"]

    async def _callgrind(self, *options: str) -> str:
        assert self.proc is not None
        run = await asyncio.create_subprocess_exec(
            "callgrind_control",
            *options,
            str(self.proc.pid),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await run.communicate()
        if run.returncode:
            raise self._failure(f"could not be controlled by callgrind_control {' '.join(options)}: {out.decode()}")
        return out.decode()

    async def start_counting(self) -> None:
        await self._callgrind("--instr=on")
        await self._callgrind("--zero")

    async def counted_instructions(self) -> int:
        """Instructions every thread of the bot executed since ``start_counting``; stops counting."""
        text = await self._callgrind("-e", "Ir")
        if self.dump_dir is not None:
            await self._callgrind("--dump=measured")
        await self._callgrind("--instr=off")
        # "Totals: Ir" and then one line per thread: "Th 1  77,856,890"
        counts = [int(line.split()[2].replace(",", "")) for line in text.splitlines() if line.strip().startswith("Th ")]
        if not counts:
            raise self._failure(f"gave no instruction counts: {text[-300:]}")
        return sum(counts)

    def stderr_tail(self, lines: int = 15) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace").strip()
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _failure(self, what: str) -> BenchError:
        tail = self.stderr_tail()
        code = self.proc.returncode if self.proc else None
        where = f" (exit code {code})" if code is not None else ""
        return BenchError(f"the {self.name} bot {what}{where}" + (f"; its stderr ends with:\n{tail}" if tail else ""))

    async def _line(self, limit: float, doing: str = "") -> str:
        assert self.proc is not None and self.proc.stdout is not None
        try:
            raw = await asyncio.wait_for(self.proc.stdout.readline(), limit)
        except TimeoutError:
            raise self._failure(f"{doing}said nothing for {limit:.1f} s") from None
        if not raw:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.proc.wait(), 5)
            raise self._failure(f"{doing}exited")
        return raw.decode(errors="replace").rstrip("\n")

    async def wait_ready(self, limit: float = BOOT_TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._failure(f"failed to boot: not ready within {limit:.0f} s")
            line = await self._line(remaining, doing="failed to boot: it ")
            if line.startswith("READY "):
                self.boot_seconds = time.perf_counter() - self.spawned
                self.info = json.loads(line.removeprefix("READY "))
                return self.info

    async def settle(self, limit: float = 20.0, interval: float = 0.1, busy_below: float = 0.05) -> float:
        """Wait until the bot is idle after READY: under ``busy_below`` of a CPU for two
        ``interval``s in a row. Returns the seconds waited.

        What a bot does once after starting (guildkit's reminders warm dateparser in a thread for
        50-90 ms of CPU) is a start-up cost, which cold_start.py measures; landing in a measured
        window it counted as per-command cost in some rounds and not in others.
        """
        began = time.perf_counter()
        quiet = 0
        before = (await self.cpu_seconds())[0]
        while quiet < 2:
            if time.perf_counter() - began > limit:
                raise self._failure(f"stayed busy for {limit:.0f} s after READY")
            await asyncio.sleep(interval)
            now = (await self.cpu_seconds())[0]
            quiet = quiet + 1 if now - before < interval * busy_below else 0
            before = now
        return time.perf_counter() - began

    async def ask(self, command: str, limit: float = 30.0) -> str:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(command.encode() + b"\n")
        await self.proc.stdin.drain()
        answer = await self._line(limit)
        if answer.startswith("ERROR"):
            raise self._failure(f"refused {command!r}: {answer}")
        return answer

    async def cpu_seconds(self) -> tuple[float, float, int, float, float]:
        """(CPU seconds of the whole process, seconds spent in gc, gc collections, CPU seconds in
        the kernel, CPU seconds of the event loop's thread) so far."""
        _, cpu, gc_seconds, collections, system, loop = (await self.ask("CPU")).split()
        return float(cpu), float(gc_seconds), int(collections), float(system), float(loop)

    async def stop(self, limit: float = 15.0) -> None:
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return
        if not self.info:  # never became ready, so it is not reading its commands
            proc.kill()
            await proc.wait()
            return
        with contextlib.suppress(Exception):
            assert proc.stdin is not None
            proc.stdin.write(b"STOP\n")
            await proc.stdin.drain()
            proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), limit)
        except TimeoutError:
            proc.kill()
            await proc.wait()


# ---------------------------------------------------------------------------------- sending


class TrackedInteraction(Interaction):
    """The emulator's Interaction, plus a future resolved when the bot's callback sets ``response_type``.

    The driver's ``MemberHandle.slash`` waits with ``emulator.wait_for``, which wakes every waiter on
    every change in the emulator; with 50 in flight that costs the emulator process about as much CPU
    per command as the bot spends (see README). This waits for exactly one interaction instead.
    """

    waiter: asyncio.Future[None] | None = None
    answered_at = 0.0

    @property  # type: ignore[override]
    def response_type(self) -> int | None:
        return self.__dict__.get("_response_type")

    @response_type.setter
    def response_type(self, value: int | None) -> None:
        self.__dict__["_response_type"] = value
        if value is not None:
            self.answered_at = time.perf_counter()
            waiter = self.waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(None)


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class Sender:
    """Sends one command as the guild's members (round robin) and returns the answer latency."""

    def __init__(self, emulator: DiscordEmulator, members: list[MemberHandle], command: str, expected: str) -> None:
        self.emulator = emulator
        self.members = members
        self.command = command
        self.expected = expected
        self.sent = 0
        self._templates: list[Interaction] = []

    async def prime(self) -> None:
        """One command per member through the full driver: checks the answer, keeps the payloads."""
        self._templates = []
        for member in self.members:
            try:
                reply = await member.slash(self.command, timeout=ANSWER_TIMEOUT)
            except DriverError as error:
                raise BenchError(f"/{self.command} through the driver: {error}") from None
            self.sent += 1
            self._check(reply.type, reply.content)
            self._templates.append(reply.interaction)

    def _check(self, response_type: int | None, content: str | None) -> None:
        if response_type != 4 or content != self.expected:
            raise BenchError(
                f"/{self.command} was answered with type {response_type} and {content!r}, "
                f"expected a message {self.expected!r}"
            )

    async def send(self, i: int) -> tuple[float, float]:
        """Send command number ``i``; (latency, perf_counter when the answer arrived)."""
        template = self._templates[i % len(self._templates)]
        world = self.emulator.world
        inter_id = world.ids.next()
        token = f"emu-{secrets.token_urlsafe(48)}"
        inter = TrackedInteraction(
            id=inter_id,
            token=token,
            type=template.type,
            payload={**template.payload, "id": str(inter_id), "token": token},
            guild_id=template.guild_id,
            channel_id=template.channel_id,
            user_id=template.user_id,
            created=clock.monotonic(),
            # Discord's 3-second answer deadline counts from here (the emulator enforces it).
            sent_at=self.emulator.deadline_time(),
        )
        loop = asyncio.get_running_loop()
        inter.waiter = waiter = loop.create_future()
        timer = loop.call_later(ANSWER_TIMEOUT, _expire, waiter)
        started = time.perf_counter()
        world.register_interaction(inter)  # INTERACTION_CREATE to the bot's shard
        self.sent += 1
        try:
            await waiter
        except TimeoutError:
            raise BenchError(f"the bot did not answer /{self.command} within {ANSWER_TIMEOUT:.0f} s") from None
        finally:
            timer.cancel()
        self._check(inter.response_type, (inter.response_data or {}).get("content"))
        return inter.answered_at - started, inter.answered_at


class DriverSender(Sender):
    """``--driver``: every command through ``MemberHandle.slash``, as tests do (slower emulator side)."""

    async def send(self, i: int) -> tuple[float, float]:
        member = self.members[i % len(self.members)]
        started = time.perf_counter()
        try:
            reply = await member.slash(self.command, timeout=ANSWER_TIMEOUT)
        except DriverError as error:
            raise BenchError(f"/{self.command} through the driver: {error}") from None
        answered = time.perf_counter()
        self.sent += 1
        self._check(reply.type, reply.content)
        return answered - started, answered


# ---------------------------------------------------------------------------------- measuring


@dataclasses.dataclass
class Result:
    label: str
    n: int
    concurrency: int
    elapsed: float
    latencies: list[float]
    answered: list[float]
    bot_cpu: float
    bot_gc: float
    bot_system: float
    bot_loop: float
    bot_collections: int
    emulator_cpu: float
    instructions: int = 0

    def merged(self, other: Result) -> Result:
        """This run and a later round of the same figure, as one."""
        return Result(
            self.label,
            self.n + other.n,
            self.concurrency,
            self.elapsed + other.elapsed,
            self.latencies + other.latencies,
            self.answered + [t + self.elapsed for t in other.answered],
            bot_cpu=self.bot_cpu + other.bot_cpu,
            bot_gc=self.bot_gc + other.bot_gc,
            bot_system=self.bot_system + other.bot_system,
            bot_loop=self.bot_loop + other.bot_loop,
            bot_collections=self.bot_collections + other.bot_collections,
            emulator_cpu=self.emulator_cpu + other.emulator_cpu,
            instructions=self.instructions + other.instructions,
        )

    @property
    def per_second(self) -> float:
        return self.n / self.elapsed

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]

    @property
    def bot_cpu_per_command(self) -> float:
        return self.bot_cpu / self.n

    @property
    def instructions_per_command(self) -> float:
        return self.instructions / self.n

    @property
    def bot_busy(self) -> float:
        """Share of one core the bot used while measured; below ~0.9 something else held it back."""
        return self.bot_cpu / self.elapsed

    def segment_rates(self, parts: int = 5) -> list[float]:
        """Commands/s in ``parts`` consecutive slices of the answers: shows stalls and drift."""
        size = self.n // parts
        edges = [0.0] + [self.answered[size * k - 1] for k in range(1, parts + 1)]
        return [size / (b - a) if b > a else float("inf") for a, b in itertools.pairwise(edges)]

    def lines(self) -> str:
        rates = "/".join(f"{rate:.0f}" for rate in self.segment_rates())
        return (
            (
                f"{self.label:<16} {self.per_second:7.1f} cmd/s   p50 {self.percentile(50) * 1e3:5.1f} ms   "
                f"p99 {self.percentile(99) * 1e3:5.1f} ms   interactions {self.n}\n"
                f"{'':<16} bot CPU {self.bot_cpu_per_command * 1e3:.3f} ms/cmd (busy {self.bot_busy:.0%}; "
                f"gc {self.bot_gc / self.n * 1e6:.0f} us/cmd in {self.bot_collections} collections; "
                f"kernel {self.bot_system / self.n * 1e6:.0f} us/cmd; "
                f"event-loop thread {self.bot_loop / self.n * 1e6:.0f} us/cmd), "
                f"emulator CPU {self.emulator_cpu / self.n * 1e3:.3f} ms/cmd "
                f"(busy {self.emulator_cpu / self.elapsed:.0%})\n"
                f"{'':<16} cmd/s by fifths of the run: {rates}"
            )
            + (
                f"\n{'':<16} instructions {self.instructions_per_command:,.0f} per command (callgrind, every thread)"
                if self.instructions
                else ""
            )
            + (
                f"\n{'':<16} warning: the bot used only {self.bot_busy:.0%} of a core; another process probably "
                "competed for the CPUs, so this figure is low (see the load averages)"
                if self.bot_busy < 0.9 and not self.instructions
                else ""
            )
        )


async def run_batch(sender: Sender, n: int, concurrency: int) -> tuple[float, list[float], list[float]]:
    """``n`` commands, ``concurrency`` in flight; (seconds, latencies, answer times from the start)."""
    latencies = [0.0] * n
    answered = [0.0] * n
    counter = itertools.count()

    async def worker() -> None:
        while (i := next(counter)) < n:
            latencies[i], answered[i] = await sender.send(i)

    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, n)):
            group.create_task(worker())
    return time.perf_counter() - started, latencies, sorted(t - started for t in answered)


async def measure(bot: BotProcess, sender: Sender, label: str, n: int, args: argparse.Namespace) -> Result:
    await sender.prime()
    await run_batch(sender, args.warmup, args.concurrency)
    profile = args.profile / _profile_name(label) if args.profile else None
    if profile is not None:
        await bot.ask(f"PROFILE_START {profile}")
    # The emulator is the load generator: keep its growing heap out of the cyclic collector's way.
    gc.collect()
    gc.freeze()
    if args.instructions:
        await bot.start_counting()
    (bot_before, gc_before, collections_before, sys_before, loop_before), emu_before = (
        await bot.cpu_seconds(),
        time.process_time(),
    )
    elapsed, latencies, answered = await run_batch(sender, n, args.concurrency)
    emu_after, (bot_after, gc_after, collections_after, sys_after, loop_after) = (
        time.process_time(),
        await bot.cpu_seconds(),
    )
    instructions = await bot.counted_instructions() if args.instructions else 0
    if profile is not None:
        await bot.ask("PROFILE_STOP")
    result = Result(
        label,
        n,
        args.concurrency,
        elapsed,
        latencies,
        answered,
        bot_cpu=bot_after - bot_before,
        bot_gc=gc_after - gc_before,
        bot_system=sys_after - sys_before,
        bot_loop=loop_after - loop_before,
        bot_collections=collections_after - collections_before,
        emulator_cpu=emu_after - emu_before,
        instructions=instructions,
    )
    print(result.lines(), flush=True)
    return result


def _profile_name(label: str) -> str:
    """``guildkit /ping (2/3)`` -> ``guildkit-ping-2.prof``"""
    name = label.replace(" /", "-").replace(" (", "-").split("/")[0].rstrip(")")
    return f"{name}.prof"


def make_sender(
    args: argparse.Namespace, emulator: DiscordEmulator, members: list[MemberHandle], command: str, expected: str
) -> Sender:
    kind = DriverSender if args.driver else Sender
    return kind(emulator, members, command, expected)


KNOWN_NOISE = ("delete_unused_application_cmds",)  # the library's warning at every boot


def _print_stderr(bot: BotProcess) -> None:
    lines = [line for line in bot.stderr_tail(20).splitlines() if not any(k in line for k in KNOWN_NOISE)]
    if lines:
        print(f"{bot.name} bot stderr (last lines):\n" + "\n".join(lines[-8:]), flush=True)


async def run(args: argparse.Namespace, workdir: Path) -> dict[str, Result]:
    emulator = DiscordEmulator(reply_timeout=ANSWER_TIMEOUT)
    await emulator.start()
    results: dict[str, Result] = {}
    senders: list[Sender] = []

    async def phase(bot: BotProcess, label: str, command: str, expected: str, n: int, round_: int) -> None:
        senders.append(sender := make_sender(args, emulator, members, command, expected))
        tag = f"{label} ({round_ + 1}/{args.rounds})" if args.rounds > 1 else label
        result = await measure(bot, sender, tag, n, args)
        result = dataclasses.replace(result, label=label)
        results[label] = results[label].merged(result) if label in results else result

    try:
        guild: GuildHandle = emulator.create_guild("Bench Guild")
        members = [await guild.member(f"member{i}") for i in range(args.members)]
        channel = guild.channel("general")
        env = {"GK_BENCH_API_BASE": emulator.api_base, "GK_BENCH_TOKEN": emulator.token}
        gk_env = {
            **env,
            "GK_BENCH_GUILD": str(guild.id),
            "GK_BENCH_CHANNEL": str(channel.id),
            "GK_BENCH_DATABASE": str(workdir / "bench.db"),
        }
        per_round = args.n // args.rounds
        # Until counting starts, callgrind runs Python about 5-10x slower (50x while it counts).
        boot_timeout = BOOT_TIMEOUT * (10 if args.instructions else 1)
        print(
            f"guildkit: {source_state()}; load average before: {loadavg()}\n"
            f"emulator: in this process (pid {os.getpid()}) at {emulator.base_url}; each bot in its own process; "
            f"{args.pinned}\n"
            f"load: {per_round * args.rounds} measured slash commands per figure, each in a freshly booted bot"
            + (f" in {args.rounds} rounds (order rotating)" if args.rounds > 1 else "")
            + f", {args.warmup} warm-up before each, {args.concurrency} in flight, {args.members} members"
            + (", sent through MemberHandle.slash (--driver)" if args.driver else ""),
            flush=True,
        )

        async def bare_phase(round_: int) -> None:
            async with BotProcess("bare", "_bare_bot.py", env, workdir, **args.bot_options) as bot:
                info = await bot.wait_ready(boot_timeout)
                settled = await bot.settle(boot_timeout)
                print(
                    f"bare bot: interactions.py Client; ready {bot.boot_seconds:.2f} s after spawn "
                    f"({info['boot_seconds']:.2f} s after its imports), idle {settled:.2f} s later",
                    flush=True,
                )
                await phase(bot, "bare /ping", "ping", "pong", per_round, round_)
            _print_stderr(bot)

        async def guildkit_phase(round_: int, label: str, command: str, expected: str) -> None:
            async with BotProcess("guildkit", "_guildkit_bot.py", gk_env, workdir, **args.bot_options) as bot:
                info = await bot.wait_ready(boot_timeout)
                settled = await bot.settle(boot_timeout)
                discovered = ", ".join(info["discovered"]) or "none installed"
                print(
                    f"guildkit bot: Runtime; ready {bot.boot_seconds:.2f} s after spawn "
                    f"({info['boot_seconds']:.2f} s after its imports: migrations, login, sync, settings), "
                    f"idle {settled:.2f} s later\n"
                    f"  plugins loaded: {', '.join(info['plugins'])} (built-in or entry-point plugins: {discovered})\n"
                    f"  database: {info['database']} (in a temporary directory)",
                    flush=True,
                )
                cmd = emulator.world.find_command("ping", guild.id)
                if cmd is None or cmd.guild_id != guild.id:
                    raise BenchError("the guildkit bot did not register /ping in the guild scope")
                await phase(bot, label, command, expected, per_round, round_)
            _print_stderr(bot)

        # Each figure's commands run in a bot process of their own, booted for them, so every figure
        # is measured at the same age: the same bare bot measured a second time in one process used
        # 11 % more CPU per command (a larger heap for the collector, fuller caches), which had
        # counted against whichever guildkit command ran second. The order rotates from round to
        # round so that a machine slowing down or speeding up during a run favours no figure.
        phases = [
            bare_phase,
            lambda round_: guildkit_phase(round_, "guildkit /ping", "ping", "pong"),
            lambda round_: guildkit_phase(round_, "guildkit /flags", "flags", "bench on: hello x7"),
        ]
        for round_ in range(args.rounds):
            for run_phase in phases[round_ % 3 :] + phases[: round_ % 3]:
                await run_phase(round_)
        if emulator.internal_errors or emulator.unknown_routes:
            print(
                f"emulator: internal errors {emulator.internal_errors[-3:]}, "
                f"unknown routes {emulator.unknown_routes[-3:]}"
            )
        if args.rounds > 1:
            print(f"all {args.rounds} rounds together:")
            for result in results.values():
                print(result.lines())
        print(
            f"interactions answered: {sum(s.sent for s in senders)} in all "
            f"(measured, warm-up, one per member and command through the driver); load average after: {loadavg()}"
        )
        return results
    finally:
        gc.unfreeze()
        await emulator.stop()


def loadavg() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def source_state() -> str:
    """The commit measured, and whether core/ or plugins/ had uncommitted changes (they count too)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "core", "plugins"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "source state unknown"
    if not head:
        return "source state unknown"
    return f"commit {head}" + (f" + uncommitted changes to {len(dirty.splitlines())} file(s)" if dirty else "")


def report_profiles(args: argparse.Namespace, results: dict[str, Result]) -> None:
    import _profile_report as report

    bare = args.profile / "bare-ping.prof"
    for label in ("guildkit /ping", "guildkit /flags"):
        path = args.profile / _profile_name(label)
        n = results[label].n
        print(f"\nprofile of {label} ({path}):")
        print(report.top_functions(path, n))
        print(report.guildkit_functions(path, n))
        print(f"  compared with bare /ping ({bare}):")
        print(report.difference(bare, results["bare /ping"].n, path, n))
    print(f"\nprofile of bare /ping ({bare}):")
    print(report.top_functions(bare, results["bare /ping"].n))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=3000, help="measured commands per figure (default 3000)")
    parser.add_argument("--warmup", type=int, default=200, help="warm-up commands before each figure (default 200)")
    parser.add_argument("--concurrency", type=int, default=50, help="commands in flight (default 50)")
    parser.add_argument("--members", type=int, default=20, help="guild members sending, round robin (default 20)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="split --n into this many rounds of the three figures, their order rotating (default 1); "
        "spreads other processes' load over both bots on a shared machine",
    )
    parser.add_argument("--driver", action="store_true", help="send every command through MemberHandle.slash")
    add_bot_options(
        parser,
        instructions_help="run each bot under valgrind's callgrind and count the instructions it executes per "
        "measured command: the same count run after run whatever else the machine does (time figures are then "
        "~50x slow and not comparable; use --concurrency 20 so answers stay inside Discord's 3 s)",
    )
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="cProfile both bots during the measured commands into DIR"
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.n // args.rounds < 100 or args.warmup < 0 or args.concurrency < 1 or args.members < 1:
        parser.error("need --rounds >= 1, --n / --rounds >= 100, --warmup >= 0, --concurrency >= 1, --members >= 1")
    if args.profile and args.rounds != 1:
        parser.error("--profile takes one round")
    if args.profile:
        args.profile = args.profile.resolve()
        args.profile.mkdir(parents=True, exist_ok=True)
    args.bot_options, args.pinned = bot_options(parser, args)
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="guildkit-bench-"))
    try:
        results = asyncio.run(run(args, workdir))
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.profile:
        report_profiles(args, results)
        print("\n(--profile: the figures above were taken under cProfile and are not comparable)")
    bare = results["bare /ping"]
    for label in ("guildkit /ping", "guildkit /flags"):
        extra = results[label].bot_cpu_per_command / bare.bot_cpu_per_command - 1
        print(f"bot CPU per command, {label} vs bare /ping: {extra:+.1%}")
    if args.instructions:
        for label in ("guildkit /ping", "guildkit /flags"):
            extra = results[label].instructions_per_command / bare.instructions_per_command - 1
            print(f"instructions per command, {label} vs bare /ping: {extra:+.1%}")
    print(f"database (guildkit): SQLite file in a temporary directory ({workdir}/bench.db, removed)")
    print(
        "throttle: guildkit as shipped (nothing lifted: 50 req/s global limit, interaction answers exempt); "
        "bare baseline: interactions.py's 45 req/s throttle lifted for every route"
    )
    print(f"run time: {time.perf_counter() - BEGAN:.1f} s")
    # CPU per command is the steadier figure on a shared machine: bare's / guildkit's, so that like
    # the throughput ratio 1.00 is parity and 0.95 means 5 % more CPU per command.
    flags, ping = results["guildkit /flags"], results["guildkit /ping"]
    print(f"cpu_ratio_flags: {bare.bot_cpu_per_command / flags.bot_cpu_per_command:.2f}")
    print(f"ratio_flags: {flags.per_second / bare.per_second:.2f}")
    print(f"cpu_ratio: {bare.bot_cpu_per_command / ping.bot_cpu_per_command:.2f}")
    print(f"ratio: {ping.per_second / bare.per_second:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
