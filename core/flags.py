"""Per-guild feature flags: is a plugin or sub-feature on in a guild."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.caching import ReadThroughCache
from guildkit.core.config import BotConfig
from guildkit.core.errors import UserError
from guildkit.core.models import AuditLog, FeatureFlag
from guildkit.core.notify import Change, announce
from guildkit.core.plugin import Plugin
from guildkit.core.upsert import upsert

log = logging.getLogger("guildkit.flags")


@dataclass(frozen=True)
class FlagChange:
    name: str
    before: bool
    after: bool

    @property
    def changed(self) -> bool:
        return self.before != self.after


class FlagService:
    """Reads go through a per-guild TTL cache that writes invalidate, so the hot path (every
    message, every command) costs a dict lookup, not a query. Another process sharing a PostgreSQL
    database hears of a change at commit (core/notify.py) and drops its entry."""

    def __init__(self, plugins: dict[str, Plugin], config: BotConfig) -> None:
        self._plugins = plugins
        self._config = config
        # Computed once: the hot path asks for defaults on every event of a guild without rows.
        self._defaults: dict[str, bool] = {}
        for plugin in plugins.values():
            configured = config.plugins.plugin(plugin.name).enabled_by_default
            self._defaults[plugin.name] = plugin.enabled_by_default if configured is None else configured
            for feature, on in plugin.features.items():
                self._defaults[f"{plugin.name}.{feature}"] = on
        self._guild_rows: ReadThroughCache[int, dict[str, bool]] = ReadThroughCache(
            maxsize=config.cache.max_entries, ttl=config.cache.ttl_seconds
        )

    def known(self, name: str) -> bool:
        return name in self._defaults

    def default(self, name: str) -> bool:
        return self._defaults[name]

    async def _rows(self, guild_id: int) -> dict[str, bool]:
        rows = self._guild_rows.get(guild_id)
        if rows is None:
            generation = self._guild_rows.generation
            found = await FeatureFlag.filter(guild_id=guild_id).values_list("name", "enabled")
            rows = {name: bool(enabled) for name, enabled in found}
            self._guild_rows.put(guild_id, rows, generation)
        return rows

    async def own_value(self, guild_id: int, name: str) -> bool:
        """The flag's own value (row or default), ignoring whether its plugin is on."""
        rows = await self._rows(guild_id)
        value = rows.get(name)
        return self.default(name) if value is None else value

    def cached_plugin_enabled(self, guild_id: int, plugin: str) -> bool | None:
        """Whether ``plugin`` is on in the guild, from the cache alone; None when the guild's flags
        are not cached (then :meth:`load` them). The dispatcher decides with this, synchronously,
        whether a listener gets a task at all."""
        rows = self._guild_rows.get(guild_id)
        if rows is None:
            return None
        value = rows.get(plugin)
        return self._defaults[plugin] if value is None else value

    async def load(self, guild_id: int) -> None:
        """Read the guild's flags into the cache (if they are not there)."""
        await self._rows(guild_id)

    async def is_enabled(self, guild_id: int, name: str) -> bool:
        """True if ``name`` is on in the guild; a sub-feature also needs its plugin on."""
        # Asked on every command and event: one cache read, no further awaits when cached.
        rows = self._guild_rows.get(guild_id)
        if rows is None:
            rows = await self._rows(guild_id)
        plugin, dot, _ = name.partition(".")
        value = rows.get(plugin)
        if not (self._defaults[plugin] if value is None else value):
            return False
        if not dot:
            return True
        value = rows.get(name)
        return self._defaults[name] if value is None else value

    async def enabled_plugins(self, guild_id: int) -> set[str]:
        return {name for name in self._plugins if await self.own_value(guild_id, name)}

    async def set(self, guild_id: int, name: str, enabled: bool, actor_id: int | None) -> FlagChange:
        """Store the flag and an audit row in one transaction. Unchanged values write nothing."""
        if not self.known(name):
            raise UserError(f"There is no plugin or feature called `{name}`. See `/plugins list`.")
        before = await self.own_value(guild_id, name)
        self._guild_rows.invalidate(guild_id)
        now = clock.now()
        async with in_transaction() as conn:
            row = await FeatureFlag.filter(guild_id=guild_id, name=name).using_db(conn).first()
            stored_before = before if row is None else row.enabled
            if stored_before == enabled and row is not None:
                return FlagChange(name, stored_before, enabled)
            # Without a row the value is only the default: store the admin's choice anyway, so a
            # later change of the default in bot.toml does not override it.
            await upsert(
                FeatureFlag,
                conflict=("guild_id", "name"),
                values={
                    "guild_id": guild_id,
                    "name": name,
                    "enabled": enabled,
                    "changed_by": actor_id,
                    "changed_at": now,
                },
                connection=conn,
            )
            await AuditLog.create(
                guild_id=guild_id,
                actor_id=actor_id,
                action="plugin.enable" if enabled else "plugin.disable",
                target=name,
                before=json.dumps(stored_before),
                after=json.dumps(enabled),
                at=now,
                using_db=conn,
            )
            await announce(conn, Change("flags", guild_id=guild_id))
        self._guild_rows.invalidate(guild_id)
        log.info("flag changed guild=%s name=%s enabled=%s actor=%s", guild_id, name, enabled, actor_id)
        return FlagChange(name, stored_before, enabled)

    def invalidate(self, guild_id: int | None = None) -> None:
        if guild_id is None:
            self._guild_rows.clear()
        else:
            self._guild_rows.invalidate(guild_id)
