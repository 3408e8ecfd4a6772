"""/levels recompute|preview: level maintenance after a curve change."""

from __future__ import annotations

import interactions
from interactions import OptionType, Permissions, SlashContext, slash_option

from guildkit.core.permissions import require_level

from .. import service
from ..curve import Curve
from ..state import LevelingState
from . import format


class LevelsCommands(interactions.Extension):
    @interactions.slash_command(
        name="levels",
        description="Level maintenance",
        sub_cmd_name="recompute",
        sub_cmd_description="Recompute everyone's level and level roles (after changing the curve)",
        default_member_permissions=Permissions.MANAGE_GUILD,
    )
    @slash_option("dry_run", "Only count who would change", opt_type=OptionType.BOOLEAN)
    async def levels_recompute(self, ctx: SlashContext, dry_run: bool = False) -> None:
        guild_id = await require_level(ctx, "manager")
        state = ctx.client.runtime.state(LevelingState)
        await state.flush_guild(guild_id)
        preview = await service.preview_levels(guild_id, Curve.of(await state.settings(guild_id)))
        summary = format.level_preview(preview)
        if dry_run:
            await ctx.send(f"Dry run: {summary} under the current curve. Nothing was changed.", ephemeral=True)
            return
        await state.schedule_recompute(guild_id, roles=True)
        await ctx.send(f"Recomputing in the background: {summary}; level roles are re-checked too.")

    @levels_recompute.subcommand(
        sub_cmd_name="preview", sub_cmd_description="Dry run: how many members would change level under another curve"
    )
    @slash_option(
        "curve",
        "Curve",
        opt_type=OptionType.STRING,
        required=True,
        choices=[interactions.SlashCommandChoice(name=c, value=c) for c in ("mee6", "linear", "flat")],
    )
    @slash_option(
        "base",
        "Base XP of linear/flat (default: the current setting)",
        opt_type=OptionType.INTEGER,
        min_value=1,
        max_value=service.MAX_CURVE_BASE,
    )
    @slash_option(
        "multiplier",
        "Curve multiplier (default: the current setting)",
        opt_type=OptionType.NUMBER,
        min_value=service.MIN_CURVE_MULTIPLIER,
        max_value=service.MAX_CURVE_MULTIPLIER,
    )
    @slash_option(
        "max_level",
        "Highest level (default: the current setting)",
        opt_type=OptionType.INTEGER,
        min_value=1,
        max_value=service.MAX_LEVEL,
    )
    async def levels_preview(
        self,
        ctx: SlashContext,
        curve: str,
        base: int | None = None,
        multiplier: float | None = None,
        max_level: int | None = None,
    ) -> None:
        guild_id = await require_level(ctx, "manager")
        state = ctx.client.runtime.state(LevelingState)
        settings = await state.settings(guild_id)
        base = settings.curve_base if base is None else base
        multiplier = settings.curve_multiplier if multiplier is None else multiplier
        max_level = settings.max_level if max_level is None else max_level
        candidate = service.preview_curve(curve, base, multiplier, max_level)
        await state.flush_guild(guild_id)
        preview = await service.preview_levels(guild_id, candidate)
        await ctx.send(
            f"Dry run: under `{curve}` (base {base}, x{multiplier:g}, max level {max_level}) "
            f"{preview.changed} member(s) would change level ({preview.up} up, {preview.down} down). "
            "Nothing was changed. "
            "Apply it with `/config set leveling curve ...`; levels and roles are then recomputed in the background.",
            ephemeral=True,
        )
