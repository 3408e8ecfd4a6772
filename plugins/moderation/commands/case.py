"""/case view N and /case reason N text (the old reason stays in the case's history)."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import service
from ..service.cases import MAX_REASON
from . import format
from .options import MODERATOR_PERMISSIONS

case_group = interactions.SlashCommand(
    name="case",
    description="One moderation case",
    default_member_permissions=MODERATOR_PERMISSIONS,
    dm_permission=False,
)
NUMBER = interactions.slash_option(
    "number", "Case number", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=2_000_000_000
)


class CaseCommands(interactions.Extension):
    @requires("moderator")
    @case_group.subcommand(sub_cmd_name="view", sub_cmd_description="Show a case and its reason edits")
    @NUMBER
    async def view(self, ctx: SlashContext, number: int) -> None:
        guild_id = int(ctx.guild_id)
        case = await service.cases.get_case(guild_id, number)
        history = await service.cases.reason_history(guild_id, number)
        await ctx.send(embeds=[format.case_embed(case, history)], allowed_mentions=format.NO_PINGS)

    @requires("moderator")
    @case_group.subcommand(sub_cmd_name="reason", sub_cmd_description="Change a case's reason (the old one is kept)")
    @NUMBER
    @interactions.slash_option(
        "text", "The new reason", opt_type=OptionType.STRING, required=True, max_length=MAX_REASON
    )
    async def reason(self, ctx: SlashContext, number: int, text: str) -> None:
        case = await service.cases.edit_reason(int(ctx.guild_id), number, int(ctx.author.id), text)
        await ctx.send(f"Case {case.number}: reason changed to: {case.reason}", allowed_mentions=format.NO_PINGS)
