"""/daily and /work"""

from __future__ import annotations

import interactions
from interactions import SlashContext

from guildkit.core.commands.access import require_guild, runtime_of
from guildkit.core.ipy import role_ids_of

from .. import service
from .format import GREEN, money, relative_time, settings_here


class EarnCommands(interactions.Extension):
    @interactions.slash_command(
        name="daily", description="Claim your daily money (resets at midnight in your timezone)"
    )
    async def daily(self, ctx: SlashContext) -> None:
        guild_id = require_guild(ctx)
        result = await service.claim_daily(runtime_of(ctx), guild_id, int(ctx.author_id), role_ids_of(ctx.author))
        settings = await settings_here(ctx)
        lines = [f"You claimed {money(settings, result.amount)}!"]
        lines.append(f"Streak: **{result.streak}** day{'' if result.streak == 1 else 's'}.")
        if result.bonus_percent:
            lines.append(f"Role bonus: +{result.bonus_percent}%.")
        lines.append(f"Wallet: {money(settings, result.receipt.wallet)}.")
        lines.append(f"Next daily {relative_time(result.next_at)}.")
        embed = interactions.Embed(title="Daily", description="\n".join(lines), color=GREEN)
        await ctx.send(embeds=embed)

    @interactions.slash_command(name="work", description="Work for some money")
    async def work(self, ctx: SlashContext) -> None:
        guild_id = require_guild(ctx)
        result = await service.work(runtime_of(ctx), guild_id, int(ctx.author_id), role_ids_of(ctx.author))
        settings = await settings_here(ctx)
        bonus = f" (+{result.bonus_percent}% role bonus)" if result.bonus_percent else ""
        await ctx.send(
            f"You worked and earned {money(settings, result.amount)}{bonus}. "
            f"Wallet: {money(settings, result.receipt.wallet)}. "
            f"Work again {relative_time(result.next_at)}."
        )
