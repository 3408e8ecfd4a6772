"""guildkit's interactions.py client: error replies with ids, and per-guild plugin commands."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import interactions
from interactions import errors as ipy_errors
from interactions.api.events import (
    AutocompleteError,
    CommandError,
    ComponentError,
    Error,
    ModalError,
)

from guildkit.core import ipy
from guildkit.core.errors import UserError, report_unexpected, unexpected_error_message

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.client")
GLOBAL_SCOPE = 0


class GuildkitClientMixin(ipy.ClientHooks):
    """Behaviour shared by the plain and the auto-sharded client."""

    runtime: Runtime
    #: Processor tasks (every interaction and every raw event) still running; shutdown drains them.
    in_flight: set[asyncio.Task[Any]]

    def _track_processors(self) -> None:
        """Wrap interactions.py's event processors so shutdown can wait for the ones running.

        The gateway runs each processor — the interaction dispatcher among them, so every
        command — in an anonymous task that nothing else can find.
        """
        self.in_flight = set()
        ipy.wrap_processors(self, self._tracked)  # type: ignore[arg-type]

    def _tracked(self, processor: Any) -> Any:
        async def run(*args: Any, **kwargs: Any) -> Any:
            task = asyncio.current_task()
            if task is not None:
                self.in_flight.add(task)
            try:
                return await processor(*args, **kwargs)
            finally:
                if task is not None:
                    self.in_flight.discard(task)

        return run

    # -- command visibility per guild ------------------------------------------------------

    async def before_command_sync(self) -> None:
        # Runs once after the first READY, when every guild is cached and before Startup: place
        # plugin commands in the guild scopes where their plugin is on, then let the library
        # sync every scope the usual way (one GET per scope, a PUT only where something differs).
        if self.runtime.config.bot.command_scope == "guild":
            for guild in list(self.guilds):  # type: ignore[attr-defined]
                await self.runtime.commands.place_guild(int(guild.id))

    async def run_slash_command(self, command: Any, ctx: Any, run: Callable[[], Awaitable[Any]]) -> Any:
        # Timed here, around checks, cooldowns and the callback; recorded in memory only.
        started = time.perf_counter()
        succeeded = False
        try:
            result = await run()
            succeeded = True
            return result
        finally:
            self.runtime.after_command(ctx)
            self.runtime.usage.record(
                command=command.resolved_name,
                plugin=self.runtime.command_owner.get(command.resolved_name, "core"),
                guild_id=int(ctx.guild_id) if ctx.guild_id else None,
                user_id=int(ctx.author_id),
                latency_ms=(time.perf_counter() - started) * 1000,
                success=succeeded,
            )

    async def stop(self) -> None:
        # interactions.py's astart() calls stop() the moment the gateway ends, closing the REST
        # session under handlers that are still answering. Runtime.close() stops the gateway,
        # drains those handlers, and only then lets this through.
        if self.runtime.releasing_client:
            await super().stop()  # type: ignore[misc]

    # -- errors and completions ------------------------------------------------------------

    @interactions.listen(CommandError, disable_default_listeners=True)
    async def _gk_command_error(self, event: CommandError) -> None:
        await self.runtime.reply_to_error(event.ctx, event.error, f"/{event.ctx.invoke_target}")

    @interactions.listen(ComponentError, disable_default_listeners=True)
    async def _gk_component_error(self, event: ComponentError) -> None:
        await self.runtime.reply_to_error(event.ctx, event.error, f"component {event.ctx.custom_id}")

    @interactions.listen(ModalError, disable_default_listeners=True)
    async def _gk_modal_error(self, event: ModalError) -> None:
        await self.runtime.reply_to_error(event.ctx, event.error, f"modal {event.ctx.custom_id}")

    @interactions.listen(AutocompleteError, disable_default_listeners=True)
    async def _gk_autocomplete_error(self, event: AutocompleteError) -> None:
        report_unexpected(event.error, f"autocomplete /{event.ctx.invoke_target}")
        try:
            await event.ctx.send(choices=[])
        except Exception:  # the interaction may have expired; the error is logged above
            log.debug("could not answer a failed autocomplete", exc_info=True)

    @interactions.listen(Error, disable_default_listeners=True)
    async def _gk_error(self, event: Error) -> None:
        if event.ctx is None:
            report_unexpected(event.error, str(event.source))

    # The library's completion listeners log every command at INFO, each in a task of its own:
    # without them no task is spawned per command just to log it.
    on_command_completion = None
    on_component_completion = None
    on_modal_completion = None
    on_autocomplete_completion = None


class GuildkitClient(GuildkitClientMixin, interactions.Client):
    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        self.runtime = runtime
        super().__init__(**kwargs)
        self._track_processors()


class GuildkitShardedClient(GuildkitClientMixin, interactions.AutoShardedClient):
    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        self.runtime = runtime
        super().__init__(**kwargs)
        self._track_processors()

    async def astart(self, token: str | None = None) -> None:
        # The library's astart never finishes when this process's shards span two identify
        # buckets (any large bot): start them bucket by bucket instead.
        await ipy.start_shards(self, token)


class CommandPlacement:
    """Which plugin commands are registered in which guild scope (command_scope = "guild")."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        #: plugin name -> its application commands
        self.by_plugin: dict[str, list[interactions.InteractionCommand]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    @property
    def client(self) -> interactions.Client:
        assert self.runtime.client is not None
        return self.runtime.client

    def adopt(self, plugin: str, commands: list[interactions.InteractionCommand]) -> None:
        """Take ``commands`` out of the global scope; they go to guilds as the plugin is enabled."""
        self.by_plugin.setdefault(plugin, []).extend(commands)
        global_scope = self.client.interactions_by_scope.get(GLOBAL_SCOPE, {})
        for command in commands:
            global_scope.pop(command.resolved_name, None)
            command.scopes = []

    async def place_guild(self, guild_id: int) -> bool:
        """Register in ``guild_id`` exactly the commands of plugins on there. True if that changed."""
        enabled = await self.runtime.flags.enabled_plugins(guild_id)
        scope = self.client.interactions_by_scope.setdefault(guild_id, {})
        changed = False
        for plugin, commands in self.by_plugin.items():
            for command in commands:
                present = guild_id in command.scopes
                if plugin in enabled and not present:
                    command.scopes = [*command.scopes, guild_id]
                    scope[command.resolved_name] = command
                    changed = True
                elif plugin not in enabled and present:
                    command.scopes = [s for s in command.scopes if s != guild_id]
                    scope.pop(command.resolved_name, None)
                    ipy.forget_command_id(command, guild_id)
                    changed = True
        return changed

    async def sync_guild(self, guild_id: int) -> None:
        """Place and push this guild's commands: one bulk overwrite, none when nothing differs."""
        lock = self._locks.setdefault(guild_id, asyncio.Lock())
        async with lock:
            await self.place_guild(guild_id)
            try:
                await ipy.sync_scope_commands(self.client, guild_id)
            except ipy_errors.InteractionMissingAccess:
                log.warning("guild %s did not grant the applications.commands scope", guild_id)

    def forget_guild(self, guild_id: int) -> None:
        for commands in self.by_plugin.values():
            for command in commands:
                if guild_id in command.scopes:
                    command.scopes = [s for s in command.scopes if s != guild_id]
                    ipy.forget_command_id(command, guild_id)
        self.client.interactions_by_scope.pop(guild_id, None)


def user_message_for(error: BaseException, where: str) -> str:
    """What the user reads for ``error``; unexpected errors are logged under a fresh id."""
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, ipy_errors.CommandOnCooldown):
        seconds = max(1, int(error.cooldown.get_cooldown_time() + 0.999))
        return f"Slow down: you can use this command again in {seconds} s."
    if isinstance(error, ipy_errors.MaxConcurrencyReached):
        return "This command is busy right now. Try again in a few seconds."
    if isinstance(error, ipy_errors.CommandCheckFailure):
        return "You don't have permission to use this command here."
    return unexpected_error_message(report_unexpected(error, where))
