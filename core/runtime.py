"""The runtime: loads plugins, opens the database, connects the client, and shuts it all down."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import interactions
from interactions.api.events import GuildJoin, GuildLeft

from guildkit.core import clock, db, ipy, migrations
from guildkit.core.client import GuildkitClient, GuildkitShardedClient, user_message_for
from guildkit.core.command_sync import COMMAND_JOBS, CommandSync, removal_key, sync_key
from guildkit.core.config import BotConfig
from guildkit.core.cooldowns import per_member
from guildkit.core.discovery import installed_plugins, resolve_load_order
from guildkit.core.errors import (
    EXIT_DISCORD_UNREACHABLE,
    EXIT_INTENTS_DISALLOWED,
    EXIT_TOKEN_REJECTED,
    DomainError,
    StartupError,
    UserError,
    report_unexpected,
    set_outage_sink,
)
from guildkit.core.extensions import load_extension
from guildkit.core.flags import FlagChange, FlagService
from guildkit.core.gate import gate_extension
from guildkit.core.hooks import HookRegistry
from guildkit.core.inputs import check_option_limits, quote
from guildkit.core.logs import StartupFailures, quiet_expected_library_notices
from guildkit.core.messages import CONTENT_LIMIT, fit_text, guard_message_payload
from guildkit.core.notify import Change, ChangeListener
from guildkit.core.outage import OUTAGE_MESSAGE, OutageMonitor, is_database_outage
from guildkit.core.permissions import PermissionService
from guildkit.core.plugin import Plugin
from guildkit.core.retention import CORE_JOBS, RetentionEngine, purge_key
from guildkit.core.scheduler import CORE, Scheduler
from guildkit.core.settings import SettingsService
from guildkit.core.state import PluginAPI, PluginState, PluginUnavailable
from guildkit.core.usage import UsageRecorder
from guildkit.core.users import UserRegistry

log = logging.getLogger("guildkit.runtime")

StateT = TypeVar("StateT", bound=PluginState)
ApiT = TypeVar("ApiT", bound=PluginAPI)

#: How long shutdown waits for commands and listeners that are already running.
SHUTDOWN_GRACE_SECONDS = 10.0

NO_TOKEN_MESSAGE = (
    "No Discord bot token.\n"
    "Set the DISCORD_TOKEN environment variable (or bot.token in bot.toml).\n"
    "Get a token at https://discord.com/developers/applications -> your app -> Bot -> Reset Token.\n"
    "To try guildkit without Discord, run: guildkit playground"
)


class Runtime:
    """One bot: its configuration, plugins, services, database and client."""

    def __init__(
        self,
        config: BotConfig,
        *,
        extra_plugins: Iterable[Plugin] = (),
        rest_requests_per_second: int | None = None,
        database_url: str | None = None,
    ) -> None:
        self.config = config
        self.installed = installed_plugins(extra_plugins)
        self.plugins: list[Plugin] = resolve_load_order(self.installed, config.plugins.load)
        self.by_name: dict[str, Plugin] = {plugin.name: plugin for plugin in self.plugins}
        check_command_names(self.plugins)
        from guildkit.core.commands import core_extensions

        check_option_limits(self.plugins, core_extensions())
        base_dir = config.source.parent if config.source else Path.cwd()
        # An explicit URL (tests, the playground) wins over GUILDKIT_DATABASE_URL and bot.toml.
        self.database = db.parse_database_url(
            database_url or config.database_url,
            base_dir=base_dir,
            pool_max=config.database.pool_max,
            busy_timeout_ms=config.database.sqlite_busy_timeout_ms,
        )
        self.flags = FlagService(self.by_name, config)
        self.settings = SettingsService(self.by_name, config)
        self.users = UserRegistry(config)
        self.permissions = PermissionService(
            (level for plugin in self.plugins for level in plugin.permission_levels),
            ttl_seconds=config.cache.ttl_seconds,
            max_entries=config.cache.max_entries,
        )
        #: One state per plugin that declares one, for this bot only; started in start().
        self.states: dict[type[PluginState], PluginState] = {
            plugin.state: plugin.state(self, plugin) for plugin in self.plugins if plugin.state is not None
        }
        self._started_states: list[PluginState] = []
        #: API class -> (providing plugin, its instance bound to this bot).
        self._apis: dict[type[PluginAPI], tuple[Plugin, PluginAPI]] = {
            plugin.api: (plugin, plugin.api(self, plugin)) for plugin in self.plugins if plugin.api is not None
        }
        self.hooks = HookRegistry()
        self.hooks.is_enabled = self.flags.is_enabled
        self.hooks.gated_names = frozenset(self.by_name)
        for plugin in self.plugins:
            if plugin.hookspecs is not None:
                self.hooks.add_hookspecs(plugin.hookspecs)
        for plugin in self.plugins:
            if plugin.hooks is not None:
                self.hooks.register(plugin.name, plugin.hooks)
        self.scheduler = Scheduler(
            self, poll_interval=config.scheduler.poll_seconds, concurrency=config.scheduler.concurrency
        )
        self.retention = RetentionEngine(self, batch_size=config.retention.batch_size)
        for kind in (*CORE_JOBS, *COMMAND_JOBS):
            self.scheduler.register(CORE, kind)
        for plugin in self.plugins:
            for kind in plugin.jobs:
                self.scheduler.register(plugin.name, kind)
        self.commands = CommandSync(self)
        #: plugin name -> its application commands, filled when the client is built
        self.plugin_commands: dict[str, list[interactions.InteractionCommand]] = {}
        #: command name ("xp add") -> the plugin that owns it; core commands are absent
        self.command_owner: dict[str, str] = {}
        self.usage = UsageRecorder()
        #: Database outages: one log line when they start, a count a minute, one when they end.
        self.outage = OutageMonitor(self._probe_database)
        #: Short bookkeeping tasks (user registry writes) awaited before the database closes.
        self._background: set[asyncio.Task[None]] = set()
        self.client: GuildkitClient | GuildkitShardedClient | None = None
        self.ready = asyncio.Event()
        self._rest_rps = rest_requests_per_second
        self._client_task: asyncio.Task[None] | None = None
        self._database_open = False
        self._process_lock: db.SqliteProcessLock | None = None
        #: Hears other processes' changes (PostgreSQL only); started by start().
        self.change_listener: ChangeListener | None = None
        self._closing = False
        #: Set by close() when the client may finally close its REST session.
        self.releasing_client = False

    # -- database -------------------------------------------------------------------------

    def apps(self) -> list[migrations.App]:
        return migrations.apps_in_order(self.plugins)

    async def open_database(self, *, migrate: bool | None = None, require_current: bool = True) -> dict[str, list[str]]:
        await db.open_database(self.database, self.plugins)
        self._database_open = True
        should_migrate = self.config.database.migrate_on_start if migrate is None else migrate
        try:
            if should_migrate:
                applied = await migrations.apply(self.database, self.apps())
                for label, files in applied.items():
                    log.info("applied %d migration(s) for %s", len(files), label)
                return applied
            pending = [s for s in await migrations.status(self.database, self.apps()) if s.pending]
            if pending and require_current:
                names = ", ".join(f"{s.label} ({len(s.pending)})" for s in pending)
                raise StartupError(f"pending migrations: {names}. Run `guildkit migrate` first.")
            return {}
        except Exception:
            await self.close_database()
            raise

    def state(self, state_class: type[StateT]) -> StateT:
        """This bot's instance of a plugin's state class (``Plugin(state=...)``)."""
        try:
            return self.states[state_class]  # type: ignore[return-value]
        except KeyError:
            raise LookupError(f"{state_class.__qualname__} is not the state of any plugin loaded in this bot") from None

    def api(self, api_class: type[ApiT]) -> ApiT:
        """A plugin's API bound to this bot, for the core, operators' scripts and tests. Plugins
        use ``self.api(...)`` on their state, which also checks the declared dependency.
        Raises PluginUnavailable when the providing plugin is not loaded."""
        found = self._apis.get(api_class)
        if found is None:
            raise PluginUnavailable(_provider_name(api_class), None)
        return found[1]  # type: ignore[return-value]

    def api_for(self, requester: str, api_class: type[ApiT]) -> ApiT:
        """``api_class`` for plugin ``requester``, which must name the provider in ``requires``
        or ``uses``: dependencies are declared, so load order and `/plugins` can follow them."""
        found = self._apis.get(api_class)
        provider = found[0].name if found is not None else _provider_name(api_class)
        declared = self.by_name[requester]
        if provider not in declared.requires and provider not in declared.uses:
            raise LookupError(
                f"plugin {requester} uses {api_class.__qualname__} of plugin {provider} without declaring it: "
                f'add "{provider}" to its requires (or uses, if it works without it)'
            )
        return self.api(api_class)

    async def start_plugin_states(self) -> None:
        """Start every plugin's state in load order (dependencies first)."""
        for plugin in self.plugins:
            if plugin.state is None:
                continue
            state = self.states[plugin.state]
            await state.start()
            self._started_states.append(state)

    async def stop_plugin_states(self) -> None:
        """Stop started states in reverse order; one failing does not keep the others running."""
        while self._started_states:
            state = self._started_states.pop()
            await _quietly(f"stopping the {state.plugin.name} plugin", state.stop())

    def db_connection(self) -> Any:
        return db.connection(self.database)

    # -- other processes ------------------------------------------------------------------

    async def start_change_listener(self) -> None:
        """On PostgreSQL, LISTEN for other processes' flag, setting, permission and user changes."""
        if self.database.dialect != "postgres" or self.change_listener is not None:
            return
        listener = ChangeListener(self.database.connection["credentials"], self.apply_change, resync=self.drop_caches)
        await listener.start()
        self.change_listener = listener

    async def stop_change_listener(self) -> None:
        listener, self.change_listener = self.change_listener, None
        if listener is not None:
            await listener.stop()

    def apply_change(self, change: Change) -> None:
        """Drop what another process (or this one) changed from this process's caches."""
        if change.kind == "flags":
            self.flags.invalidate(change.guild_id)
        elif change.kind == "settings":
            self.settings.invalidate(change.guild_id, change.plugin)
        elif change.kind == "permissions":
            self.permissions.invalidate(change.guild_id)
        elif change.kind == "user":
            self.users.invalidate(change.user_id)

    def drop_caches(self) -> None:
        """Forget every cached flag, setting, permission role and profile value."""
        self.flags.invalidate()
        self.settings.invalidate()
        self.permissions.invalidate()
        self.users.invalidate()

    def _claim_database(self) -> None:
        """One bot process per SQLite file; on SQLite this process must own every shard."""
        if self.database.dialect != "sqlite":
            return
        if self.owned_shards() is not None:
            raise StartupError(
                "bot.shard_ids splits the bot over several processes, which needs PostgreSQL; "
                "SQLite serves one process (docs/scaling.md)."
            )
        lock = db.process_lock(self.database)
        if lock is not None:
            lock.acquire()
            self._process_lock = lock

    def _release_database(self) -> None:
        lock, self._process_lock = self._process_lock, None
        if lock is not None:
            lock.release()

    def _count_outage(self, error: BaseException, where: str) -> bool:
        if not is_database_outage(error):
            return False
        self.outage.record(error, where, command=False)
        return True

    async def _probe_database(self) -> None:
        await db.probe(self.database)

    def start_scheduler(self) -> None:
        """Run due jobs in the background (``guildkit run`` does this once the client is ready)."""
        if not self.config.scheduler.enabled:
            return
        self.scheduler.start()
        current = clock.current()
        if isinstance(current, clock.ManualClock):
            current.on_change(self.scheduler.wake)  # a test moving time wakes the scheduler

    async def stop_scheduler(self) -> None:
        current = clock.current()
        if isinstance(current, clock.ManualClock):
            current.remove_listener(self.scheduler.wake)
        await self.scheduler.stop(SHUTDOWN_GRACE_SECONDS)

    async def close_database(self) -> None:
        if self._database_open:
            await db.close_database()
            self._database_open = False

    # -- shards ---------------------------------------------------------------------------

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process connects the shard Discord routes ``guild_id``'s events to.

        Per-guild in-memory work (voice states, anything read from the gateway cache) belongs to
        the owning process; ``JobKind(shard_local=True)`` jobs run only there. With one process
        (no ``bot.shard_ids``) every guild is owned.
        """
        owned = self.config.bot.shard_ids
        if not owned:
            return True
        total = self.config.bot.shards
        assert isinstance(total, int)  # validated: shard_ids needs a numeric total
        return shard_of(guild_id, total) in owned

    def owns_shard(self, shard_id: int) -> bool:
        """Whether this process connects ``shard_id`` (every shard without ``bot.shard_ids``)."""
        owned = self.config.bot.shard_ids
        return not owned or shard_id in owned

    def shard_count(self) -> int:
        """The bot's total number of shards: ``bot.shards``, or Discord's recommendation once the
        client logged in with ``shards = "auto"``."""
        total = self.config.bot.shards
        if isinstance(total, int):
            return total
        return int(getattr(self.client, "total_shards", 1) or 1)

    def owned_shards(self) -> tuple[int, list[int]] | None:
        """(total, owned shard ids) when this process owns only some shards, else None."""
        owned = self.config.bot.shard_ids
        total = self.config.bot.shards
        if not owned or not isinstance(total, int) or len(set(owned)) == total:
            return None
        return total, sorted(owned)

    # -- client ---------------------------------------------------------------------------

    def intents(self) -> interactions.Intents:
        """Discord's default intents, member events, and whatever the loaded plugins declare."""
        intents = interactions.Intents.DEFAULT | interactions.Intents.GUILD_MEMBERS
        for plugin in self.plugins:
            for name in plugin.intents:
                intents |= interactions.Intents[name]
        return intents

    def privileged_intents(self) -> dict[str, list[str]]:
        """Each privileged intent this bot asks for, with who asks: the core, or plugins."""
        asked: dict[str, list[str]] = {"GUILD_MEMBERS": ["the core"]}
        for plugin in self.plugins:
            for name in plugin.intents:
                if name in PRIVILEGED_INTENTS:
                    asked.setdefault(name, []).append(f"plugin {plugin.name}")
        return {name: asked[name] for name in PRIVILEGED_INTENTS if name in asked}

    def _login_failure(self, error: BaseException | None, reasons: list[str]) -> StartupError:
        """One clear line for why the client could not connect, and the exit code for it.
        ``reasons``: what interactions.py logged about it (held back by StartupFailures)."""
        text = str(error or (reasons[-1] if reasons else "the client stopped"))
        if error is None and "Cannot connect to host" in text:
            return StartupError(
                f"could not reach Discord's gateway ({text.partition(': ')[2] or text}). "
                "Check the network and firewall (outgoing websockets to gateway.discord.gg).",
                EXIT_DISCORD_UNREACHABLE,
            )
        if isinstance(error, interactions.errors.LoginError) or "401" in text or "4004" in text:
            return StartupError(
                "Discord rejected the bot token (401 Unauthorized). Copy a fresh one from "
                "https://discord.com/developers/applications -> your app -> Bot -> Reset Token into DISCORD_TOKEN.",
                EXIT_TOKEN_REJECTED,
            )
        if "privileged intents" in text or "4014" in text:
            asked = "; ".join(f"{name} (for {', '.join(who)})" for name, who in self.privileged_intents().items())
            return StartupError(
                f"Discord refused the privileged gateway intents this bot asks for: {asked}. "
                f"Switch each on at {PORTAL}, then start again.",
                EXIT_INTENTS_DISALLOWED,
            )
        if isinstance(error, (OSError, TimeoutError, aiohttp.ClientError)):
            reason = text.splitlines()[0] if text else type(error).__name__
            return StartupError(
                f"could not reach Discord at {self.config.bot.api_base} ({reason}). "
                "Check the network and firewall, or bot.api_base in bot.toml.",
                EXIT_DISCORD_UNREACHABLE,
            )
        return StartupError(f"could not connect to Discord: {text.splitlines()[0] if text else type(error).__name__}")

    def build_client(self, token: str) -> interactions.Client:
        quiet_expected_library_notices()
        # Process-wide in interactions.py: the REST base (Discord, a proxy, or the emulator).
        ipy.set_api_base(self.config.bot.api_base)
        kwargs: dict[str, Any] = {
            "token": token,
            "intents": self.intents(),
            "sync_interactions": True,
            "delete_unused_application_cmds": True,
            "send_command_tracebacks": False,
            "send_not_ready_messages": True,
            "guild_event_timeout": self.config.bot.guild_event_timeout,
            "logger": logging.getLogger("interactions"),
        }
        shards = self.config.bot.shards
        if shards == 1:
            client: GuildkitClient | GuildkitShardedClient = GuildkitClient(self, **kwargs)
        else:
            if shards != "auto":
                kwargs["total_shards"] = shards
            if self.config.bot.shard_ids:
                # AutoShardedClient identifies only for these, each as [id, total].
                kwargs["shard_ids"] = sorted(self.config.bot.shard_ids)
            client = GuildkitShardedClient(self, **kwargs)
        # One rate-limit lock per channel (the library kept one per route: see the function).
        ipy.rate_limit_per_resource(client)
        # Discord's global limit for every route but interaction answers, which never wait.
        ipy.throttle_rest(client, self._rest_rps or self.config.bot.rest_requests_per_second)
        # Every message of every plugin: pings nobody unless the code opted in, fits Discord's limits.
        ipy.shape_message_payloads(client, guard_message_payload)
        # One request per answered command: the callback returns the message it created.
        ipy.answer_with_the_message(client)
        self.client = client

        from guildkit.core.commands import core_extensions

        for extension_class in core_extensions():
            load_extension(client, extension_class)
        for plugin in self.plugins:
            for extension_class in plugin.extensions:
                extension = load_extension(client, extension_class)
                app_commands = gate_extension(extension, plugin.name, self.flags.is_enabled)
                client.listener_gate.own(plugin.name, extension.listeners)
                self.plugin_commands.setdefault(plugin.name, []).extend(app_commands)
                self._apply_cooldown(plugin, app_commands)
                self.command_owner.update((command.resolved_name, plugin.name) for command in app_commands)
                if self.config.bot.command_scope == "guild":
                    self.commands.adopt(plugin.name, app_commands)

        client.add_listener(interactions.Listener.create("guild_join")(self._on_guild_join))
        client.add_listener(interactions.Listener.create("guild_left")(self._on_guild_left))
        return client

    def _apply_cooldown(self, plugin: Plugin, commands: list[interactions.InteractionCommand]) -> None:
        """bot.toml's per-plugin rate limit, through interactions.py's own cooldowns."""
        limit = self.config.plugins.plugin(plugin.name).cooldown
        if limit is None:
            return
        for command in commands:
            if command.cooldown is interactions.MISSING:  # a command's own cooldown wins
                command.cooldown = per_member(limit.uses, limit.per_seconds)

    async def _on_guild_join(self, event: GuildJoin) -> None:
        assert self.client is not None
        if not self.ready.is_set():
            return  # startup guilds are handled by the first sync
        guild_id = int(event.guild_id)
        if await self.scheduler.cancel(key=purge_key(guild_id)):
            log.info("guild %s is back within the grace period; its data is kept", guild_id)
        if self.config.bot.command_scope == "guild":
            await self.commands.sync_guild(guild_id)
        await self.hooks.call("guild_joined", runtime=self, guild_id=guild_id)

    async def _on_guild_left(self, event: GuildLeft) -> None:
        guild_id = int(event.guild_id)
        if self.client is not None:
            self.commands.forget_guild(guild_id)
        # Nothing left to sync there; a guild that comes back is synced on GuildJoin.
        await self.scheduler.cancel(key=sync_key(guild_id))
        await self.scheduler.cancel(key=removal_key(guild_id))
        grace = timedelta(days=self.config.retention.guild_grace_days)
        await self.scheduler.schedule(
            CORE, "purge_guild", clock.now() + grace, guild_id=guild_id, key=purge_key(guild_id)
        )
        await self.hooks.call("guild_left", runtime=self, guild_id=guild_id)

    async def start(self, token: str | None = None) -> None:
        """Open the database, connect, sync commands; return once the bot answers interactions."""
        token = (token or self.config.token).strip()
        if not token:
            raise StartupError(NO_TOKEN_MESSAGE)
        self._claim_database()
        try:
            await self.open_database()
        except BaseException:
            self._release_database()
            raise
        try:
            await self.start_change_listener()
            await self.start_plugin_states()
            client = self.build_client(token)
            started = asyncio.Event()

            async def on_startup() -> None:
                started.set()

            client.add_listener(interactions.Listener.create("startup")(on_startup))
            self._client_task = asyncio.create_task(client.astart(token), name="guildkit-client")
            waiter = asyncio.create_task(started.wait())
            with StartupFailures() as failures:
                done, _ = await asyncio.wait({self._client_task, waiter}, return_when=asyncio.FIRST_COMPLETED)
            if self._client_task in done:
                waiter.cancel()
                error = self._client_task.exception()
                raise self._login_failure(error, failures.reasons) from None
            set_outage_sink(self._count_outage)
            await self._schedule_core_work()
            await self.hooks.call("guildkit_startup", runtime=self)
            self.ready.set()
            self.start_scheduler()
            self.usage.start()
        except BaseException:
            await self.close()
            raise

    async def _schedule_core_work(self) -> None:
        await self.scheduler.schedule(CORE, "retention", key="core:retention", cron=self.config.retention.schedule)
        if self.config.backup.schedule:
            await self.scheduler.schedule(CORE, "backup", key="core:backup", cron=self.config.backup.schedule)
        else:
            await self.scheduler.cancel(key="core:backup")
        assert self.client is not None
        # Guilds the bot is in again (re-added while it was offline) keep their data.
        for guild in self.client.guilds:
            await self.scheduler.cancel(key=purge_key(int(guild.id)))

    async def wait_closed(self) -> None:
        """Wait until the client stops. Cancelling the waiter (Ctrl-C) does not stop the client:
        ``close()`` does that in order, so commands already running can still answer."""
        if self._client_task is not None:
            await asyncio.shield(self._client_task)

    async def close(self) -> None:
        """Stop the bot gracefully and close the database; safe to call more than once.

        Order: stop receiving events, let handlers already running finish (bounded), tell
        plugins (they may still use the database and REST), close REST, close the database.
        Each step runs even if an earlier one failed; the database is always closed.
        """
        if self._closing:
            return
        self._closing = True
        client = self.client
        was_ready = self.ready.is_set()
        self.ready.clear()
        #: Gateway connections that were opened (none when login failed).
        connected = ipy.connection_states(client) if client is not None else []
        try:
            await _quietly("stopping the scheduler", self.stop_scheduler())
            if client is not None:
                # Stopping the gateway before the client also avoids interactions.py spinning a
                # core at 100% in Client.stop() while a socket is still open.
                await _quietly("stopping the gateway", *(s.stop() for s in connected))
                await _drain_handlers(client, SHUTDOWN_GRACE_SECONDS)
            if was_ready:
                await _quietly("shutdown hooks", self.hooks.call("guildkit_shutdown", runtime=self))
            await self.stop_plugin_states()
            await _quietly("writing command usage", self.usage.stop(), *self._background)
            await _quietly("stopping the database probe", self.outage.close())
            set_outage_sink(None)
            if client is not None:
                self.releasing_client = True
                # Client.stop() also stops a gateway state, which fails if it never connected.
                await _quietly("closing the REST client", client.stop() if connected else client.http.close())
            task, self._client_task = self._client_task, None
            if task is not None and not task.done():
                task.cancel()
                await _quietly("stopping the client task", task)
        finally:
            self.client = None
            self.releasing_client = False
            await _quietly("closing the change listener", self.stop_change_listener())
            await self.close_database()
            self._release_database()
            self._closing = False

    # -- actions shared by commands, the CLI and tests -------------------------------------

    async def set_plugin_enabled(self, guild_id: int, name: str, enabled: bool, actor_id: int | None) -> FlagChange:
        """Switch a plugin or sub-feature in a guild, respecting dependencies; re-sync commands."""
        plugin_name, _, feature = name.partition(".")
        plugin = self.by_name.get(plugin_name)
        if plugin is None or (feature and feature not in plugin.features):
            raise UserError(f"There is no plugin or feature called {quote(name, 40)}. See `/plugins list`.")
        if enabled and not feature:
            off = [dep for dep in plugin.requires if not await self.flags.own_value(guild_id, dep)]
            if off:
                deps = ", ".join(f"**{d}**" for d in off)
                first = off[0]
                raise UserError(
                    f"**{plugin_name}** needs {deps}, which is off here. "
                    f"Enable it first with `/plugins enable {first}`."
                )
        if not enabled and not feature:
            dependents = [
                other.name
                for other in self.plugins
                if plugin_name in other.requires and await self.flags.own_value(guild_id, other.name)
            ]
            if dependents:
                names = ", ".join(f"**{d}**" for d in dependents)
                raise UserError(
                    f"{names} need **{plugin_name}** and are on here. Disable them first "
                    f"with `/plugins disable {dependents[0]}`."
                )
        change = await self.flags.set(guild_id, name, enabled, actor_id)
        if change.changed and enabled and not feature:
            await self.scheduler.release(guild_id, plugin_name)
        if change.changed:
            if self.client is not None and self.config.bot.command_scope == "guild" and not feature:
                if enabled:
                    await self.commands.sync_guild(guild_id)
                else:
                    # Kept registered (the gate answers "disabled here") for the grace period:
                    # switching it back on must not spend Discord's daily command creates.
                    await self.commands.plugin_disabled(guild_id)
            hook = "plugin_enabled" if enabled else "plugin_disabled"
            await self.hooks.call(hook, guild_id=guild_id, runtime=self, plugin=name, actor_id=actor_id)
        return change

    def after_command(self, ctx: Any) -> None:
        """Register the user as seen, off the answer's path: a cache check, and a write task
        at most once per user every few minutes."""
        user_id = int(ctx.author_id)
        if self.users.recently_seen(user_id):
            return
        task = asyncio.create_task(self._record_seen(user_id, ctx.author.display_name, ctx.locale))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _record_seen(self, user_id: int, display_name: str, locale: str | None) -> None:
        try:
            await self.users.seen(user_id, display_name, locale)
        except Exception as error:  # bookkeeping must never surface to the user
            report_unexpected(error, "recording a user as seen")

    async def _describe_domain_error(self, ctx: Any, error: DomainError) -> str | None:
        """The owning plugin's wording of a domain error, found by the module that defines it."""
        module = type(error).__module__
        for plugin in self.plugins:
            if (
                plugin.describe_error is not None
                and plugin.module
                and (module == plugin.module or module.startswith(plugin.module + "."))
            ):
                try:
                    return await plugin.describe_error(ctx, error)
                except Exception as failure:  # a broken formatter must not hide the refusal
                    report_unexpected(failure, f"describing {type(error).__name__} for {plugin.name}")
                    return None
        return None

    async def reply_to_error(self, ctx: Any, error: BaseException, where: str) -> None:
        message = None
        if is_database_outage(error):
            self.outage.record(error, where)
            message = OUTAGE_MESSAGE
        elif isinstance(error, DomainError):
            message = await self._describe_domain_error(ctx, error)
        if message is None:
            message = user_message_for(error, where)
        # An error quoting member input must still reach them: Discord refuses over 2,000.
        message = fit_text(message, CONTENT_LIMIT)
        try:
            await ctx.send(message, ephemeral=True)
        except Exception:
            log.warning("could not send the error reply for %s", where, exc_info=True)


