"""Per-bot plugin state and typed plugin APIs.

A plugin keeps everything mutable it needs while the bot runs (buffers, engines, caches) in a
:class:`PluginState` subclass it declares with ``Plugin(state=...)``. The core builds one instance
per plugin per running bot, starts it after migrations and before the bot connects, and stops it
(awaiting its flush) after the last handler finished and before the database closes. Two bots in
one process (a restart, the next test) never share an instance, so no plugin needs module globals.

Everything plugin code runs with reaches it: ``runtime.state(MyState)`` from a command
(``ctx.client.runtime``), a job (``job.runtime``) or a hook implementation (``runtime``).

A plugin offers other plugins a :class:`PluginAPI` subclass (``Plugin(api=...)``), bound to one
running bot. Another plugin gets it typed with ``self.api(EconomyAPI)`` on its state, only if it
named the provider in ``requires`` or ``uses``. Every public coroutine method of an API that takes
a ``guild_id`` refuses with :class:`PluginUnavailable` in guilds where the provider is off, so a
caller cannot act on behalf of a plugin the server switched off.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from guildkit.core.errors import PluginDisabled

if TYPE_CHECKING:
    from guildkit.core.plugin import Plugin
    from guildkit.core.runtime import Runtime

ApiT = TypeVar("ApiT", bound="PluginAPI")


class PluginUnavailable(PluginDisabled):
    """A plugin's API was called where that plugin cannot act: not loaded in this bot, or switched
    off in the guild. ``guild_id`` is None when the plugin is not loaded at all."""

    def __init__(self, plugin: str, guild_id: int | None) -> None:
        super().__init__(plugin)
        self.guild_id = guild_id
        if guild_id is None:
            self.args = (f"The **{plugin}** plugin is not installed on this bot.",)


class PluginState:
    """Base class of a plugin's per-bot state. Override :meth:`start` and :meth:`stop`.

    ``start`` runs once the database is migrated and before the bot connects, so no interaction
    reaches the plugin before it; ``stop`` runs when the bot shuts down, after every running
    command and listener finished and before database connections close: flush buffers there.
    """

    def __init__(self, runtime: Runtime, plugin: Plugin) -> None:
        self.runtime = runtime
        self.plugin = plugin

    async def start(self) -> None:
        """Start background work; the database is migrated and open."""

    async def stop(self) -> None:
        """Stop background work and write what is buffered; the database is still open."""

    def api(self, api_class: type[ApiT]) -> ApiT:
        """The API another plugin offers, bound to this bot; only for plugins this one declared
        in ``requires`` or ``uses``. Raises :class:`PluginUnavailable` when that plugin is not
        loaded."""
        return self.runtime.api_for(self.plugin.name, api_class)


def _guild_checked(method: Callable[..., Awaitable[Any]], position: int) -> Callable[..., Awaitable[Any]]:
    """Wrap an API coroutine so it refuses in guilds where the providing plugin is off."""

    @functools.wraps(method)
    async def checked(self: PluginAPI, *args: Any, **kwargs: Any) -> Any:
        guild_id = kwargs["guild_id"] if "guild_id" in kwargs else args[position]
        if not await self.runtime.flags.is_enabled(int(guild_id), self.plugin.name):
            raise PluginUnavailable(self.plugin.name, int(guild_id))
        return await method(self, *args, **kwargs)

    checked.__guild_checked__ = True  # type: ignore[attr-defined]
    return checked


class PluginAPI:
    """Base class of a plugin's public API, bound to one running bot.

    Subclasses write plain coroutine methods. Those whose parameters include ``guild_id`` are
    checked automatically: they raise :class:`PluginUnavailable` where the plugin is off.
    """

    #: Filled per subclass: the public coroutine methods that take a guild_id.
    guild_checked: ClassVar[frozenset[str]] = frozenset()
    #: The providing plugin's name, set by its declaration (``Plugin(api=...)``).
    provider: ClassVar[str] = ""

    def __init__(self, runtime: Runtime, plugin: Plugin) -> None:
        self.runtime = runtime
        self.plugin = plugin

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        checked = set(cls.guild_checked)
        for name, value in list(vars(cls).items()):
            if name.startswith("_") or not inspect.iscoroutinefunction(value):
                continue
            if getattr(value, "__guild_checked__", False):
                continue
            parameters = list(inspect.signature(value).parameters)
            if "guild_id" not in parameters:
                continue
            # Position among the arguments after self.
            setattr(cls, name, _guild_checked(value, parameters.index("guild_id") - 1))
            checked.add(name)
        cls.guild_checked = frozenset(checked)
