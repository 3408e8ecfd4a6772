"""guildkit's bot for ``leveling_throughput.py``: a real Runtime with the built-in plugins.

Protocol (``_botproc.py``): prints ``READY {json}``, then answers one command per stdin line:

- ``LEVELING on|off``: switch leveling in the benchmark guild (cooldown 0 is set at start);
- ``COUNT [n]``: ``COUNT <MessageCreate events handled> <listener tasks still running>`` (-1, not
  counted, while fewer than n were handled);
- ``FLUSH``: write leveling's XP buffer and run the jobs it scheduled; answers
  ``FLUSHED <ms in all> <ms writing the buffer>``;
- ``XP``: ``XP <sum of stored XP in the guild> <members with a row>``;
- ``CPU`` as in ``_botproc``;
- ``PROFILE_START``, ``PROFILE_STOP FILE``: cProfile the event loop's thread;
- ``STOP`` as in ``_botproc``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

import _botproc
import interactions

from guildkit.core import ipy
from guildkit.core.config import parse_config
from guildkit.core.logs import configure_logging
from guildkit.core.runtime import Runtime, freeze_startup_objects


async def main() -> int:
    began = time.perf_counter()
    guild_id = int(_botproc.env("GK_BENCH_GUILD"))
    database = _botproc.env("GK_BENCH_DATABASE")
    config = parse_config(
        {
            "bot": {"api_base": _botproc.api_base(), "command_scope": "guild"},
            "database": {"url": database},
            "logging": {"level": "WARNING"},
        }
    )
    configure_logging(config.logging)
    flush_seconds = os.environ.get("GK_BENCH_FLUSH_SECONDS")
    if flush_seconds:  # --instructions: see leveling_throughput.py
        from guildkit.plugins.leveling.service import engine

        engine.FLUSH_SECONDS = float(flush_seconds)
    runtime = Runtime(config)  # as shipped: nothing lifted
    handled = 0

    async def count(event: interactions.events.MessageCreate) -> None:
        nonlocal handled
        if not event.message.author.bot:  # the bot's own level-up posts come back as events too
            handled += 1

    try:
        await runtime.start(_botproc.token())
        assert runtime.client is not None
        runtime.client.add_listener(interactions.Listener.create("message_create")(count))
        async with asyncio.timeout(10):
            while runtime.client.get_guild(guild_id) is None:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        await runtime.set_plugin_enabled(guild_id, "leveling", True, actor_id=None)
        await runtime.settings.set(guild_id, "leveling", "cooldown_seconds", "0", channel_id=None, actor_id=None)
        announce = _botproc.env("GK_BENCH_ANNOUNCE")
        await runtime.settings.set(guild_id, "leveling", "announce", announce, channel_id=None, actor_id=None)
        await runtime.set_plugin_enabled(guild_id, "leveling", False, actor_id=None)
        freeze_startup_objects()  # as `guildkit run` does once the bot is up
        _botproc.ready(
            kind="guildkit",
            boot_seconds=round(time.perf_counter() - began, 3),
            plugins=[p.name for p in runtime.plugins],
            database=runtime.database.describe(),
        )

        from guildkit.plugins.leveling.models import Member
        from guildkit.plugins.leveling.state import LevelingState

        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            raw = await reader.readline()
            if not raw:
                return 0
            command, _, argument = raw.decode().strip().partition(" ")
            if command == "STOP":
                return 0
            if command == "LEVELING":
                await runtime.set_plugin_enabled(guild_id, "leveling", argument == "on", actor_id=None)
                _botproc.say("OK")
            elif command == "COUNT":
                # With ``COUNT <n>``, listener tasks are only counted once n events were handled:
                # polling every 2 ms, walking every task each time was the bot's own measurable work.
                expected = int(argument) if argument else 0
                running = sum(1 for task in ipy.listener_tasks() if not task.done()) if handled >= expected else -1
                _botproc.say(f"COUNT {handled} {running}")
            elif command == "FLUSH":
                started = time.perf_counter()
                await runtime.state(LevelingState).flush()
                written = time.perf_counter()
                # And what the flushes scheduled (level roles, announcements), so the timed window
                # holds all of leveling's work.
                await runtime.scheduler.run_due()
                done = time.perf_counter()
                _botproc.say(f"FLUSHED {(done - started) * 1000:.1f} {(written - started) * 1000:.1f}")
            elif command == "XP":
                rows = await Member.filter(guild_id=guild_id).values_list("xp", flat=True)
                _botproc.say(f"XP {sum(rows)} {len(rows)}")
            elif command == "PROFILE_START":
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
                _botproc.say("OK")
            elif command == "PROFILE_STOP":
                profiler.disable()
                profiler.dump_stats(argument)
                _botproc.say("OK")
            elif command == "CPU":
                _botproc.say(_botproc.cpu_answer())
            else:
                _botproc.say(f"ERROR unknown command {command!r}")
    finally:
        await runtime.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
