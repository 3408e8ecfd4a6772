"""/watch add|list|pause|resume|stop|log: reaction-watch reminders (server managers)."""

from __future__ import annotations

from typing import Any

import interactions
from interactions import OptionType, Permissions, SlashContext, slash_option

from guildkit.core.commands.access import require_guild, runtime_of
from guildkit.core.durations import parse_duration
from guildkit.core.pagination import PageSource, PageView
from guildkit.core.permissions import require_level

from .. import effects
from ..errors import MessageUnreachable, RecurrenceTooFrequent
from ..service import personal, watches
from . import format

MAX_ID = 2**53


async def render_watches(ctx: Any, page: int, arg: str) -> PageView:
    guild_id = require_guild(ctx)
    listing = await watches.list_watches(guild_id, page)
    return PageView(
        page=listing.page,
        pages=listing.pages,
        embeds=[format.watches_embed(guild_id, listing.rows, listing.page, listing.pages)],
    )


async def render_log(ctx: Any, page: int, arg: str) -> PageView:
    listing = await watches.watch_log(require_guild(ctx), int(arg) if arg else None, page)
    return PageView(
        page=listing.page, pages=listing.pages, embeds=[format.log_embed(listing.rows, listing.page, listing.pages)]
    )


watch_pages = PageSource("reminders", "watches", render_watches)
log_pages = PageSource("reminders", "watchlog", render_log)


class WatchCommands(interactions.Extension):
    @interactions.slash_command(
        name="watch",
        description="Remind members who have not reacted to a message",
        sub_cmd_name="add",
        sub_cmd_description="Watch a message: remind members who have not reacted, every interval",
        default_member_permissions=Permissions.MANAGE_GUILD,
    )
    @slash_option(
        "message", "Link to the message (Copy Message Link)", OptionType.STRING, required=True, max_length=200
    )
    @slash_option("interval", "How often to remind: 1h, 30m, 1d", OptionType.STRING, required=True, max_length=80)
    @slash_option("emojis", "Reactions required (default: any)", OptionType.STRING, max_length=500)
    @slash_option("role", "Only remind members with this role", OptionType.ROLE)
    @slash_option("title", "What the reminders call it", OptionType.STRING, max_length=200)
    async def add(
        self,
        ctx: SlashContext,
        message: str,
        interval: str,
        emojis: str | None = None,
        role: interactions.Role | None = None,
        title: str | None = None,
    ) -> None:
        guild_id = await require_level(ctx, "manager")
        runtime = runtime_of(ctx)
        settings = await personal.settings_for(runtime, guild_id)
        channel_id, message_id = watches.parse_message_link(message, guild_id)
        every = parse_duration(interval)
        minimum = parse_duration(f"{settings.min_interval_minutes}m")
        if every < minimum:
            raise RecurrenceTooFrequent(every, minimum)
        required = watches.parse_emojis(emojis)
        if not await effects.message_exists(runtime, channel_id, message_id):
            raise MessageUnreachable(message_id)
        view = await watches.add_watch(
            runtime,
            guild_id=guild_id,
            channel_id=channel_id,
            message_id=message_id,
            interval=every,
            emojis=required,
            role_id=int(role.id) if role else None,
            title=title or "Reaction check",
            created_by=int(ctx.author_id),
            settings=settings,
        )
        await ctx.send(format.watch_added(guild_id, view), allowed_mentions=interactions.AllowedMentions.none())

    @add.subcommand(sub_cmd_name="list", sub_cmd_description="Watched messages and their progress")
    @slash_option("page", "Page number", OptionType.INTEGER, min_value=1, max_value=1000)
    async def list_watches(self, ctx: SlashContext, page: int = 1) -> None:
        await require_level(ctx, "manager")
        await watch_pages.send(ctx, page=page)

    @add.subcommand(sub_cmd_name="pause", sub_cmd_description="Pause a watch's reminders")
    @slash_option(
        "id", "The watch's number (see /watch list)", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_ID
    )
    async def pause(self, ctx: SlashContext, id: int) -> None:
        guild_id = await require_level(ctx, "manager")
        view = await watches.pause_watch(runtime_of(ctx), guild_id, id)
        await ctx.send(format.watch_changed(view, "is paused"))

    @add.subcommand(sub_cmd_name="resume", sub_cmd_description="Resume a paused watch")
    @slash_option("id", "The watch's number", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_ID)
    async def resume(self, ctx: SlashContext, id: int) -> None:
        guild_id = await require_level(ctx, "manager")
        view = await watches.resume_watch(runtime_of(ctx), guild_id, id)
        await ctx.send(format.watch_changed(view, "reminds again"))

    @add.subcommand(sub_cmd_name="stop", sub_cmd_description="Stop a watch for good")
    @slash_option("id", "The watch's number", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_ID)
    async def stop(self, ctx: SlashContext, id: int) -> None:
        guild_id = await require_level(ctx, "manager")
        view = await watches.stop_watch(runtime_of(ctx), guild_id, id)
        await ctx.send(format.watch_changed(view, "is stopped"))

    @add.subcommand(sub_cmd_name="log", sub_cmd_description="The reminder log: sent, failed, members notified")
    @slash_option("id", "Only this watch", OptionType.INTEGER, min_value=1, max_value=MAX_ID)
    @slash_option("page", "Page number", OptionType.INTEGER, min_value=1, max_value=1000)
    async def log(self, ctx: SlashContext, id: int | None = None, page: int = 1) -> None:
        guild_id = await require_level(ctx, "manager")
        if id is not None:
            await watches.watch_log(guild_id, id, 1)  # refuses an unknown watch before drawing pages
        await log_pages.send(ctx, page=page, arg=str(id or ""))
