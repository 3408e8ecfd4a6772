"""/note member text: a private note, never sent to the member."""

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.permissions import requires

from .. import effects
from ..service.cases import MAX_REASON
from . import format
from .options import MODERATOR_PERMISSIONS


class NoteCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="note",
        description="Add a private note to a member's record (no DM)",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Who the note is about", opt_type=OptionType.USER, required=True)
    @interactions.slash_option("text", "The note", opt_type=OptionType.STRING, required=True, max_length=MAX_REASON)
    async def note(self, ctx: SlashContext, member: interactions.User, text: str) -> None:
        outcome = await effects.run_interaction_case(ctx, "note", member, text)
        reply = format.action_reply(outcome.case, outcome.escalation, outcome.repeated)
        await ctx.send(reply, allowed_mentions=format.NO_PINGS)
