"""The object behind the ``gk`` fixture: the emulator, a real bot on a fresh database, and a clock.

async def test_rank(gk):
    guild = await gk.guild(plugins=["leveling"])
    alice = await guild.member("alice")
    reply = await alice.slash("rank")
    assert "Level 0" in reply.content
"""

from __future__ import annotations

import asyncio
import copy
import os
import sys
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from guildkit.core import clock as core_clock
from guildkit.core.config import BotConfig, parse_config
from guildkit.core.plugin import Plugin
from guildkit.core.runtime import Runtime
from guildkit.core.testing.emulator import DiscordEmulator

T = TypeVar("T")


async def start_bot_script(script: Path, env: Mapping[str, str] | None = None) -> asyncio.subprocess.Process:
    """Run ``script``, a bot in a process of its own that prints ``STARTED`` once ``Runtime.start``
    has returned, with ``env`` added to this environment; return once it printed that line (from
    then on it answers interactions). Its stdout stays readable for further lines. Its stderr goes
    to ``script.with_suffix(".log")``, a file rather than a pipe nobody reads (a bot never blocks
    on it), whose end is shown when the bot stops before starting."""
    log = script.with_suffix(".log")
    with log.open("ab") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            env={**os.environ, **(env or {})},
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
    assert line.strip() == b"STARTED", (line, log.read_text(errors="replace")[-3000:])
    return process


@contextmanager
def created_tasks() -> Iterator[list[asyncio.Task[Any]]]:
    """Every task the running loop creates inside the block, to assert what work an event costs
    (read names afterwards: the loop names a task after its factory returned it)."""
    loop = asyncio.get_running_loop()
    previous = loop.get_task_factory()
    created: list[asyncio.Task[Any]] = []

    def recording(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        task = previous(loop, coro, **kwargs) if previous else asyncio.Task(coro, loop=loop, **kwargs)
        created.append(task)
        return task

    loop.set_task_factory(recording)
    try:
        yield created
    finally:
        loop.set_task_factory(previous)


async def eventually(check: Callable[[], Awaitable[T]], *, within: float = 5.0) -> T:
    """Await ``check`` until it returns something truthy and return that.

    Gateway events reach the bot asynchronously; use this to wait for what a listener writes.
    """
    async with asyncio.timeout(within):
        while not (result := await check()):  # noqa: ASYNC110 - polling the state a listener writes
            await asyncio.sleep(0.01)
    return result


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class GuildkitHarness:
    def __init__(
        self,
        emulator: DiscordEmulator,
        database_url: str,
        clock: core_clock.ManualClock,
        *,
        plugins: Iterable[Plugin] = (),
        config: dict[str, Any] | None = None,
    ) -> None:
        self.emulator = emulator
        self.database_url = database_url
        self.clock = clock
        self.extra_plugins = list(plugins)
        self.config_overrides = config or {}
        self.runtime: Runtime | None = None

    @property
    def dialect(self) -> str:
        return "sqlite" if self.database_url.startswith("sqlite") else "postgres"

    def config(self, **overrides: Any) -> BotConfig:
        base = {
            "bot": {"api_base": self.emulator.api_base, "guild_event_timeout": 0.5},
            "database": {"url": self.database_url},
        }
        return parse_config(_merge(_merge(base, self.config_overrides), overrides))

    async def start(self, **config_overrides: Any) -> Runtime:
        """Start the bot (once); waits until it answers interactions."""
        if self.runtime is None:
            runtime = Runtime(
                self.config(**config_overrides),
                extra_plugins=self.extra_plugins,
                database_url=self.database_url,  # never GUILDKIT_DATABASE_URL from the environment
            )
            await runtime.start(self.emulator.token)
            self.runtime = runtime
        return self.runtime

    @property
    def bot(self) -> Runtime:
        if self.runtime is None:
            raise RuntimeError("the bot is not running; call `await gk.start()` or `await gk.guild()` first")
        return self.runtime

    async def restart(self, **config_overrides: Any) -> Runtime:
        """Stop the bot and start a new one on the same database, as after a crash or deploy."""
        await self.stop()
        return await self.start(**config_overrides)

    async def stop(self) -> None:
        runtime, self.runtime = self.runtime, None
        if runtime is not None:
            await runtime.close()

    async def guild(self, name: str = "Test Guild", *, plugins: Iterable[str] | None = None) -> Any:
        """A new guild with the bot in it. With ``plugins``, exactly those are on there."""
        runtime = await self.start()
        guild = self.emulator.create_guild(name)
        await self._wait_for_guild(runtime, guild.id)
        if plugins is not None:
            wanted = set(plugins)
            unknown = wanted - set(runtime.by_name)
            if unknown:
                raise ValueError(f"unknown plugin(s) {sorted(unknown)}; loaded: {sorted(runtime.by_name)}")
            # Dependencies first when enabling, dependants first when disabling.
            for plugin in runtime.plugins:
                if plugin.name in wanted:
                    await runtime.set_plugin_enabled(guild.id, plugin.name, True, actor_id=None)
            for plugin in reversed(runtime.plugins):
                if plugin.name not in wanted and await runtime.flags.own_value(guild.id, plugin.name):
                    await runtime.set_plugin_enabled(guild.id, plugin.name, False, actor_id=None)
        if runtime.config.bot.command_scope == "guild":
            await runtime.commands.sync_guild(guild.id)
        return guild

    async def _wait_for_guild(self, runtime: Runtime, guild_id: int) -> None:
        assert runtime.client is not None
        try:
            async with asyncio.timeout(5):
                # The client cache is the one place that reflects both READY and later GUILD_CREATEs.
                while runtime.client.get_guild(guild_id) is None:  # noqa: ASYNC110
                    await asyncio.sleep(0.005)
        except TimeoutError:
            raise TimeoutError(f"the bot did not receive GUILD_CREATE for guild {guild_id}") from None

    async def close(self) -> None:
        await self.stop()
