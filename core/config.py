"""bot.toml: loading, defaults and validation.

Unknown keys and wrong types are startup errors that name the key (``database.url: ...``).
Every key is documented in the bot.toml at the repository root.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guildkit.core.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite://data/guildkit.db"
DISCORD_API_BASE = "https://discord.com/api/v10"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BotSection(_Section):
    token: str = ""
    #: "guild": plugin commands exist only in guilds where the plugin is on (re-synced on toggle).
    #: "global": every command everywhere, the gate refuses disabled ones (for many guilds).
    command_scope: Literal["guild", "global"] = "guild"
    api_base: str = DISCORD_API_BASE
    #: The bot's total shard count: 1 = a plain Client; "auto" or N > 1 = interactions.py's
    #: AutoShardedClient.
    shards: int | Literal["auto"] = 1
    #: The shards this process connects, out of ``shards``; empty = all of them. Several
    #: processes sharing one PostgreSQL database each take a disjoint range.
    shard_ids: list[int] = Field(default_factory=list)
    #: Seconds the client waits for each GUILD_CREATE after READY.
    guild_event_timeout: float = Field(default=3.0, gt=0)
    #: REST requests a second, Discord's global limit per bot. Interaction answers (callbacks,
    #: @original edits, follow-ups) are exempt, as on Discord, and never wait for it.
    rest_requests_per_second: int = Field(default=50, ge=1)
    #: Hours a disabled plugin's commands stay registered in a server (answering "disabled
    #: here") before they are removed: switching it back on within them costs no command creates.
    command_removal_grace_hours: float = Field(default=24.0, ge=0)


class DatabaseSection(_Section):
    url: str = DEFAULT_DATABASE_URL
    migrate_on_start: bool = True
    pool_max: int = Field(default=10, ge=1)
    #: SQLite only: milliseconds a writer waits for another process's lock.
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)


class CacheSection(_Section):
    ttl_seconds: float = Field(default=30.0, gt=0)
    max_entries: int = Field(default=50_000, ge=100)


class SchedulerSection(_Section):
    enabled: bool = True
    #: Seconds between looks for due jobs; jobs scheduled sooner wake the scheduler at once.
    poll_seconds: float = Field(default=2.0, gt=0)
    #: Jobs run at the same time. Most jobs wait on Discord, which takes 50 requests a second
    #: from a bot: 50 keeps that limit busy when a request takes up to a second, while bounding
    #: the leases held and the database connections asked for at once.
    concurrency: int = Field(default=50, ge=1, le=1000)


class RetentionSection(_Section):
    #: Days a guild's data is kept after the bot leaves it; rejoining within them keeps it all.
    guild_grace_days: int = Field(default=30, ge=0)
    #: Daily run (cron expression, UTC).
    schedule: str = "30 4 * * *"
    #: Rows per batch; the bot answers between batches.
    batch_size: int = Field(default=5000, ge=100)


class BackupSection(_Section):
    #: Folder for `guildkit backup` files (relative to bot.toml).
    dir: str = "backups"
    #: How many backups to keep; older ones are deleted after a new one is written.
    keep: int = Field(default=7, ge=1)
    #: Also back up on a schedule (cron expression, UTC), e.g. "0 3 * * *"; empty = only by hand.
    schedule: str = ""


class LoggingSection(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"
    #: Per-logger levels, e.g. {"interactions" = "WARNING"}.
    levels: dict[str, Literal["DEBUG", "INFO", "WARNING", "ERROR"]] = Field(
        default_factory=lambda: {"interactions": "WARNING", "tortoise": "WARNING", "aiosqlite": "WARNING"}
    )


class CooldownConfig(_Section):
    #: Each member may use each of the plugin's commands `uses` times per `per_seconds`.
    uses: int = Field(ge=1)
    per_seconds: float = Field(gt=0)


class PluginSection(_Section):
    enabled_by_default: bool | None = None
    #: Per-member rate limit for the plugin's commands (those without their own cooldown).
    cooldown: CooldownConfig | None = None
    #: Guild-level defaults for the plugin's settings; validated against its schema at startup.
    settings: dict[str, Any] = Field(default_factory=dict)
    #: Retention overrides per policy name, e.g. {"messages" = "30d"}.
    retention: dict[str, str] = Field(default_factory=dict)
    #: Bot-wide options of the plugin that are not per-server settings (music's Lavalink nodes);
    #: the plugin validates them when it starts.
    config: dict[str, Any] = Field(default_factory=dict)


class PluginsSection(_Section):
    model_config = ConfigDict(extra="allow")
    #: Which installed plugins load: "*" for all of them, or a list of names.
    load: Literal["*"] | list[str] = "*"

    def plugin(self, name: str) -> PluginSection:
        raw = (self.model_extra or {}).get(name)
        if raw is None:
            return PluginSection()
        return PluginSection.model_validate(raw)

    def configured_names(self) -> list[str]:
        return sorted(self.model_extra or {})


class BotConfig(_Section):
    bot: BotSection = Field(default_factory=BotSection)
    database: DatabaseSection = Field(default_factory=DatabaseSection)
    cache: CacheSection = Field(default_factory=CacheSection)
    scheduler: SchedulerSection = Field(default_factory=SchedulerSection)
    retention: RetentionSection = Field(default_factory=RetentionSection)
    backup: BackupSection = Field(default_factory=BackupSection)
    logging: LoggingSection = Field(default_factory=LoggingSection)
    plugins: PluginsSection = Field(default_factory=PluginsSection)
    #: Where the file was read from; relative SQLite paths resolve against its folder.
    source: Path | None = Field(default=None, exclude=True)

    @property
    def token(self) -> str:
        return os.environ.get("DISCORD_TOKEN", "").strip() or self.bot.token.strip()

    @property
    def database_url(self) -> str:
        return os.environ.get("GUILDKIT_DATABASE_URL", "").strip() or self.database.url


def _format_validation_error(error: ValidationError, path: Path | None) -> str:
    where = f"{path}: " if path else ""
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"{where}unknown key `{key}`")
        else:
            lines.append(f"{where}`{key}`: {item['msg']} (got {item.get('input')!r})")
    return "bot.toml is invalid:\n  " + "\n  ".join(lines)


def _check_shards(bot: BotSection, path: Path | None) -> None:
    """``bot.shards`` is a total and ``bot.shard_ids`` a subset of ``range(shards)``."""
    where = f"{path}: " if path else ""
    if isinstance(bot.shards, int) and bot.shards < 1:
        raise ConfigError(f"bot.toml is invalid:\n  {where}`bot.shards`: must be at least 1 (got {bot.shards})")
    if not bot.shard_ids:
        return
    if bot.shards == "auto":
        raise ConfigError(
            f"bot.toml is invalid:\n  {where}`bot.shard_ids` needs `bot.shards` to be the total number of "
            'shards, not "auto" (every process must agree on it)'
        )
    duplicates = sorted({i for i in bot.shard_ids if bot.shard_ids.count(i) > 1})
    if duplicates:
        raise ConfigError(
            f"bot.toml is invalid:\n  {where}`bot.shard_ids`: each id once (got {duplicates[0]} more than once)"
        )
    outside = [i for i in bot.shard_ids if not 0 <= i < bot.shards]
    if outside:
        raise ConfigError(
            f"bot.toml is invalid:\n  {where}`bot.shard_ids`: ids run from 0 to {bot.shards - 1} with "
            f"`bot.shards = {bot.shards}` (got {outside[0]})"
        )


def parse_config(data: dict[str, Any], source: Path | None = None) -> BotConfig:
    try:
        config = BotConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_format_validation_error(error, source)) from None
    _check_shards(config.bot, source)
    for name in config.plugins.configured_names():
        raw = (config.plugins.model_extra or {})[name]
        if not isinstance(raw, dict):
            raise ConfigError(f"bot.toml is invalid:\n  `plugins.{name}` must be a table")
        try:
            PluginSection.model_validate(raw)
        except ValidationError as error:
            raise ConfigError(_prefix(_format_validation_error(error, source), f"plugins.{name}.")) from None
    config.source = source
    return config


def _prefix(message: str, prefix: str) -> str:
    # Key paths inside a plugin section are reported from the top of the file.
    return message.replace("unknown key `", f"unknown key `{prefix}").replace("\n  `", f"\n  `{prefix}")


def load_config(path: Path | str | None = None) -> BotConfig:
    """Read bot.toml (``GUILDKIT_CONFIG`` or ./bot.toml); a missing file means all defaults."""
    path = Path(path or os.environ.get("GUILDKIT_CONFIG", "bot.toml"))
    if not path.exists():
        return parse_config({}, None)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    return parse_config(data, path.resolve())
