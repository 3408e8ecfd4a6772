"""/warnings member: active and expired warnings, with the points that count."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import service
from . import format
from .options import MODERATOR_PERMISSIONS


class WarningsCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="warnings",
        description="A member's warnings, active and expired",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Whose warnings", opt_type=OptionType.USER, required=True)
    async def warnings(self, ctx: SlashContext, member: interactions.User) -> None:
        summary = await service.warnings.summary(int(ctx.guild_id), int(member.id))
        await ctx.send(embeds=[format.warnings_embed(int(member.id), summary)], allowed_mentions=format.NO_PINGS)
