"""Core hooks: privacy export and delete (cases stay: they are the server's audit record)."""

from __future__ import annotations

from typing import Any

from guildkit.core.hookspecs import hookimpl

from . import service
from .models import Case


@hookimpl
async def user_data_export(runtime: Any, user_id: int) -> dict[str, Any] | None:
    about = [service.CaseView.of(c).export() | {"guild_id": c.guild_id} for c in await Case.filter(target_id=user_id)]
    by = [service.CaseView.of(c).export() | {"guild_id": c.guild_id} for c in await Case.filter(moderator_id=user_id)]
    warnings = await service.warnings.export(user_id)
    running = await service.punishments.export(user_id)
    if not (about or by or warnings or running):
        return None
    return {"cases_about_you": about, "cases_you_handled": by, "warnings": warnings, "temporary_punishments": running}


@hookimpl
async def user_data_delete(runtime: Any, user_id: int) -> str | None:
    if not await Case.exists(target_id=user_id) and not await Case.exists(moderator_id=user_id):
        return None
    return (
        "Moderation cases, warnings and running temporary bans or timeouts that name you are kept: "
        "they are each server's moderation audit record. "
        "Warnings are deleted after the server's hard-delete age (365 days by default)."
    )
