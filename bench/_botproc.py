"""What both benchmark bots share: environment, the READY line, and the stdin control loop.

A bot process is started by ``slash_throughput.py`` with the emulator's address in the environment
(``GK_BENCH_API_BASE``, ``GK_BENCH_TOKEN``). Once it answers interactions it prints one line
``READY {json}`` on stdout. Then it obeys one command per stdin line:

- ``CPU``: answer ``CPU <cpu seconds> <gc seconds> <gc collections> <system seconds> <loop seconds>``
  (CPU time of every thread of the process; time spent in the cyclic garbage collector and how
  many collections ran; the part of the CPU time spent in the kernel; the CPU time of the event
  loop's thread alone);
- ``PROFILE_START <path>`` / ``PROFILE_STOP``: cProfile the event-loop thread, write ``<path>``;
  both answer ``OK``;
- ``STOP`` (or end of input, e.g. the parent died): shut the bot down and exit 0.
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import json
import os
import sys
import time
from typing import Any

#: interactions.py throttles every REST call to 45/s; only the bare baseline lifts it (before login).
UNTHROTTLED = 1_000_000


class GcClock:
    """Wall time the process spends in the cyclic garbage collector, from ``gc.callbacks``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections += 1


GC = GcClock()


def env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        sys.exit(f"{name} is not set; run bench/slash_throughput.py, which starts this bot")
    return value


def api_base() -> str:
    return env("GK_BENCH_API_BASE")


def token() -> str:
    return env("GK_BENCH_TOKEN")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def ready(**info: Any) -> None:
    say("READY " + json.dumps(info))


def cpu_answer() -> str:
    """The answer to ``CPU``, the same for every bot process of the benchmarks."""
    cpu, system, loop = time.process_time(), os.times().system, time.thread_time()
    return f"CPU {cpu:.6f} {GC.seconds:.6f} {GC.collections} {system:.6f} {loop:.6f}"


async def control_loop() -> None:
    """Serve the parent's commands until STOP or end of input."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    profiler: cProfile.Profile | None = None
    profile_path = ""
    while True:
        raw = await reader.readline()
        if not raw:
            return
        command, _, argument = raw.decode().strip().partition(" ")
        if command == "STOP":
            return
        if command == "CPU":
            say(cpu_answer())
        elif command == "PROFILE_START":
            profiler, profile_path = cProfile.Profile(), argument
            profiler.enable()
            say("OK")
        elif command == "PROFILE_STOP":
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(profile_path)
                profiler = None
            say("OK")
        else:
            say(f"ERROR unknown command {command!r}")
