"""/stats commands [days]"""

from __future__ import annotations

from datetime import timedelta

import interactions
from interactions import OptionType, SlashContext, slash_option

from guildkit.core import clock
from guildkit.core.commands.access import MANAGE_GUILD
from guildkit.core.permissions import require_manager
from guildkit.core.usage import command_stats


class StatsCommands(interactions.Extension):
    @interactions.slash_command(
        name="stats",
        description="How the bot is used in this server",
        sub_cmd_name="commands",
        sub_cmd_description="Most used commands, failures and answer times",
        default_member_permissions=MANAGE_GUILD,
        dm_permission=False,
    )
    @slash_option("days", "How far back (default 7)", opt_type=OptionType.INTEGER, min_value=1, max_value=365)
    async def stats_commands(self, ctx: SlashContext, days: int = 7) -> None:
        guild_id = await require_manager(ctx)
        await ctx.client.runtime.usage.flush()  # include what is still buffered
        rows = await command_stats(guild_id, clock.now() - timedelta(days=days))
        if not rows:
            await ctx.send(f"No commands were used here in the last {days} days.", ephemeral=True)
            return
        lines = [
            f"`/{row['command']}` — {row['uses']} use(s), {row['fails']} failed, {float(row['avg_ms']):.0f} ms average"
            for row in rows[:15]
        ]
        total = sum(int(row["uses"]) for row in rows)
        embed = interactions.Embed(title=f"Commands, last {days} days", description="\n".join(lines), color=0x3498DB)
        embed.set_footer(f"{total} uses of {len(rows)} commands")
        await ctx.send(embeds=embed, ephemeral=True)
