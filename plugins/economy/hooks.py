"""Core hooks: /privacy export and delete. (Leveling pays level-ups through EconomyAPI.reward_level_up.)"""

from __future__ import annotations

from typing import Any

from guildkit.core.hookspecs import hookimpl

from . import service


@hookimpl
async def user_data_export(user_id: int) -> dict[str, Any] | None:
    return await service.export_user(user_id)


@hookimpl
async def user_data_delete(runtime: Any, user_id: int) -> str | None:
    return await service.delete_user(runtime, user_id)
