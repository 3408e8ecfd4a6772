"""/reminders list|delete|edit|pause|resume, and the snooze buttons on delivered reminders."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import interactions
from interactions import ComponentContext, OptionType, SlashContext, slash_option

from guildkit.core.commands.access import require_guild, runtime_of
from guildkit.core.pagination import PageSource, PageView

from ..service import personal, requests
from . import format

SNOOZE = re.compile(r"^reminders:snooze:(\d+):(10m|1h|tomorrow|done)$")
EDIT_TIME = re.compile(r"^reminders:edit:(\d+):(\d+)$")
MAX_ID = 2**53


async def render_list(ctx: Any, page: int, arg: str) -> PageView:
    listing = await personal.list_reminders(require_guild(ctx), int(ctx.author_id), page)
    embed = format.reminders_embed(listing.rows, listing.page, listing.pages, listing.total)
    return PageView(page=listing.page, pages=listing.pages, embeds=[embed])


list_pages = PageSource("reminders", "list", render_list)


class RemindersCommands(interactions.Extension):
    @interactions.slash_command(
        name="reminders",
        description="Your reminders",
        sub_cmd_name="list",
        sub_cmd_description="Your reminders here, soonest first",
    )
    @slash_option("page", "Page number", OptionType.INTEGER, min_value=1, max_value=1000)
    async def list_reminders(self, ctx: SlashContext, page: int = 1) -> None:
        await list_pages.send(ctx, page=page, ephemeral=True)

    @list_reminders.subcommand(sub_cmd_name="delete", sub_cmd_description="Delete one of your reminders")
    @slash_option(
        "id",
        "The reminder's number (see /reminders list)",
        OptionType.INTEGER,
        required=True,
        min_value=1,
        max_value=MAX_ID,
    )
    async def delete(self, ctx: SlashContext, id: int) -> None:
        view = await personal.delete_reminder(runtime_of(ctx), require_guild(ctx), int(ctx.author_id), id)
        await ctx.send(f"🗑️ Reminder **#{view.id}** deleted.", ephemeral=True)

    @list_reminders.subcommand(sub_cmd_name="pause", sub_cmd_description="Pause one of your reminders")
    @slash_option("id", "The reminder's number", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_ID)
    async def pause(self, ctx: SlashContext, id: int) -> None:
        view = await personal.pause_reminder(runtime_of(ctx), require_guild(ctx), int(ctx.author_id), id)
        await ctx.send(f"⏸️ Reminder **#{view.id}** paused; `/reminders resume` starts it again.", ephemeral=True)

    @list_reminders.subcommand(sub_cmd_name="resume", sub_cmd_description="Resume a paused reminder")
    @slash_option("id", "The reminder's number", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_ID)
    async def resume(self, ctx: SlashContext, id: int) -> None:
        view = await personal.resume_reminder(runtime_of(ctx), require_guild(ctx), int(ctx.author_id), id)
        await ctx.send(format.reminder_set(view), ephemeral=True)

    @list_reminders.subcommand(
        sub_cmd_name="edit", sub_cmd_description="Change the time, text or repetition of a reminder"
    )
    @slash_option("id", "The reminder's number", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_ID)
    @slash_option("when", "New time", OptionType.STRING, max_length=100)
    @slash_option("message", "New text", OptionType.STRING, max_length=1500)
    @slash_option("every", "New repetition, or never", OptionType.STRING, max_length=100)
    async def edit(
        self, ctx: SlashContext, id: int, when: str | None = None, message: str | None = None, every: str | None = None
    ) -> None:
        result = await requests.edit(
            runtime_of(ctx),
            guild_id=require_guild(ctx),
            user_id=int(ctx.author_id),
            reminder_id=id,
            locale=ctx.locale,
            when=when,
            message=message,
            every=every,
        )
        if result.choices:
            choices = [(choice.label, choice.at) for choice in result.choices]
            await ctx.send(
                format.ambiguous_edit(result.reminder, when or ""),
                components=format.edit_time_buttons(result.reminder.id, choices),
                ephemeral=True,
            )
            return
        await ctx.send(format.edited(result.reminder), ephemeral=True)

    @interactions.component_callback(EDIT_TIME)
    async def pick_edit_time(self, ctx: ComponentContext) -> None:
        match = EDIT_TIME.match(ctx.custom_id)
        assert match is not None
        at = datetime.fromtimestamp(int(match.group(2)), UTC)
        view = await personal.edit_reminder(
            runtime_of(ctx), require_guild(ctx), int(ctx.author_id), int(match.group(1)), at=at
        )
        await ctx.edit_origin(content=format.edited(view), components=[])

    @interactions.component_callback(SNOOZE)
    async def snooze(self, ctx: ComponentContext) -> None:
        match = SNOOZE.match(ctx.custom_id)
        assert match is not None
        reminder_id, choice = int(match.group(1)), match.group(2)
        runtime = runtime_of(ctx)
        if choice == "done":
            await personal.owned(reminder_id, int(ctx.author_id))
            await ctx.edit_origin(components=[])
            return
        view = await personal.snooze(runtime, reminder_id, int(ctx.author_id), choice)
        await ctx.send(format.snoozed(view), ephemeral=True)
        if ctx.message is not None:
            await ctx.message.edit(components=[])  # snoozed once: the buttons go
