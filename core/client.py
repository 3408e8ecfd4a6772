"""guildkit's interactions.py client: error replies with ids, and per-guild plugin commands."""

from __future__ import annotations

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
from guildkit.core.gate import ListenerGate
from guildkit.core.inputs import control_character_problem
from guildkit.core.outage import is_database_outage

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.client")

#: The answer to an interaction that arrives while the bot is still starting (commands outlive a
#: restart on Discord's side, so members use them during it).
STARTING_UP_MESSAGE = "The bot is starting up. Try again in a few seconds."


class GuildkitClientMixin(ipy.ClientHooks):
    """Behaviour shared by the plain and the auto-sharded client."""

    runtime: Runtime
    #: Which plugin listeners run for an event (core/gate.py).
    listener_gate: ListenerGate

    async def handle_pre_ready_response(self, data: dict[str, Any]) -> None:
        # The library would leave the member with Discord's "The application did not respond".
        # Autocomplete stays unanswered: Discord would cache an empty list for the typed text.
        if data.get("type") == interactions.InteractionType.AUTOCOMPLETE:
            return
        payload = {
            "type": interactions.CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
            "data": {"content": STARTING_UP_MESSAGE, "flags": 64, "allowed_mentions": {"parse": []}},
        }
        try:
            await self.http.post_initial_response(payload, token=data["token"], interaction_id=data["id"])
        except ipy_errors.HTTPException:  # expired or already answered: nothing left to tell
            log.debug("could not answer an interaction received before startup", exc_info=True)

    def queue_listener(self, listener: interactions.Listener, event: Any, queue: Callable[[], Any]) -> Any:
        # Before the listener's task exists: a plugin that is off in the event's guild gets none.
        return self.listener_gate.admit(listener, event, queue)

    def _gate_failed(self, error: BaseException) -> None:
        if is_database_outage(error):  # counted like a listener failing during an outage
            self.runtime.outage.record(error, "plugin listeners", command=False)
        else:
            report_unexpected(error, "reading plugin flags for listeners")

    def _init_command_labels(self) -> None:
        self._command_labels: dict[int, tuple[str, str]] = {}  # id(command) -> (name, owning plugin)

    # -- command visibility per guild ------------------------------------------------------

    async def sync_commands(self) -> None:
        # Runs once after the first READY, when every guild is cached and before Startup. With
        # guild-scoped plugin commands guildkit syncs each guild itself, within Discord's daily
        # quota of command creates (core/command_sync.py); "global" is the library's own sync.
        if self.runtime.config.bot.command_scope == "guild":
            await self.runtime.commands.sync_all([int(guild.id) for guild in self.guilds])  # type: ignore[attr-defined]
        else:
            await self.library_sync_commands()

    async def run_slash_command(self, command: Any, ctx: Any, run: Callable[[], Awaitable[Any]]) -> Any:
        # Timed here, around checks, cooldowns and the callback; recorded in memory only.
        started = time.perf_counter()
        succeeded = False
        try:
            refusal = control_character_problem(getattr(ctx, "kwargs", None) or {})
            if refusal is not None:
                # Before checks and plugin code: PostgreSQL refuses NUL where SQLite stores it.
                await self.runtime.reply_to_error(ctx, refusal, f"/{command.resolved_name}")
                return None
            result = await run()
            succeeded = True
            return result
        finally:
            self.runtime.after_command(ctx)
            # The library builds resolved_name anew on each read: looked up once per command object.
            labels = self._command_labels.get(id(command))
            if labels is None:
                name = command.resolved_name
                labels = self._command_labels[id(command)] = (name, self.runtime.command_owner.get(name, "core"))
            self.runtime.usage.record(
                command=labels[0],
                plugin=labels[1],
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
            if is_database_outage(event.error):  # a listener during an outage: counted, no traceback
                self.runtime.outage.record(event.error, str(event.source), command=False)
                return
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
        self.listener_gate = ListenerGate(runtime.flags, self._gate_failed)
        super().__init__(**kwargs)
        self.listener_gate.ready = ipy.ready_check(self)
        self._init_command_labels()


class GuildkitShardedClient(GuildkitClientMixin, interactions.AutoShardedClient):
    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        self.runtime = runtime
        self.listener_gate = ListenerGate(runtime.flags, self._gate_failed)
        super().__init__(**kwargs)
        self.listener_gate.ready = ipy.ready_check(self)
        self._init_command_labels()

    async def astart(self, token: str | None = None) -> None:
        # The library's astart never finishes when this process's shards span two identify
        # buckets (any large bot): start them bucket by bucket instead.
        await ipy.start_shards(self, token)


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
