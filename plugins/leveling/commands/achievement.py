"""/achievement add|remove (server managers) and /achievements (everyone)."""

from __future__ import annotations

import interactions
from interactions import OptionType, Permissions, SlashCommandChoice, SlashContext, slash_option

from guildkit.core.permissions import require_level

from .. import service
from ..state import LevelingState
from . import format


class AchievementCommands(interactions.Extension):
    @interactions.slash_command(name="achievements", description="Achievements here and which you have earned")
    @slash_option("member", "Whose achievements", opt_type=OptionType.USER)
    async def achievements(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        target = format.target_member(ctx, member)
        await ctx.client.runtime.state(LevelingState).flush_member(int(ctx.guild_id), int(target.id))
        standings = await service.achievements_for(int(ctx.guild_id), int(target.id))
        if not standings:
            await ctx.send("No achievements here yet.", ephemeral=True)
            return
        await ctx.send(format.achievements(target.display_name, standings), ephemeral=True)

    @interactions.slash_command(
        name="achievement",
        description="Manage achievements",
        sub_cmd_name="add",
        sub_cmd_description="Create an achievement",
        default_member_permissions=Permissions.MANAGE_GUILD,
    )
    @slash_option("name", "Name", opt_type=OptionType.STRING, required=True, max_length=100)
    @slash_option(
        "requirement",
        "What counts",
        opt_type=OptionType.STRING,
        required=True,
        choices=[SlashCommandChoice(name=c, value=c) for c in service.ACHIEVEMENT_REQUIREMENTS],
    )
    @slash_option(
        "amount",
        "How much of it",
        opt_type=OptionType.INTEGER,
        required=True,
        min_value=1,
        max_value=service.MAX_REQUIREMENT,
    )
    @slash_option("reward_xp", "XP reward", opt_type=OptionType.INTEGER, min_value=0, max_value=service.MAX_REWARD_XP)
    @slash_option("description", "Description", opt_type=OptionType.STRING, max_length=300)
    async def achievement_add(
        self, ctx: SlashContext, name: str, requirement: str, amount: int, reward_xp: int = 0, description: str = ""
    ) -> None:
        guild_id = await require_level(ctx, "manager")
        achievement = await service.create_achievement(guild_id, name, requirement, amount, reward_xp, description)
        ctx.client.runtime.state(LevelingState).invalidate(guild_id)
        await ctx.send(f"Achievement #{achievement.id} **{achievement.name}** created: {requirement} ≥ {amount}.")

    @achievement_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Delete an achievement")
    @slash_option(
        "achievement_id",
        "Achievement number",
        opt_type=OptionType.INTEGER,
        required=True,
        min_value=1,
        max_value=service.MAX_ID,
    )
    async def achievement_remove(self, ctx: SlashContext, achievement_id: int) -> None:
        guild_id = await require_level(ctx, "manager")
        name = await service.remove_achievement(guild_id, achievement_id)
        ctx.client.runtime.state(LevelingState).invalidate(guild_id)
        await ctx.send(f"Achievement **{name}** deleted.")
