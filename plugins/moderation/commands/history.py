"""/history member: everything about one member on one page."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import service
from . import format
from .options import MODERATOR_PERMISSIONS

SHOWN = 15


class HistoryCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="history",
        description="A member's cases and warning points on one page",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Whose history", opt_type=OptionType.USER, required=True)
    async def history(self, ctx: SlashContext, member: interactions.User) -> None:
        guild_id, user_id = int(ctx.guild_id), int(member.id)
        summary = await service.warnings.summary(guild_id, user_id)
        total = await service.cases.count_cases(guild_id, target_id=user_id)
        cases = await service.cases.list_cases(guild_id, target_id=user_id, limit=SHOWN)
        await ctx.send(embeds=[format.history_embed(user_id, summary, cases, total)], allowed_mentions=format.NO_PINGS)
