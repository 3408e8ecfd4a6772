"""Per-guild plugin settings with channel overrides.

A value is resolved as: channel override > guild value > bot.toml > the schema default.
Schemas are pydantic models declared by plugins; values typed by admins are validated by them.
"""

from __future__ import annotations

import json
import logging
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.caching import ReadThroughCache
from guildkit.core.config import BotConfig
from guildkit.core.errors import ConfigError, UserError
from guildkit.core.inputs import quote
from guildkit.core.models import AuditLog, SettingValue
from guildkit.core.notify import Change, announce
from guildkit.core.plugin import Plugin

log = logging.getLogger("guildkit.settings")
GUILD_LEVEL = 0


@dataclass(frozen=True)
class SettingInfo:
    key: str
    type_name: str
    allowed: str
    default: Any
    description: str


def _describe_field(field: FieldInfo) -> tuple[str, str]:
    """A human name for the type and a sentence of allowed values."""
    annotation = field.annotation
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    optional = origin in (typing.Union, types.UnionType) and len(args) < len(typing.get_args(annotation))
    if optional and len(args) == 1:
        annotation, origin = args[0], typing.get_origin(args[0])
    bounds = []
    for meta in field.metadata:
        if isinstance(meta, annotated_types.Ge):
            bounds.append(f"at least {meta.ge}")
        elif isinstance(meta, annotated_types.Gt):
            bounds.append(f"more than {meta.gt}")
        elif isinstance(meta, annotated_types.Le):
            bounds.append(f"at most {meta.le}")
        elif isinstance(meta, annotated_types.Lt):
            bounds.append(f"less than {meta.lt}")
        elif isinstance(meta, annotated_types.MaxLen):
            bounds.append(f"up to {meta.max_length} characters")
    suffix = (" " + " and ".join(bounds)) if bounds else ""
    none_hint = ", or `none`" if optional else ""
    if origin is Literal:
        choices = ", ".join(f"`{c}`" for c in typing.get_args(annotation))
        return "choice", f"one of {choices}{none_hint}"
    if annotation is bool:
        return "true/false", f"`true` or `false`{none_hint}"
    if annotation is int:
        return "whole number", f"a whole number{suffix}{none_hint}"
    if annotation is float:
        return "number", f"a number{suffix}{none_hint}"
    if annotation is str:
        return "text", f"text{suffix}{none_hint}"
    name = getattr(annotation, "__name__", str(annotation))
    return name, f"a {name}{none_hint}"


