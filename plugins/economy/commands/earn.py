"""/daily and /work"""

from __future__ import annotations

import interactions
from interactions import SlashContext

from .. import service
from .common import GREEN, context, money, role_ids


class EconomyEarnCommands(interactions.Extension):
    @interactions.slash_command(
        name="daily", description="Claim your daily money (resets at midnight in your timezone)"
    )
    async def daily(self, ctx: SlashContext) -> None:
        runtime, guild_id, settings = await context(ctx)
        result = await service.claim_daily(runtime, guild_id, int(ctx.author_id), role_ids(ctx.author))
        lines = [f"You claimed {money(settings, result.amount)}!"]
        lines.append(f"Streak: **{result.streak}** day{'s' if result.streak != 1 else ''}.")
        if result.bonus_percent:
            lines.append(f"Role bonus: +{result.bonus_percent}%.")
        lines.append(f"Wallet: {money(settings, result.receipt.wallet)}.")
        lines.append(f"Next daily <t:{int(result.next_at.timestamp())}:R>.")
        embed = interactions.Embed(title="Daily", description="\n".join(lines), color=GREEN)
        await ctx.send(embeds=embed)

    @interactions.slash_command(name="work", description="Work for some money")
    async def work(self, ctx: SlashContext) -> None:
        runtime, guild_id, settings = await context(ctx)
        result = await service.work(runtime, guild_id, int(ctx.author_id), role_ids(ctx.author))
        bonus = f" (+{result.bonus_percent}% role bonus)" if result.bonus_percent else ""
        await ctx.send(
            f"You worked and earned {money(settings, result.amount)}{bonus}. "
            f"Wallet: {money(settings, result.receipt.wallet)}. "
            f"Work again <t:{int(result.next_at.timestamp())}:R>."
        )
