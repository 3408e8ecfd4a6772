"""Hook specifications: the events the core announces to plugins.

Hooks are called through pluggy (``runtime.hooks.call``), so tryfirst/trylast, wrappers
(``wrapper=True`` / ``hookwrapper=True``) and pluggy's hook-call monitoring all apply. An
implementation may be a plain function or a coroutine function: pluggy calls each one and collects
what it returns, then the core awaits the coroutines one by one in pluggy's call order. A failing
implementation is logged with its plugin's name and an error id, counts as no answer, and does not
stop the others. Wrappers run around the plain calls, so they see an async implementation's
coroutine rather than its answer.

A hookspec declared ``@hookspec(firstresult=True)`` stops at the first non-None answer, which needs
answers at call time: its implementations must be plain (``def``) functions. Registering a
coroutine function for one is a ``StartupError``.

Hooks that carry a ``guild_id`` reach only plugins enabled in that guild, except
``plugin_enabled`` / ``plugin_disabled`` / ``guild_joined`` / ``guild_left``, which every plugin sees.

A plugin adds hookspecs of its own (for example leveling's ``leveling_level_changed``) by pointing
its declaration's ``hookspecs`` at a module written like this one. Name them ``<plugin>_<event>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

PROJECT = "guildkit"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def guildkit_startup(runtime: Runtime) -> None:
    """Fires once the database is migrated and the client has synced its commands, before the
    first interaction is handled. Start background work here."""


@hookspec
def guildkit_shutdown(runtime: Runtime) -> None:
    """Fires when the bot stops (also on Ctrl-C), before database connections close. Flush
    buffers here; the database is still available."""


@hookspec
def guild_joined(runtime: Runtime, guild_id: int) -> None:
    """Fires when the bot is added to a guild (not for guilds it was already in at startup)."""


@hookspec
def guild_left(runtime: Runtime, guild_id: int) -> None:
    """Fires when the bot is removed from a guild or the guild is deleted."""


@hookspec
def plugin_enabled(runtime: Runtime, guild_id: int, plugin: str, actor_id: int | None) -> None:
    """Fires after ``plugin`` (or a sub-feature ``plugin.feature``) was switched on in a guild and the
    change is stored. Every plugin sees it, whether or not it is the one enabled."""


@hookspec
def plugin_disabled(runtime: Runtime, guild_id: int, plugin: str, actor_id: int | None) -> None:
    """Fires after ``plugin`` (or ``plugin.feature``) was switched off in a guild. Every plugin sees it."""


@hookspec
def user_data_export(runtime: Runtime, user_id: int) -> dict[str, Any] | None:
    """Return everything this plugin stores about ``user_id`` as JSON-serialisable data, or None
    if it stores nothing. The core groups the answers by plugin name."""


@hookspec
def user_data_delete(runtime: Runtime, user_id: int) -> str | None:
    """Delete what this plugin stores about ``user_id``; return a short sentence describing what is
    kept and why (for example audit records), or None if nothing is kept."""
