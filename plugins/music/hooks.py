"""Core hooks: /privacy export and delete."""

from __future__ import annotations

from typing import Any

from guildkit.core.hookspecs import hookimpl

from .service import privacy
from .state import MusicState


@hookimpl
async def user_data_export(runtime: Any, user_id: int) -> dict[str, Any] | None:
    await runtime.state(MusicState).flush_history()
    return await privacy.export_user(user_id)


@hookimpl
async def user_data_delete(runtime: Any, user_id: int) -> str | None:
    # Live players and buffered plays first, so nothing writes the member back afterwards.
    await runtime.state(MusicState).forget_user(user_id)
    return await privacy.delete_user(user_id)


@hookimpl
async def plugin_disabled(runtime: Any, guild_id: int, plugin: str, actor_id: int | None) -> None:
    if plugin == "music":  # switched off mid-song: stop and leave, as /leave does
        await runtime.state(MusicState).leave(guild_id)


@hookimpl
async def guild_left(runtime: Any, guild_id: int) -> None:
    await runtime.state(MusicState).forget_guild(guild_id)
