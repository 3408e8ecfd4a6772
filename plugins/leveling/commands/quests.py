"""/quests, /quest add|remove."""

from __future__ import annotations

import interactions
from interactions import OptionType, SlashCommandChoice, SlashContext, slash_option

from .. import service
from ..models import COUNTERS
from ._common import ADMIN, engine_of, require_admin, runtime_of


class QuestCommands(interactions.Extension):
    @interactions.slash_command(name="quests", description="Quests here and your progress")
    async def quests(self, ctx: SlashContext) -> None:
        await engine_of(ctx).flush()
        guild_id = int(ctx.guild_id)
        settings = await runtime_of(ctx).settings.get(guild_id, "leveling")
        rows = await service.quests_for(guild_id, int(ctx.author.id), settings)
        if not rows:
            await ctx.send("No quests here yet.", ephemeral=True)
            return
        lines = ["**Quests**"]
        for quest, progress, done in rows:
            mark = "✅" if done else "▫️"
            shown = min(progress, quest.requirement_value)
            reward = f"+{quest.reward_xp} XP" + (
                f", x{quest.reward_multiplier:g} XP for {quest.multiplier_minutes} min"
                if quest.multiplier_minutes
                else ""
            )
            lines.append(
                f"{mark} #{quest.id} **{quest.name}** ({quest.cycle}): {shown}/{quest.requirement_value} "
                f"{quest.requirement} — {reward}"
            )
        await ctx.send("\n".join(lines), ephemeral=True)

    @interactions.slash_command(
        name="quest",
        description="Manage quests",
        sub_cmd_name="add",
        sub_cmd_description="Create a quest",
        default_member_permissions=ADMIN,
    )
    @slash_option("name", "Name", opt_type=OptionType.STRING, required=True, max_length=100)
    @slash_option(
        "cycle",
        "When it resets",
        opt_type=OptionType.STRING,
        required=True,
        choices=[SlashCommandChoice(name=c, value=c) for c in service.CYCLES],
    )
    @slash_option(
        "requirement",
        "What counts",
        opt_type=OptionType.STRING,
        required=True,
        choices=[SlashCommandChoice(name=c, value=c) for c in COUNTERS],
    )
    @slash_option("amount", "How much of it", opt_type=OptionType.INTEGER, required=True)
    @slash_option("reward_xp", "XP reward", opt_type=OptionType.INTEGER, required=True)
    @slash_option("multiplier", "XP multiplier reward (1 = none)", opt_type=OptionType.NUMBER)
    @slash_option("minutes", "How long the multiplier lasts", opt_type=OptionType.INTEGER)
    async def quest_add(
        self,
        ctx: SlashContext,
        name: str,
        cycle: str,
        requirement: str,
        amount: int,
        reward_xp: int,
        multiplier: float = 1.0,
        minutes: int = 0,
    ) -> None:
        require_admin(ctx)
        quest = await service.create_quest(
            int(ctx.guild_id),
            name=name[:100],
            cycle=cycle,
            requirement=requirement,
            requirement_value=amount,
            reward_xp=reward_xp,
            reward_multiplier=float(multiplier),
            multiplier_minutes=minutes,
        )
        engine_of(ctx).invalidate(int(ctx.guild_id))
        await ctx.send(
            f"Quest #{quest.id} **{quest.name}** created: {amount} {requirement} ({cycle}), +{reward_xp} XP."
        )

    @quest_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Retire a quest")
    @slash_option("quest_id", "Quest number (see /quests)", opt_type=OptionType.INTEGER, required=True)
    async def quest_remove(self, ctx: SlashContext, quest_id: int) -> None:
        require_admin(ctx)
        name = await service.remove_quest(int(ctx.guild_id), quest_id)
        engine_of(ctx).invalidate(int(ctx.guild_id))
        await ctx.send(f"Quest **{name}** retired.")
