"""Core hooks (privacy) and other plugins' hooks (leveling's level-ups)."""

from __future__ import annotations

import contextlib
from typing import Any

from guildkit.core.hookspecs import hookimpl

from . import service


@hookimpl
async def user_data_export(user_id: int) -> dict[str, Any] | None:
    return await service.export_user(user_id)


@hookimpl
async def user_data_delete(runtime: Any, user_id: int) -> str | None:
    return await service.delete_user(runtime, user_id)


@hookimpl(optionalhook=True)
async def leveling_level_changed(runtime: Any, guild_id: int, user_id: int, old_level: int, new_level: int) -> None:
    """Pay ``coins_per_level_up`` per level gained, once per level whatever calls repeat."""
    settings = await service.settings_for(runtime, guild_id)
    if settings.coins_per_level_up <= 0 or new_level <= old_level:
        return
    # One entry per level, each with its own key: a repeated or overlapping call (1->3, then 2->3
    # after a demotion) never pays a level twice.
    for level in range(max(old_level, 0) + 1, new_level + 1):
        with contextlib.suppress(service.UserError):  # at the maximum balance: no reward, nothing written
            await service.credit(
                runtime,
                guild_id,
                user_id,
                settings.coins_per_level_up,
                kind="levelup",
                reason=f"reached level {level}",
                key=f"levelup:{guild_id}:{user_id}:{level}",
                settings=settings,
            )
