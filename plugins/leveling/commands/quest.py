"""/quest add|remove (server managers) and /quests (everyone): quests and your progress."""

from __future__ import annotations

import interactions
from interactions import OptionType, Permissions, SlashCommandChoice, SlashContext, slash_option

from guildkit.core.permissions import require_level

from .. import service
from ..models import COUNTERS
from ..state import LevelingState
from . import format


class QuestCommands(interactions.Extension):
    @interactions.slash_command(name="quests", description="Quests here and your progress")
    async def quests(self, ctx: SlashContext) -> None:
        state = ctx.client.runtime.state(LevelingState)
        guild_id = int(ctx.guild_id)
        await state.flush_member(guild_id, int(ctx.author.id))
        standings = await service.quests_for(guild_id, int(ctx.author.id), await state.settings(guild_id))
        if not standings:
            await ctx.send("No quests here yet.", ephemeral=True)
            return
        await ctx.send(format.quests(standings), ephemeral=True)

    @interactions.slash_command(
        name="quest",
        description="Manage quests",
        sub_cmd_name="add",
        sub_cmd_description="Create a quest",
        default_member_permissions=Permissions.MANAGE_GUILD,
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
    @slash_option(
        "amount",
        "How much of it",
        opt_type=OptionType.INTEGER,
        required=True,
        min_value=1,
        max_value=service.MAX_REQUIREMENT,
    )
    @slash_option(
        "reward_xp",
        "XP reward",
        opt_type=OptionType.INTEGER,
        required=True,
        min_value=0,
        max_value=service.MAX_REWARD_XP,
    )
    @slash_option(
        "multiplier",
        "XP multiplier reward (1 = none)",
        opt_type=OptionType.NUMBER,
        min_value=1,
        max_value=service.MAX_QUEST_MULTIPLIER,
    )
    @slash_option(
        "minutes",
        "How long the multiplier lasts",
        opt_type=OptionType.INTEGER,
        min_value=0,
        max_value=service.MAX_MULTIPLIER_MINUTES,
    )
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
        guild_id = await require_level(ctx, "manager")
        quest = await service.create_quest(
            guild_id,
            name=name,
            cycle=cycle,
            requirement=requirement,
            requirement_value=amount,
            reward_xp=reward_xp,
            reward_multiplier=float(multiplier),
            multiplier_minutes=minutes,
        )
        ctx.client.runtime.state(LevelingState).invalidate(guild_id)
        await ctx.send(
            f"Quest #{quest.id} **{quest.name}** created: {amount} {requirement} ({cycle}), +{format.xp(reward_xp)}."
        )

    @quest_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Retire a quest")
    @slash_option(
        "quest_id",
        "Quest number (see /quests)",
        opt_type=OptionType.INTEGER,
        required=True,
        min_value=1,
        max_value=service.MAX_ID,
    )
    async def quest_remove(self, ctx: SlashContext, quest_id: int) -> None:
        guild_id = await require_level(ctx, "manager")
        name = await service.remove_quest(guild_id, quest_id)
        ctx.client.runtime.state(LevelingState).invalidate(guild_id)
        await ctx.send(f"Quest **{name}** retired.")
