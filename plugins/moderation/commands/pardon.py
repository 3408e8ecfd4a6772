"""/pardon case: the warning stops counting; its record stays."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import service
from . import format
from .options import MODERATOR_PERMISSIONS


class PardonCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="pardon",
        description="Pardon a warning: its points stop counting, the record stays",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option(
        "case",
        "The warning's case number",
        opt_type=OptionType.INTEGER,
        required=True,
        min_value=1,
        max_value=2_000_000_000,
    )
    async def pardon(self, ctx: SlashContext, case: int) -> None:
        warning = await service.warnings.pardon(int(ctx.guild_id), case, int(ctx.author.id))
        await ctx.send(
            f"Pardoned the warning of case {warning.number}; its {warning.points} point(s) no longer count.",
            allowed_mentions=format.NO_PINGS,
        )