class SettingsService:
    def __init__(self, plugins: dict[str, Plugin], config: BotConfig) -> None:
        self._plugins = plugins
        self._config = config
        self._base: dict[str, dict[str, Any]] = {}
        self._overrides: ReadThroughCache[tuple[int, str], dict[tuple[str, int], Any]] = ReadThroughCache(
            maxsize=config.cache.max_entries, ttl=config.cache.ttl_seconds
        )
        self._resolved: ReadThroughCache[tuple[int, str, int], BaseModel] = ReadThroughCache(
            maxsize=config.cache.max_entries, ttl=config.cache.ttl_seconds
        )
        for plugin in plugins.values():
            self._base[plugin.name] = self._validated_toml_defaults(plugin)
        #: Goes up with every invalidation: a plugin keeping settings it read (a per-message plan)
        #: compares it to know they are still current, without reading the cache again.
        self.version = 0

    def _validated_toml_defaults(self, plugin: Plugin) -> dict[str, Any]:
        toml_values = self._config.plugins.plugin(plugin.name).settings
        if plugin.settings is None:
            if toml_values:
                raise ConfigError(
                    f"bot.toml: plugin {plugin.name} has no settings, remove plugins.{plugin.name}.settings"
                )
            return {}
        unknown = sorted(set(toml_values) - set(plugin.settings.model_fields))
        if unknown:
            raise ConfigError(
                f"bot.toml: unknown key `plugins.{plugin.name}.settings.{unknown[0]}`; "
                f"{plugin.name} has: {', '.join(plugin.settings.model_fields)}"
            )
        try:
            return plugin.settings.model_validate({**plugin.default_settings(), **toml_values}).model_dump()
        except ValidationError as error:
            first = error.errors()[0]
            key = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"bot.toml: `plugins.{plugin.name}.settings.{key}`: {first['msg']}") from None

    def schema(self, plugin_name: str) -> type[BaseModel]:
        plugin = self._plugin(plugin_name)
        if plugin.settings is None:
            raise UserError(f"The **{plugin_name}** plugin has no settings.")
        return plugin.settings

    def _plugin(self, name: str) -> Plugin:
        plugin = self._plugins.get(name)
        if plugin is None:
            raise UserError(f"There is no plugin called {quote(name, 40)}. See `/plugins list`.")
        return plugin

    def describe(self, plugin_name: str) -> list[SettingInfo]:
        schema = self.schema(plugin_name)
        infos = []
        for key, field in schema.model_fields.items():
            type_name, allowed = _describe_field(field)
            infos.append(SettingInfo(key, type_name, allowed, self._base[plugin_name][key], field.description or ""))
        return infos

    async def _load_overrides(self, guild_id: int, plugin_name: str) -> dict[tuple[str, int], Any]:
        cache_key = (guild_id, plugin_name)
        overrides = self._overrides.get(cache_key)
        if overrides is None:
            generation = self._overrides.generation
            rows = await SettingValue.filter(guild_id=guild_id, plugin=plugin_name).values_list(
                "key", "channel_id", "value"
            )
            overrides = {(key, channel_id): json.loads(value) for key, channel_id, value in rows}
            self._overrides.put(cache_key, overrides, generation)
        return overrides

    def cached(self, guild_id: int, plugin_name: str, channel_id: int | None = None) -> Any | None:
        """What :meth:`get` would return, if it is in the cache now; else None (no database read)."""
        return self._resolved.get((guild_id, plugin_name, channel_id or GUILD_LEVEL))

    async def get(self, guild_id: int, plugin_name: str, channel_id: int | None = None) -> Any:
        """The plugin's settings model for this guild (and channel), every override applied."""
        cache_key = (guild_id, plugin_name, channel_id or GUILD_LEVEL)
        resolved = self._resolved.get(cache_key)
        if resolved is not None:
            return resolved
        schema = self.schema(plugin_name)
        generation = self._resolved.generation
        overrides = await self._load_overrides(guild_id, plugin_name)
        values = dict(self._base[plugin_name])
        for (key, override_channel), value in overrides.items():
            if override_channel == GUILD_LEVEL and key in values:
                values[key] = value
        if channel_id:
            for (key, override_channel), value in overrides.items():
                if override_channel == channel_id and key in values:
                    values[key] = value
        resolved = schema.model_construct(**values)  # every value was validated when stored
        self._resolved.put(cache_key, resolved, generation)
        return resolved

    async def overrides(self, guild_id: int, plugin_name: str) -> dict[tuple[str, int], Any]:
        self.schema(plugin_name)
        return dict(await self._load_overrides(guild_id, plugin_name))

    def parse(self, plugin_name: str, key: str, raw: str) -> Any:
        """Turn what an admin typed into a valid value or raise a UserError naming the key."""
        schema = self.schema(plugin_name)
        field = schema.model_fields.get(key)
        if field is None:
            keys = ", ".join(f"`{k}`" for k in schema.model_fields)
            raise UserError(f"{quote(plugin_name, 40)} has no setting {quote(key, 40)}. Settings: {keys}.")
        _, allowed = _describe_field(field)
        text = raw.strip()
        candidate: Any = None if text.lower() in ("none", "null", "") else text
        try:
            # Validate the whole model so field constraints (ge, le, Literal) apply.
            values = {**self._base[plugin_name], key: candidate}
            return getattr(schema.model_validate(values), key)
        except ValidationError:
            raise UserError(f"`{key}` must be {allowed}; {quote(raw)} is not.") from None

    async def set(
        self, guild_id: int, plugin_name: str, key: str, raw: str, *, channel_id: int | None, actor_id: int | None
    ) -> Any:
        value = self.parse(plugin_name, key, raw)
        channel = channel_id or GUILD_LEVEL
        now = clock.now()
        async with in_transaction() as conn:
            row = (
                await SettingValue.filter(guild_id=guild_id, plugin=plugin_name, key=key, channel_id=channel)
                .using_db(conn)
                .first()
            )
            before = row.value if row else None
            encoded = json.dumps(value)
            if row is None:
                await SettingValue.create(
                    guild_id=guild_id,
                    plugin=plugin_name,
                    key=key,
                    channel_id=channel,
                    value=encoded,
                    changed_by=actor_id,
                    changed_at=now,
                    using_db=conn,
                )
            else:
                row.value, row.changed_by, row.changed_at = encoded, actor_id, now
                await row.save(using_db=conn)
            await AuditLog.create(
                guild_id=guild_id,
                actor_id=actor_id,
                action="config.set",
                target=_target(plugin_name, key, channel),
                before=before,
                after=encoded,
                at=now,
                using_db=conn,
            )
            await announce(conn, Change("settings", guild_id=guild_id, plugin=plugin_name))
        self.invalidate(guild_id, plugin_name)
        return value

    async def reset(
        self, guild_id: int, plugin_name: str, key: str | None, *, channel_id: int | None, actor_id: int | None
    ) -> int:
        """Remove overrides: one key or all of the plugin's, at guild level or for one channel."""
        schema = self.schema(plugin_name)
        if key is not None and key not in schema.model_fields:
            raise UserError(f"{quote(plugin_name, 40)} has no setting {quote(key, 40)}.")
        channel = channel_id or GUILD_LEVEL
        query = SettingValue.filter(guild_id=guild_id, plugin=plugin_name, channel_id=channel)
        if key is not None:
            query = query.filter(key=key)
        async with in_transaction() as conn:
            rows = await query.using_db(conn).all()
            for row in rows:
                await AuditLog.create(
                    guild_id=guild_id,
                    actor_id=actor_id,
                    action="config.reset",
                    target=_target(plugin_name, row.key, channel),
                    before=row.value,
                    after=None,
                    at=clock.now(),
                    using_db=conn,
                )
            deleted = await query.using_db(conn).delete()
            if deleted:
                await announce(conn, Change("settings", guild_id=guild_id, plugin=plugin_name))
        self.invalidate(guild_id, plugin_name)
        return deleted

    def invalidate(self, guild_id: int | None = None, plugin_name: str | None = None) -> None:
        """Drop cached values: of one plugin in one guild, of every plugin in a guild (no
        ``plugin_name``), or everything (neither)."""
        self.version += 1
        if guild_id is None:
            self._overrides.clear()
            self._resolved.clear()
            return
        self._overrides.invalidate_where(lambda key: key[0] == guild_id and plugin_name in (None, key[1]))
        self._resolved.invalidate_where(lambda key: key[0] == guild_id and plugin_name in (None, key[1]))


def _target(plugin: str, key: str, channel: int) -> str:
    return f"{plugin}.{key}" + (f"@{channel}" if channel else "")
