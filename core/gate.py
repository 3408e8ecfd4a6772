"""The per-guild gate: plugin code is not called for guilds where its plugin is off.

The core wraps every command, component, modal, autocomplete and listener of a plugin when it
loads, so a plugin author writes no flag checks and cannot forget one.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

import interactions
from interactions.api.events import BaseEvent

from guildkit.core import ipy
from guildkit.core.errors import PluginDisabled

IsEnabled = Callable[[int, str], Awaitable[bool]]


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


def gate_listener(listener: interactions.Listener, plugin: str, is_enabled: IsEnabled) -> None:
    original = listener.callback

    @functools.wraps(original)
    async def gated(*args: Any, **kwargs: Any) -> Any:
        event = next((arg for arg in args if isinstance(arg, BaseEvent)), None)
        guild_id = event_guild_id(event) if event is not None else None
        if guild_id is not None and not await is_enabled(guild_id, plugin):
            return None
        return await original(*args, **kwargs)

    listener.callback = gated


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
    for listener in extension.listeners:
        gate_listener(listener, plugin, is_enabled)
    return app_commands
