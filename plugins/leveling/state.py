"""The leveling plugin's per-bot state: the XP engine (buffer, flusher, caches) and what a flush
sets off. Reached with ``runtime.state(LevelingState)``; two bots in one process never share one."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cachetools import TTLCache
from tortoise.backends.base.client import BaseDBAsyncClient

from guildkit.core import clock
from guildkit.core.caching import TTLMap
from guildkit.core.state import PluginState

from . import effects
from .service import Engine, FlushResult, LevelChange, RankSummary, guild_cache
from .service.engine import MessageRules

if TYPE_CHECKING:
    from guildkit.core.plugin import Plugin
    from guildkit.core.runtime import Runtime


#: How many locks a member's role syncs are spread over.
ROLE_LOCK_STRIPES = 64
#: A level role Discord or the role check refuses is reported at most this often per role.
REFUSAL_NOTICE_SECONDS = 3600
#: How long a message plan (a channel's settings and its guild's role multipliers, both read from
#: their caches) is reused: it is dropped at once when either is invalidated in this process.
PLAN_SECONDS = 1.0

#: (expires at, settings version, the guild's role multipliers, ``Engine.rules`` of the channel's settings)
MessagePlan = tuple[float, int, dict[int, float], MessageRules]


class LevelingState(PluginState):
    def __init__(self, runtime: Runtime, plugin: Plugin) -> None:
        super().__init__(runtime, plugin)
        self.engine = Engine(self.settings)
        self.engine.on_result = self.apply
        self.engine.on_curve_change = self.curve_changed
        self.engine.on_levels_claimed = self.levels_claimed
        self.engine.on_jobs_committed = self.jobs_committed
        self.engine.is_enabled = self.is_enabled
        self.engine.reports_awarded = lambda: effects.hook_implemented(runtime, "leveling_xp_awarded")
        #: (guild, ranked by) -> members on that leaderboard: the page count may lag by the TTL.
        self.ranked_counts: TTLMap[tuple[int, str], int] = guild_cache()
        #: (guild, role) -> a refused level role was already reported this hour (effects.notify_refusal).
        self.refusals_told: TTLCache[tuple[int, int], bool] = TTLCache(
            maxsize=10_000, ttl=REFUSAL_NOTICE_SECONDS, timer=clock.monotonic
        )
        # Striped locks (bounded, whatever the member count) serialising each member's role syncs.
        self._role_locks = [asyncio.Lock() for _ in range(ROLE_LOCK_STRIPES)]
        self._card_thread: ThreadPoolExecutor | None = None
        #: (guild, channel) -> what a message there needs (:meth:`message_plan`), for the hot path.
        self.plans: dict[tuple[int, int | None], MessagePlan] = {}

    async def start(self) -> None:
        await self.engine.load_boosts()
        self.engine.start()
        self.runtime.usage.succeeded_listeners.append(self.command_succeeded)
        # One voice job per shard, each run where that shard's voice states are (several processes).
        await self.runtime.scheduler.cancel(key="leveling:voice")
        await self.runtime.scheduler.schedule_per_shard(
            "leveling", "voice", self.runtime.shard_count(), every=timedelta(minutes=1)
        )

    async def render_card(self, name: str, summary: RankSummary) -> bytes:
        """The rank card PNG, drawn in the card thread: off the event loop, one at a time (the
        cached fonts are not shared between threads drawing at once)."""
        from . import card  # Pillow is imported on the first /rank, not at startup

        if self._card_thread is None:
            self._card_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leveling-card")
        return await asyncio.get_running_loop().run_in_executor(self._card_thread, card.render, name, summary)

    async def stop(self) -> None:
        if self._card_thread is not None:
            self._card_thread.shutdown(wait=False)
            self._card_thread = None
        if self.command_succeeded in self.runtime.usage.succeeded_listeners:
            self.runtime.usage.succeeded_listeners.remove(self.command_succeeded)
        # The flusher's last run writes what is buffered; the database is still open.
        await self.engine.stop()

    def command_succeeded(self, guild_id: int | None, user_id: int, plugin: str) -> None:
        """A command (of any plugin) that succeeded counts for quests and the leaderboard; the
        core's usage path calls this, so refused commands count nowhere but in the usage records."""
        if guild_id is not None:
            self.engine.command_succeeded(guild_id, user_id)

    async def is_enabled(self, guild_id: int) -> bool:
        return await self.runtime.flags.is_enabled(guild_id, "leveling")

    async def levels_claimed(self, guild_id: int, changes: list[LevelChange], connection: BaseDBAsyncClient) -> None:
        """Store the level roles and announcements that follow ``changes`` as one durable job, in
        the transaction that claims them: committed together, delivered with retries after a crash."""
        await self.runtime.scheduler.schedule(
            "leveling",
            "level_effects",
            clock.now(),
            guild_id=guild_id,
            payload={"changes": [effects.change_to_payload(change) for change in changes]},
            using_db=connection,
        )

    def jobs_committed(self) -> None:
        """Stored level_effects jobs are visible now: the scheduler claims them at once."""
        self.runtime.scheduler.wake()

    def message_plan(self, guild_id: int, channel_id: int | None, now: float) -> MessagePlan | None:
        """A new plan for messages in the channel from what is cached now, or None when the
        settings or role multipliers are not (the message then takes :meth:`on_message`'s path,
        which loads them). The listener reuses a plan for :data:`PLAN_SECONDS` while the settings'
        ``version`` is unchanged: one lookup per message instead of two caches and their clocks."""
        settings = self.runtime.settings.cached(guild_id, "leveling", channel_id)
        mults = self.engine.cached_role_multipliers(guild_id)
        if settings is None or mults is None:
            return None
        if len(self.plans) >= 10_000:  # bounded: old plans are cheap to make again
            self.plans.clear()
        plan = self.plans[(guild_id, channel_id)] = (
            now + PLAN_SECONDS,
            self.runtime.settings.version,
            mults,
            Engine.rules(settings),
        )
        return plan

    async def settings(self, guild_id: int, channel_id: int | None = None) -> Any:
        return await self.runtime.settings.get(guild_id, "leveling", channel_id)

    async def flush(self) -> FlushResult:
        """Write everything buffered now (shutdown, privacy; tests)."""
        return await self.engine.flush()

    async def flush_member(self, guild_id: int, user_id: int) -> FlushResult:
        """Write one member's buffer before a command reads their XP (read your own writes)."""
        return await self.engine.flush_member(guild_id, user_id)

    async def flush_guild(self, guild_id: int) -> FlushResult:
        """Write one guild's buffer before a command reads or rewrites the guild (leaderboard, reset)."""
        return await self.engine.flush_guild(guild_id)

    def invalidate(self, guild_id: int) -> None:
        """Forget the guild's cached configuration after an admin changed it."""
        self.engine.invalidate(guild_id)
        for key in [k for k in self.plans if k[0] == guild_id]:
            del self.plans[key]
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
