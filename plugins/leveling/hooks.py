"""Core hooks: a user's data (privacy export and deletion)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guildkit.core.hookspecs import hookimpl

from . import service
from .state import LevelingState

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime


@hookimpl
async def user_data_export(runtime: Runtime, user_id: int) -> dict[str, Any] | None:
    await runtime.state(LevelingState).flush()
    return await service.export_user(user_id)


@hookimpl
async def user_data_delete(runtime: Runtime, user_id: int) -> None:
    state = runtime.state(LevelingState)
    await state.flush()
    state.engine.forget_user(user_id)
    await service.delete_user(user_id)

    def without_member(payload: dict[str, Any]) -> dict[str, Any] | None:
        # A level-up still waiting to be announced or to get its role: not theirs any more.
        changes = [row for row in payload.get("changes", []) if int(row[0]) != user_id]
        return {**payload, "changes": changes} if changes else None

    await runtime.scheduler.edit_payloads("leveling", "level_effects", without_member)
