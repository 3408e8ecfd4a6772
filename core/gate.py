"""The per-guild gate: plugin code is not called for guilds where its plugin is off.

The core wraps every command, component, modal and autocomplete of a plugin when it loads, and
decides before dispatch whether a plugin's listeners run for an event (:class:`ListenerGate`), so
a plugin author writes no flag checks and cannot forget one.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import interactions

from guildkit.core import ipy
from guildkit.core.errors import PluginDisabled, report_unexpected

if TYPE_CHECKING:
    from guildkit.core.flags import FlagService

IsEnabled = Callable[[int, str], Awaitable[bool]]
#: A listener's synchronous fast path: True when it handled the event (no task is created).
InlineHandler = Callable[[Any], bool]
F = TypeVar("F", bound=Callable[..., Any])


def handled_inline(method_name: str) -> Callable[[F], F]:
    """Give a plugin listener a synchronous fast path, for events that arrive by the thousand.

    ``method_name`` names a plain (not async) method of the same extension. The gate calls it with
    the event where interactions.py would start the listener's task: when it returns True the
    event is handled and no task is created; when it returns False (say, a cache miss that needs
    the database) the listener runs as usual. It runs inside the gateway's dispatch, so it must
    never block; an exception in it is reported like a failing listener, and the listener does
    not run.

        @interactions.listen(MessageCreate)
        @handled_inline("count_message_now")
        async def on_message(self, event: MessageCreate) -> None: ...
    """

    def mark(listener: F) -> F:
        listener.__gk_inline__ = method_name  # type: ignore[attr-defined]
        return listener

    return mark


def _inline_handler(listener: interactions.Listener) -> InlineHandler | None:
    callback = listener.callback
    function = getattr(callback, "func", None) or getattr(callback, "__func__", None) or callback
    name = getattr(function, "__gk_inline__", None)
    extension = getattr(listener, "extension", None) or getattr(callback, "__self__", None)
    if name is None or extension is None:
        return None
    handler: InlineHandler = getattr(extension, name)
    return handler


def event_guild_id(event: object) -> int | None:
    """The guild an event belongs to, or None for DMs and guild-less events."""
    direct = getattr(event, "guild_id", None)
    if direct:
        return int(direct)
    for attribute in ("message", "member", "after", "before", "ctx", "author"):
        inner = getattr(event, attribute, None)
        if inner is None:
            continue
        guild_id = ipy.guild_id_of(inner) or getattr(inner, "guild_id", None)
        if guild_id:
            return int(guild_id)
    data = getattr(event, "data", None)
    if isinstance(data, dict) and data.get("guild_id"):
        return int(data["guild_id"])
    return None


def command_check(plugin: str, is_enabled: IsEnabled) -> Callable[[Any], Awaitable[bool]]:
    async def plugin_enabled_here(ctx: Any) -> bool:
        guild_id = ctx.guild_id
        if guild_id is not None and not await is_enabled(int(guild_id), plugin):
            raise PluginDisabled(plugin)
        return True

    plugin_enabled_here.__name__ = f"{plugin}_enabled_here"
    return plugin_enabled_here


class ListenerGate:
    """Decides, when an event is dispatched, which plugin listeners run at all.

    interactions.py starts one task per listener per event. The client asks :meth:`admit` for each
    listener before that task exists (``ipy.ClientHooks.queue_listener``): a listener of a plugin
    that is off in the event's guild gets no task and no call. The guild's flags are normally
    cached, so this is a dict lookup; when they are not, one task per guild reads them and then
    starts the listeners whose plugin is on.
    """

    def __init__(self, flags: FlagService, on_error: Callable[[BaseException], None]) -> None:
        self._flags = flags
        self._on_error = on_error
        #: id(listener) -> the plugin that owns it; listeners not here always run.
        self._owners: dict[int, str] = {}
        #: id(listener) -> its synchronous fast path (:func:`handled_inline`).
        self._inline: dict[int, InlineHandler] = {}
        #: Whether the client is ready: before that, listeners that wait for it run as tasks.
        self.ready: Callable[[], bool] = lambda: True
        #: guild id -> (plugin, queue) of listeners waiting for the guild's flags to be read
        self._waiting: dict[int, list[tuple[str, Callable[[], Any]]]] = {}
        #: Tasks reading flags for waiting listeners: shutdown waits for them like for listeners.
        self.loading: set[asyncio.Task[None]] = set()
        # One event is dispatched to all its listeners in a row: find its guild once.
        self._last_event: object = None
        self._last_guild: int | None = None

    def own(self, plugin: str, listeners: Iterable[interactions.Listener]) -> None:
        for listener in listeners:
            self._owners[id(listener)] = plugin
            inline = _inline_handler(listener)
            if inline is not None:
                self._inline[id(listener)] = inline

    def admit(self, listener: interactions.Listener, event: object, queue: Callable[[], Any]) -> Any:
        """Call ``queue`` (start the listener's task) now, later, or never."""
        plugin = self._owners.get(id(listener))
        if plugin is None:
            return queue()
        if event is not self._last_event:
            self._last_event = event
            self._last_guild = event_guild_id(event)
        guild_id = self._last_guild
        if guild_id is None:
            return queue()
        enabled = self._flags.cached_plugin_enabled(guild_id, plugin)
        if enabled:
            inline = self._inline.get(id(listener))
            if inline is not None and self.ready():
                try:
                    if inline(event):
                        return None
                except Exception as error:  # like a failing listener: logged under an error id
                    report_unexpected(error, f"{plugin}'s listener {listener.callback!r}")
                    return None
            return queue()
        if enabled is None:
            waiting = self._waiting.get(guild_id)
            if waiting is None:
                waiting = self._waiting[guild_id] = []
                task = asyncio.create_task(self._admit_after_loading(guild_id), name="guildkit-gate-flags")
                self.loading.add(task)
                task.add_done_callback(self.loading.discard)
            waiting.append((plugin, queue))
        return None

    async def _admit_after_loading(self, guild_id: int) -> None:
        try:
            await self._flags.load(guild_id)
        except Exception as error:  # e.g. the database is down: the listeners cannot know
            self._waiting.pop(guild_id, None)
            self._on_error(error)
            return
        # Listeners arriving from here on read the cache; these were queued in dispatch order.
        waiting = self._waiting.pop(guild_id, [])
        for plugin, queue in waiting:
            try:
                enabled = await self._flags.is_enabled(guild_id, plugin)
            except Exception as error:
                self._on_error(error)
                return
            if enabled:
                queue()


def gate_autocomplete(
    callback: Callable[..., Awaitable[Any]], plugin: str, is_enabled: IsEnabled
) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(callback)
    async def gated(*args: Any, **kwargs: Any) -> Any:
        ctx = next(arg for arg in args if isinstance(arg, interactions.AutocompleteContext))
        if ctx.guild_id is not None and not await is_enabled(int(ctx.guild_id), plugin):
            await ctx.send(choices=[])
            return None
        return await callback(*args, **kwargs)

    return gated


def gate_extension(
    extension: interactions.Extension, plugin: str, is_enabled: IsEnabled
) -> list[interactions.InteractionCommand]:
    """Gate everything ``extension`` registered; return its application commands."""
    check = command_check(plugin, is_enabled)
    app_commands: list[interactions.InteractionCommand] = []
    for command in extension.commands:
        if isinstance(command, interactions.BaseCommand):
            command.checks.insert(0, check)
        # Components and modals subclass InteractionCommand but are not application commands.
        if isinstance(command, (interactions.SlashCommand, interactions.ContextMenu)):
            app_commands.append(command)
            for option, callback in list(getattr(command, "autocomplete_callbacks", {}).items()):
                command.autocomplete_callbacks[option] = gate_autocomplete(callback, plugin, is_enabled)
    # Listeners are gated before dispatch (ListenerGate.own), not here.
    return app_commands
