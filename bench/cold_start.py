"""Cold start: process start to READY and to the first answered command, guildkit against bare.

    python bench/cold_start.py [--runs 5] [--command balance] [--importtime]

Two Discord emulators run in this process, one per bot (the bare bot's start-up sync would delete
guildkit's guild commands). A temporary directory holds a bot.toml pointing at it,
with every built-in plugin on by default, and a SQLite database that ``guildkit migrate`` brought
up to date first (not timed). Then, ``--runs`` times each, alternating:

- **guildkit**: ``guildkit run -c bot.toml`` exactly as an operator starts it (the console script
  next to this Python). READY is the line it prints once it answers interactions (database open,
  migrations checked, gateway READY, commands synced, scheduler started).
- **bare**: ``bench/_bare_bot.py``, a plain interactions.py client with one ``/ping`` (its
  ``READY`` line comes on ``Startup``).

For each run: wall time from spawning the process to READY, its resident memory (VmRSS) and the
CPU time it used by then (all threads), and the wall time from spawning to the answer of its first
command (``--command`` for guildkit, sent by a member once READY was seen; ``/ping`` for bare).
Medians are printed, then ``cpu_ratio`` (guildkit CPU to READY / bare) beside ``ratio`` (guildkit
wall time to READY / bare): on a shared machine the CPU figures are the steadier ones.
Bytecode: guildkit's modules are compiled (``compileall``) before the runs, as ``pip install``
leaves them; with ``PYTHONDONTWRITEBYTECODE`` set (as on the dev machine) an editable install would
otherwise compile its ~250 modules from source on every start (``--source`` measures that).
``--importtime`` also runs ``python -X importtime -c "import guildkit.core.cli, <plugins>"`` once and
prints the slowest imports (cumulative).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from slash_throughput import BenchError, loadavg, source_state

from guildkit.core.testing.emulator import DiscordEmulator, DriverError

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
READY_TIMEOUT = 60.0
PLUGINS = ("economy", "leveling", "moderation", "music", "reminders")
#: Aims from issue 15.
AIM_READY_SECONDS = 2.0
AIM_READY_RSS_MB = 120.0


@dataclass
class Start:
    ready: float  # seconds from spawn to READY
    rss_mb: float  # VmRSS at READY
    cpu: float  # CPU seconds of the process at READY
    first_answer: float  # seconds from spawn to the first command's answer


def bot_toml(directory: Path, api_base: str) -> Path:
    plugin_sections = "\n".join(f"[plugins.{name}]\nenabled_by_default = true\n" for name in PLUGINS)
    path = directory / "bot.toml"
    path.write_text(
        f'[bot]\napi_base = "{api_base}"\ncommand_scope = "guild"\n\n'
        f'[database]\nurl = "sqlite://{directory / "guildkit.db"}"\n\n'
        '[logging]\nlevel = "WARNING"\n\n'
        f"{plugin_sections}"
    )
    return path


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """This environment without a database override (bot.toml's SQLite file is measured), plus ``extra``."""
    inherited = {k: v for k, v in os.environ.items() if k != "GUILDKIT_DATABASE_URL"}
    return {**inherited, **extra}


def guildkit_command() -> list[str]:
    script = Path(sys.executable).parent / "guildkit"
    if not script.exists():
        raise BenchError(f"no guildkit console script next to {sys.executable}; pip install -e . first")
    return [str(script)]


def proc_figures(pid: int) -> tuple[float, float]:
    """(VmRSS in MB, CPU seconds of every thread) of a running process, from /proc."""
    rss_kb = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss_kb = int(line.split()[1])
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return rss_kb / 1024, cpu


async def one_start(
    argv: list[str], env: dict[str, str], ready_marker: str, send: object, stop: str, workdir: Path
) -> Start:
    stderr_path = workdir / "bot.stderr.log"
    spawned = time.perf_counter()
    with stderr_path.open("wb") as stderr:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            env=child_env(env),
            cwd=workdir,
        )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        async with asyncio.timeout(READY_TIMEOUT):
            while True:
                raw = await proc.stdout.readline()
                if not raw:
                    tail = stderr_path.read_text(errors="replace").strip().splitlines()[-10:]
                    raise BenchError(f"{argv[-1]} exited before READY:\n" + "\n".join(tail))
                if ready_marker in raw.decode(errors="replace"):
                    break
        ready = time.perf_counter() - spawned
        rss_mb, cpu = proc_figures(proc.pid)
        await send()  # type: ignore[operator]
        first_answer = time.perf_counter() - spawned
        return Start(ready, rss_mb, cpu, first_answer)
    finally:
        if proc.returncode is None:
            if stop == "SIGINT":
                proc.send_signal(signal.SIGINT)
            else:
                with contextlib.suppress(Exception):
                    proc.stdin.write(b"STOP\n")
                    await proc.stdin.drain()
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()
                await proc.wait()


