"""The pluggy hook registry, with per-plugin error isolation and per-guild gating."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pluggy

from guildkit.core import hookspecs
from guildkit.core.errors import report_unexpected

log = logging.getLogger("guildkit.hooks")

#: Core hooks every plugin hears whatever its flag in the guild.
UNGATED_HOOKS = frozenset({"plugin_enabled", "plugin_disabled", "guild_joined", "guild_left"})


class HookRegistry:
    """Wraps a pluggy PluginManager. Plugins register under their plugin name."""

    def __init__(self) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        #: Set by the runtime: answers "is plugin X on in guild G" from the flag cache.
        self.is_enabled: Callable[[int, str], Awaitable[bool]] | None = None
        #: Plugin names gated by flags (the core's own registrations are not).
        self.gated_names: frozenset[str] = frozenset()

    def add_hookspecs(self, module: object) -> None:
        self.manager.add_hookspecs(module)

    def register(self, plugin_name: str, implementation: object) -> None:
        self.manager.register(implementation, name=plugin_name)

    def has_hook(self, name: str) -> bool:
        return hasattr(self.manager.hook, name)

    async def call(self, name: str, *, guild_id: int | None = None, **kwargs: Any) -> dict[str, Any]:
        """Call every implementation of hook ``name`` and return ``{plugin name: result}``.

        Implementations run in pluggy's order (tryfirst/trylast respected). One that raises is
        logged under an error id and skipped. With ``guild_id``, plugins disabled in that guild are
        skipped, except for the hooks in ``UNGATED_HOOKS``.
        """
        caller = getattr(self.manager.hook, name, None)
        if caller is None:
            raise KeyError(f"no hookspec named {name!r}; did the plugin declare its hookspecs module?")
        results: dict[str, Any] = {}
        if guild_id is not None:
            kwargs["guild_id"] = guild_id
        # pluggy calls the last registered first; get_hookimpls() is in reverse call order.
        for impl in reversed(caller.get_hookimpls()):
            plugin_name = impl.plugin_name
            if (
                guild_id is not None
                and name not in UNGATED_HOOKS
                and self.is_enabled is not None
                and plugin_name in self.gated_names
                and not await self.is_enabled(guild_id, plugin_name)
            ):
                continue
            try:
                arguments = {arg: kwargs[arg] for arg in impl.argnames if arg in kwargs}
                result = impl.function(**arguments)
                if inspect.isawaitable(result):
                    result = await result
            except Exception as error:
                report_unexpected(error, f"hook {name} of plugin {plugin_name}")
                continue
            if result is not None:
                results[plugin_name] = result
        return results
