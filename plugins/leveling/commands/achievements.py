"""/achievements, /achievement add|remove."""

from __future__ import annotations

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext, slash_option

from .. import service
from ._common import ADMIN, engine_of, require_admin, target_member


class AchievementCommands(interactions.Extension):
    @interactions.slash_command(name="achievements", description="Achievements here and which you have earned")
    @slash_option("member", "Whose achievements", opt_type=OptionType.USER)
    async def achievements(self, ctx: SlashContext, member: interactions.Member | None = None) -> None:
        target = target_member(ctx, member)
        await engine_of(ctx).flush()
        rows = await service.achievements_for(int(ctx.guild_id), int(target.id))
        if not rows:
            await ctx.send("No achievements here yet.", ephemeral=True)
            return
        earned = sum(1 for _, at in rows if at)
        lines = [f"**Achievements of {target.display_name}** ({earned}/{len(rows)})"]
        for achievement, at in rows:
            mark = f"🏆 earned <t:{int(at.timestamp())}:d>" if at else "🔒"
            lines.append(
                f"{mark} #{achievement.id} **{achievement.name}**: {achievement.requirement} ≥ "
                f"{achievement.requirement_value} (+{achievement.reward_xp} XP)"
            )
        await ctx.send("\n".join(lines), ephemeral=True)

    @interactions.slash_command(
        name="achievement",
        description="Manage achievements",
        sub_cmd_name="add",
        sub_cmd_description="Create an achievement",
        default_member_permissions=ADMIN,
    )
    @slash_option("name", "Name", opt_type=OptionType.STRING, required=True, max_length=100)
    @slash_option(
        "requirement",
        "What counts",
        opt_type=OptionType.STRING,
        required=True,
        choices=[SlashCommandChoice(name=c, value=c) for c in service.ACHIEVEMENT_REQUIREMENTS],
    )
    @slash_option("amount", "How much of it", opt_type=OptionType.INTEGER, required=True)
    @slash_option("reward_xp", "XP reward", opt_type=OptionType.INTEGER)
    @slash_option("description", "Description", opt_type=OptionType.STRING, max_length=300)
    async def achievement_add(
        self, ctx: SlashContext, name: str, requirement: str, amount: int, reward_xp: int = 0, description: str = ""
    ) -> None:
        require_admin(ctx)
        achievement = await service.create_achievement(
            int(ctx.guild_id), name, requirement, amount, reward_xp, description
        )
        engine_of(ctx).invalidate(int(ctx.guild_id))
        await ctx.send(f"Achievement #{achievement.id} **{achievement.name}** created: {requirement} ≥ {amount}.")

    @achievement_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Delete an achievement")
    @slash_option("achievement_id", "Achievement number", opt_type=OptionType.INTEGER, required=True)
    async def achievement_remove(self, ctx: SlashContext, achievement_id: int) -> None:
        require_admin(ctx)
        name = await service.remove_achievement(int(ctx.guild_id), achievement_id)
        engine_of(ctx).invalidate(int(ctx.guild_id))
        await ctx.send(f"Achievement **{name}** deleted.")
