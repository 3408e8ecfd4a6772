"""guildkit's bot for the benchmark: a real Runtime with every installed plugin plus ``bench``.

Started by ``slash_throughput.py`` in its own process; see ``_botproc.py`` for the protocol. It
starts the way ``guildkit run`` does (logging from the config, migrations, command sync), on a
fresh SQLite file, with nothing lifted: bot.toml's default global throttle (50 req/s, Discord's
limit) paces other routes and interaction answers are exempt from it, as ``guildkit run`` ships.

Before READY it switches ``bench`` on in the benchmark guild and stores two settings through the
settings service (a guild-level ``greeting`` and a channel override of ``limit``), so ``/flags``
reads real rows, not only schema defaults.
"""

from __future__ import annotations

import asyncio
import sys
import time

import _botproc
import bench_plugin

from guildkit.core.config import parse_config
from guildkit.core.logs import configure_logging
from guildkit.core.runtime import Runtime, freeze_startup_objects


async def wait_for_guild(runtime: Runtime, guild_id: int) -> None:
    assert runtime.client is not None
    async with asyncio.timeout(10):
        while runtime.client.get_guild(guild_id) is None:  # noqa: ASYNC110 - the client cache is the signal
            await asyncio.sleep(0.01)


async def main() -> int:
    began = time.perf_counter()
    guild_id = int(_botproc.env("GK_BENCH_GUILD"))
    channel_id = int(_botproc.env("GK_BENCH_CHANNEL"))
    database = _botproc.env("GK_BENCH_DATABASE")
    config = parse_config(
        {
            "bot": {"api_base": _botproc.api_base(), "command_scope": "guild"},
            "database": {"url": f"sqlite://{database}"},
            "logging": {"level": "WARNING"},
        }
    )
    configure_logging(config.logging)
    runtime = Runtime(config, extra_plugins=[bench_plugin.plugin])
    try:
        await runtime.start(_botproc.token())
        await wait_for_guild(runtime, guild_id)
        await runtime.set_plugin_enabled(guild_id, "bench", True, actor_id=None)
        await runtime.settings.set(guild_id, "bench", "greeting", "hello", channel_id=None, actor_id=None)
        await runtime.settings.set(guild_id, "bench", "limit", "7", channel_id=channel_id, actor_id=None)
        await runtime.commands.sync_guild(guild_id)  # a no-op unless the placement changed
        freeze_startup_objects()  # as `guildkit run` does once the bot is up
        _botproc.ready(
            kind="guildkit",
            boot_seconds=round(time.perf_counter() - began, 3),
            plugins=[plugin.name for plugin in runtime.plugins],
            discovered=[plugin.name for plugin in runtime.plugins if plugin.name != bench_plugin.plugin.name],
            database=runtime.database.describe(),
        )
        await _botproc.control_loop()
        return 0
    finally:
        await runtime.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