def median_line(label: str, starts: list[Start]) -> str:
    ready = statistics.median(s.ready for s in starts)
    rss = statistics.median(s.rss_mb for s in starts)
    cpu = statistics.median(s.cpu for s in starts)
    first = statistics.median(s.first_answer for s in starts)
    return (
        f"{label:<9} READY {ready:5.2f} s (runs {' '.join(f'{s.ready:.2f}' for s in starts)})   "
        f"RSS {rss:5.1f} MB   CPU {cpu:5.2f} s   first answer {first:5.2f} s"
    )


def import_times(top: int = 20) -> str:
    """The slowest imports (cumulative µs) of the CLI and every built-in plugin, one process."""
    modules = ", ".join(["guildkit.core.cli", "guildkit.core.runtime"] + [f"guildkit.plugins.{p}" for p in PLUGINS])
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {modules}"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    rows: list[tuple[int, int, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append((int(cumulative), int(own), name.rstrip()))
    total = max((c for c, _, n in rows if not n.startswith(" ")), default=0)
    top_level = sum(c for c, _, n in rows if not n.startswith("  "))
    lines = [f"import time of CLI + runtime + plugins: {top_level / 1e6:.2f} s (python -X importtime)"]
    for cumulative, own, name in sorted(rows, reverse=True)[:top]:
        lines.append(f"  {cumulative / 1e3:8.1f} ms cumulative {own / 1e3:7.1f} ms own  {name.strip()}")
    del total
    return "\n".join(lines)


def profile_report(path: Path, top: int = 25) -> str:
    """The functions with the most time of their own, and guildkit's by cumulative time."""
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(r"guildkit|wt-|/core/|/plugins/", top)
    return f"cProfile of one start to READY and the first command ({path}):\n" + out.getvalue()


def compile_guildkit() -> str:
    """Write the bytecode of guildkit's own modules, as an install does; returns where."""
    import guildkit.core
    import guildkit.plugins

    folders = [str(Path(next(iter(package.__path__)))) for package in (guildkit.core, guildkit.plugins)]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True, timeout=300)
    return ", ".join(folders)


