"""/queue show|remove|move|clear"""

from typing import Any

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.pagination import PageSource, PageView, clamp_page, page_count

from . import format
from .common import in_voice, music_state, settings_here

PER_PAGE = 10


async def render(ctx: Any, page: int, arg: str) -> PageView:
    player = music_state(ctx).player(int(ctx.guild_id))
    pages = page_count(len(player.queue) if player else 0, PER_PAGE)
    page = clamp_page(page, pages)
    return PageView(page=page, pages=pages, embeds=[format.queue_page(player, page, pages, PER_PAGE)])


queue_pages = PageSource("music", "queue", render)


class QueueCommands(interactions.Extension):
    @interactions.slash_command(
        name="queue",
        description="The music queue",
        sub_cmd_name="show",
        sub_cmd_description="The tracks waiting",
        dm_permission=False,
    )
    @interactions.slash_option("page", "Page to show", opt_type=OptionType.INTEGER, min_value=1, max_value=100)
    async def show(self, ctx: SlashContext, page: int = 1) -> None:
        await settings_here(ctx)
        await queue_pages.send(ctx, page=page)

    @show.subcommand(sub_cmd_name="remove", sub_cmd_description="Remove a track from the queue")
    @interactions.slash_option(
        "number", "Its number in /queue show", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=1000
    )
    async def remove(self, ctx: SlashContext, number: int) -> None:
        music = await in_voice(ctx)
        track = await music.state.remove(music.guild_id, number)
        await ctx.send(f"Removed **{track.title}** from the queue.")

    @show.subcommand(sub_cmd_name="move", sub_cmd_description="Move a track in the queue")
    @interactions.slash_option(
        "number", "Its number in /queue show", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=1000
    )
    @interactions.slash_option(
        "to", "Its new number", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=1000
    )
    async def move(self, ctx: SlashContext, number: int, to: int) -> None:
        music = await in_voice(ctx)
        track = await music.state.move(music.guild_id, number, to)
        await ctx.send(f"Moved **{track.title}** to position {to}.")

    @show.subcommand(sub_cmd_name="clear", sub_cmd_description="Empty the queue")
    async def clear(self, ctx: SlashContext) -> None:
        music = await in_voice(ctx)
        count = await music.state.clear(music.guild_id)
        await ctx.send(f"Cleared {count} tracks from the queue.")
