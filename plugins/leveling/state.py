"""The leveling plugin's per-bot state: the XP engine (buffer, flusher, caches) and what a flush
sets off. Reached with ``runtime.state(LevelingState)``; two bots in one process never share one."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cachetools import TTLCache

from guildkit.core import clock
from guildkit.core.state import PluginState

from . import effects
from .service import Engine, FlushResult, guild_cache

if TYPE_CHECKING:
    from guildkit.core.plugin import Plugin
    from guildkit.core.runtime import Runtime


#: How many locks a member's role syncs are spread over.
ROLE_LOCK_STRIPES = 64


class LevelingState(PluginState):
    def __init__(self, runtime: Runtime, plugin: Plugin) -> None:
        super().__init__(runtime, plugin)
        self.engine = Engine(self.settings)
        self.engine.on_result = self.apply
        self.engine.on_curve_change = self.curve_changed
        #: (guild, ranked by) -> members on that leaderboard: the page count may lag by the TTL.
        self.ranked_counts: TTLCache[tuple[int, str], int] = guild_cache()
        # Striped locks (bounded, whatever the member count) serialising each member's role syncs.
        self._role_locks = [asyncio.Lock() for _ in range(ROLE_LOCK_STRIPES)]

    async def start(self) -> None:
        await self.engine.load_boosts()
        self.engine.start()
        # One voice job per shard, each run where that shard's voice states are (several processes).
        await self.runtime.scheduler.cancel(key="leveling:voice")
        await self.runtime.scheduler.schedule_per_shard(
            "leveling", "voice", self.runtime.shard_count(), every=timedelta(minutes=1)
        )

    async def stop(self) -> None:
        # The flusher's last run writes what is buffered; the database is still open.
        await self.engine.stop()

    async def settings(self, guild_id: int, channel_id: int | None = None) -> Any:
        return await self.runtime.settings.get(guild_id, "leveling", channel_id)

    async def flush(self) -> FlushResult:
        """Write everything buffered now (before a command reads XP)."""
        return await self.engine.flush()

    def invalidate(self, guild_id: int) -> None:
        """Forget the guild's cached configuration after an admin changed it."""
        self.engine.invalidate(guild_id)
        for key in [k for k in self.ranked_counts if k[0] == guild_id]:
            self.ranked_counts.pop(key, None)

    def role_lock(self, guild_id: int, user_id: int) -> asyncio.Lock:
        """The lock one member's level-role syncs take."""
        return self._role_locks[hash((guild_id, user_id)) % ROLE_LOCK_STRIPES]

    async def apply(self, result: FlushResult) -> None:
        await effects.apply(self, result)

    async def curve_changed(self, guild_id: int) -> None:
        await self.schedule_recompute(guild_id, roles=True)

    async def schedule_recompute(self, guild_id: int, *, roles: bool) -> None:
        """Recompute a guild's levels (and level roles) in the background, as a scheduler job."""
        await self.runtime.scheduler.schedule(
            "leveling", "recompute", clock.now(), guild_id=guild_id, payload={"guild_id": guild_id, "roles": roles}
        )