def freeze_startup_objects() -> None:
    """Once a process's one bot has started: keep every object alive now (modules, models, command
    objects, plugin states) out of the cyclic garbage collector's passes (``gc.freeze``).

    They live as long as the process, yet each full collection while the bot answers walked all of
    them again: guildkit's heap at READY is about twice the bare library's. Objects created later
    are collected as before. For ``guildkit run`` (and benchmarks mirroring it), not for processes
    that start many bots, such as test sessions: garbage frozen with them would never be freed.
    """
    gc.freeze()


def shard_of(guild_id: int, total_shards: int) -> int:
    """Discord's routing of a guild to a shard: ``(guild_id >> 22) % total_shards``."""
    return (int(guild_id) >> 22) % total_shards


def _top_level_names(extension_class: type[interactions.Extension]) -> set[str]:
    names = set()
    for klass in extension_class.__mro__:
        for value in vars(klass).values():
            if isinstance(value, (interactions.SlashCommand, interactions.ContextMenu)):
                names.add(str(value.name))
    return names


def check_command_names(plugins: Iterable[Plugin]) -> None:
    """Two plugins (or a plugin and the core) may not own the same top-level command: one would
    silently replace the other in a server. Fail at startup naming both."""
    from guildkit.core.commands import core_extensions

    owners: dict[str, str] = {}
    sources = [("the core", extension) for extension in core_extensions()]
    sources += [(f"plugin {p.name}", extension) for p in plugins for extension in p.extensions]
    for owner, extension in sources:
        for name in _top_level_names(extension):
            previous = owners.setdefault(name, owner)
            if previous != owner:
                raise StartupError(
                    f"/{name} is defined by both {previous} and {owner}; "
                    "rename one, or load only one of them ([plugins] load in bot.toml)"
                )