async def run(args: argparse.Namespace, workdir: Path) -> tuple[list[Start], list[Start]]:
    # Each bot gets its own Discord: the bare bot's start-up sync (delete_unused_application_cmds)
    # would otherwise delete guildkit's guild commands every round, and recreating them all each
    # start would measure Discord's daily quota of command creates, not a restart.
    async with DiscordEmulator() as emulator, DiscordEmulator() as bare_emulator:
        guild = emulator.create_guild("Cold Start Guild")
        member = await guild.member("first", admin=True)
        bare_member = await bare_emulator.create_guild("Bare Guild").member("first")
        config = bot_toml(workdir, emulator.api_base)
        env = {"DISCORD_TOKEN": emulator.token, "GUILDKIT_CONFIG": str(config)}
        migrate = await asyncio.create_subprocess_exec(
            *guildkit_command(),
            "migrate",
            "-c",
            str(config),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=child_env(env),
            cwd=workdir,
        )
        _, migrate_stderr = await migrate.communicate()
        if migrate.returncode != 0:
            raise BenchError(f"guildkit migrate failed:\n{migrate_stderr.decode(errors='replace')[-2000:]}")
        bare_env = {"GK_BENCH_API_BASE": bare_emulator.api_base, "GK_BENCH_TOKEN": bare_emulator.token}

        async def ask_guildkit() -> None:
            try:
                reply = await member.slash(args.command, timeout=10)
            except DriverError as error:
                raise BenchError(f"/{args.command}: {error}") from None
            if reply.type not in (4, 5):
                raise BenchError(f"/{args.command} was answered with type {reply.type}")

        async def ask_bare() -> None:
            try:
                reply = await bare_member.slash("ping", timeout=10)
            except DriverError as error:
                raise BenchError(f"bare /ping: {error}") from None
            if reply.content != "pong":
                raise BenchError(f"bare /ping answered {reply.content!r}")

        guildkit: list[Start] = []
        bare: list[Start] = []
        if args.profile:
            profiled = [sys.executable, "-m", "cProfile", "-o", str(args.profile), *guildkit_command()]
            start = await one_start(
                [*profiled, "run", "-c", str(config)], env, "guildkit is running", ask_guildkit, "SIGINT", workdir
            )
            print(f"profiled start (not in the figures): READY {start.ready:.2f} s, CPU {start.cpu:.2f} s", flush=True)
        for index in range(args.runs):
            start = await one_start(
                [*guildkit_command(), "run", "-c", str(config)],
                env,
                "guildkit is running",
                ask_guildkit,
                "SIGINT",
                workdir,
            )
            guildkit.append(start)
            print(
                f"guildkit run {index + 1}: READY {start.ready:.2f} s, RSS {start.rss_mb:.1f} MB, "
                f"CPU {start.cpu:.2f} s, first /{args.command} answered at {start.first_answer:.2f} s",
                flush=True,
            )
            start = await one_start(
                [sys.executable, str(BENCH_DIR / "_bare_bot.py")], bare_env, "READY ", ask_bare, "STOP", workdir
            )
            bare.append(start)
            print(
                f"bare     run {index + 1}: READY {start.ready:.2f} s, RSS {start.rss_mb:.1f} MB, "
                f"CPU {start.cpu:.2f} s, first /ping answered at {start.first_answer:.2f} s",
                flush=True,
            )
        return guildkit, bare


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="starts of each bot (default 5); medians are printed")
    parser.add_argument("--command", default="balance", help="guildkit's first command (default: balance)")
    parser.add_argument("--importtime", action="store_true", help="also print the slowest imports")
    parser.add_argument(
        "--profile", type=Path, metavar="FILE", help="first start guildkit once under cProfile into FILE and report it"
    )
    parser.add_argument(
        "--source", action="store_true", help="do not compile guildkit's bytecode first (PYTHONDONTWRITEBYTECODE)"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    print(f"guildkit: {source_state()}; load average before: {loadavg()}", flush=True)
    print(f"plugins on by default: {', '.join(PLUGINS)}; SQLite, migrations current", flush=True)
    if args.source:
        flag = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
        print(f"bytecode: not compiled first (PYTHONDONTWRITEBYTECODE={flag!r})")
    else:
        print(f"bytecode: compiled first ({compile_guildkit()})", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="guildkit-cold-"))
    try:
        guildkit, bare = asyncio.run(run(args, workdir))
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.importtime:
        print(import_times())
    if args.profile:
        print(profile_report(args.profile))
    print(f"medians of {args.runs} runs; load average after: {loadavg()}")
    print(median_line("guildkit", guildkit))
    print(median_line("bare", bare))
    ready = statistics.median(s.ready for s in guildkit)
    rss = statistics.median(s.rss_mb for s in guildkit)
    met = ready < AIM_READY_SECONDS and rss < AIM_READY_RSS_MB
    print(f"aim (READY < {AIM_READY_SECONDS:.1f} s, RSS < {AIM_READY_RSS_MB:.0f} MB): {'met' if met else 'NOT met'}")
    cpu = statistics.median(s.cpu for s in guildkit)
    # Start-up costs: above 1 guildkit takes longer than the bare library (CPU is the steadier one).
    print(f"cpu_ratio: {cpu / statistics.median(s.cpu for s in bare):.2f} (guildkit CPU to READY / bare's)")
    print(f"ratio: {ready / statistics.median(s.ready for s in bare):.2f} (guildkit time to READY / bare's)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
