"""/ban user [duration] [delete_messages] reason: with a duration the ban lifts itself."""

from datetime import timedelta

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.durations import parse_duration
from guildkit.core.permissions import requires

from .. import effects
from ..service import punishments
from ..settings import ModerationSettings
from . import format
from .options import MODERATOR_PERMISSIONS, reason_option

DELETE_CHOICES = {"none": 0, "1 hour": 3600, "6 hours": 21600, "1 day": 86400, "3 days": 259200, "7 days": 604800}


class BanCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="ban",
        description="Ban a user (a duration makes it temporary)",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("user", "Who to ban (a member or any user)", opt_type=OptionType.USER, required=True)
    @reason_option()
    @interactions.slash_option(
        "duration", "How long, like 1d or 2w; empty for permanent", opt_type=OptionType.STRING, max_length=40
    )
    @interactions.slash_option(
        "delete_messages",
        "Delete their messages of the last ...",
        opt_type=OptionType.STRING,
        choices=[interactions.SlashCommandChoice(name=k, value=k) for k in DELETE_CHOICES],
    )
    async def ban(
        self,
        ctx: SlashContext,
        user: interactions.User,
        reason: str,
        duration: str | None = None,
        delete_messages: str | None = None,
    ) -> None:
        length = (
            parse_duration(duration, minimum=timedelta(seconds=1), maximum=punishments.MAX_TEMPBAN)
            if duration
            else None
        )
        if delete_messages is None:
            settings: ModerationSettings = await ctx.client.runtime.settings.get(int(ctx.guild_id), "moderation")
            seconds = settings.ban_delete_message_hours * 3600
        else:
            seconds = DELETE_CHOICES.get(delete_messages, 0)
        outcome = await effects.run_interaction_case(
            ctx, "ban", user, reason, duration=length, delete_message_seconds=seconds
        )
        reply = format.action_reply(outcome.case, outcome.escalation, outcome.repeated)
        await ctx.send(reply, allowed_mentions=format.NO_PINGS)
