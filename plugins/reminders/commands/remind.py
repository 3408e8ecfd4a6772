"""/remind when message [channel] [every] [until] [timezone], and the buttons that settle an
ambiguous time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import interactions
from interactions import AutocompleteContext, ComponentContext, OptionType, SlashContext, slash_option

from guildkit.core.commands.access import require_guild, runtime_of
from guildkit.core.errors import MissingPermission
from guildkit.core.users import search_timezones

from ..service import personal, requests
from . import format

PICK = re.compile(r"^reminders:pick:(\d+):(\d+)(?::(\d+(?:,\d+)*))?$")
UNTIL = re.compile(r"^reminders:until:(\d+):(\d+)$")


class RemindCommands(interactions.Extension):
    @interactions.slash_command(name="remind", description="Remind you of something at a time you write as you say it")
    @slash_option(
        "when",
        "When: in 2h30m, tomorrow 9am, next friday 17:00, 24 dec 18:00",
        OptionType.STRING,
        required=True,
        max_length=100,
    )
    @slash_option("message", "What to remind you of", OptionType.STRING, required=True, max_length=1500)
    @slash_option(
        "channel",
        "Where to remind you (default: here)",
        OptionType.CHANNEL,
        channel_types=[interactions.ChannelType.GUILD_TEXT],
    )
    @slash_option(
        "every",
        "Repeat: 90 minutes, day at 9, monday 10:00, month on the 31st, other friday 5pm",
        OptionType.STRING,
        max_length=100,
    )
    @slash_option("until", "Stop repeating after this time", OptionType.STRING, max_length=100)
    @slash_option(
        "timezone",
        "Timezone for this reminder (default: yours, set with /timezone)",
        OptionType.STRING,
        max_length=64,
        autocomplete=True,
    )
    async def remind(
        self,
        ctx: SlashContext,
        when: str,
        message: str,
        channel: interactions.GuildText | None = None,
        every: str | None = None,
        until: str | None = None,
        timezone: str | None = None,
    ) -> None:
        guild_id = require_guild(ctx)
        target = None
        if channel is not None:
            needed = interactions.Permissions.VIEW_CHANNEL | interactions.Permissions.SEND_MESSAGES
            if (channel.permissions_for(ctx.author) & needed) != needed:
                raise MissingPermission("You can only set reminders in channels where you can send messages.")
            target = int(channel.id)
        result = await requests.remind(
            runtime_of(ctx),
            guild_id=guild_id,
            user_id=int(ctx.author_id),
            channel_id=int(ctx.channel_id),
            target_channel_id=target,
            locale=ctx.locale,
            when=when,
            message=message,
            every=every,
            until=until,
            timezone=timezone,
        )
        if result.choices:
            choices = [(choice.label, choice.at) for choice in result.choices]
            ends = [choice.at for choice in result.until_choices]
            await ctx.send(
                format.ambiguous_time(when, result.reminder.zone),
                components=format.choice_buttons(result.reminder.id, choices, ends),
                ephemeral=True,
            )
            return
        if result.until_choices:
            ends = [(choice.label, choice.at) for choice in result.until_choices]
            await ctx.send(
                format.ambiguous_until(until or "", result.reminder.zone, result.reminder.next_at),
                components=format.until_buttons(result.reminder.id, ends),
                ephemeral=True,
            )
            return
        await ctx.send(format.reminder_set(result.reminder), ephemeral=True)

    @remind.autocomplete("timezone")
    async def timezone_choices(self, ctx: AutocompleteContext) -> None:
        typed = ctx.input_text or ""
        await ctx.send([{"name": tz, "value": tz} for tz in search_timezones(typed[:64], 25)])

    @interactions.component_callback(PICK)
    async def pick(self, ctx: ComponentContext) -> None:
        match = PICK.match(ctx.custom_id)
        assert match is not None
        at = datetime.fromtimestamp(int(match.group(2)), UTC)
        ends = tuple(datetime.fromtimestamp(int(stamp), UTC) for stamp in (match.group(3) or "").split(",") if stamp)
        chosen = await personal.choose_time(runtime_of(ctx), int(match.group(1)), int(ctx.author_id), at, ends)
        view = chosen.reminder
        if chosen.until_choices:
            labelled = [(format.choice_label(end, view.zone), end) for end in chosen.until_choices]
            await ctx.edit_origin(
                content=format.ambiguous_until("until", view.zone, view.next_at),
                components=format.until_buttons(view.id, labelled),
            )
            return
        await ctx.edit_origin(content=format.reminder_set(view), components=[])

    @interactions.component_callback(UNTIL)
    async def pick_until(self, ctx: ComponentContext) -> None:
        match = UNTIL.match(ctx.custom_id)
        assert match is not None
        until = datetime.fromtimestamp(int(match.group(2)), UTC)
        view = await personal.choose_until(runtime_of(ctx), int(match.group(1)), int(ctx.author_id), until)
        await ctx.edit_origin(content=format.reminder_set(view), components=[])