async def _quietly(step: str, *awaitables: Any) -> None:
    """Await shutdown steps, logging rather than raising: shutdown must reach the database."""
    results = await asyncio.gather(*awaitables, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            log.warning("while %s: %s", step, result, exc_info=result)


async def _drain_handlers(client: Any, grace: float) -> None:
    """Wait up to ``grace`` seconds for event and interaction handlers still running.

    Loops because a finishing handler may dispatch more (a command dispatches its completion
    event); with the gateway stopped nothing new arrives from outside, so this converges.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace
    current = asyncio.current_task()
    while True:
        # Listeners and raw event processors (every interaction among them) run in tasks of their own.
        running = [
            task
            for task in ipy.listener_tasks() | ipy.processor_tasks(client) | set(client.listener_gate.loading)
            if task is not current and not task.done()
        ]
        if not running:
            return
        remaining = deadline - loop.time()
        if remaining <= 0:
            log.warning("%d handler(s) still running after %.0f s; stopping anyway", len(running), grace)
            for task in running:
                task.cancel()
            return
        await asyncio.wait(running, timeout=remaining)


def _provider_name(api_class: type[PluginAPI]) -> str:
    """The plugin an API class belongs to when that plugin is not loaded."""
    if api_class.provider:
        return api_class.provider
    module = api_class.__module__.split(".")
    return module[-2] if len(module) > 1 else module[0]


PRIVILEGED_INTENTS = ("GUILD_MEMBERS", "GUILD_PRESENCES", "MESSAGE_CONTENT")
PORTAL = "https://discord.com/developers/applications -> your app -> Bot -> Privileged Gateway Intents"
