"""/favorites add|list|remove|play"""

import interactions
from interactions import OptionType, SlashContext

from ..service import favorites
from . import format
from .common import in_voice, music_state, settings_here

NUMBER = {"opt_type": OptionType.INTEGER, "required": True, "min_value": 1, "max_value": favorites.MAX_FAVORITES}


class FavoritesCommands(interactions.Extension):
    @interactions.slash_command(
        name="favorites",
        description="Your favorite tracks",
        sub_cmd_name="add",
        sub_cmd_description="Add the track playing now to your favorites",
        dm_permission=False,
    )
    async def add(self, ctx: SlashContext) -> None:
        await settings_here(ctx)
        _, current = music_state(ctx).current(int(ctx.guild_id))
        await favorites.add(int(ctx.guild_id), int(ctx.author.id), current.title, current.author, current.uri)
        await ctx.send(f"⭐ Added **{current.title}** to your favorites.", ephemeral=True)

    @add.subcommand(sub_cmd_name="list", sub_cmd_description="Your favorite tracks")
    async def list_favorites(self, ctx: SlashContext) -> None:
        await settings_here(ctx)
        rows = await favorites.listing(int(ctx.guild_id), int(ctx.author.id))
        await ctx.send(embeds=[format.favorites(rows)], ephemeral=True)

    @add.subcommand(sub_cmd_name="remove", sub_cmd_description="Remove a favorite")
    @interactions.slash_option("number", "Its number in /favorites list", **NUMBER)
    async def remove(self, ctx: SlashContext, number: int) -> None:
        await settings_here(ctx)
        removed = await favorites.remove(int(ctx.guild_id), int(ctx.author.id), number)
        await ctx.send(f"Removed **{removed.title}** from your favorites.", ephemeral=True)

    @add.subcommand(sub_cmd_name="play", sub_cmd_description="Queue one of your favorites")
    @interactions.slash_option("number", "Its number in /favorites list", **NUMBER)
    async def play(self, ctx: SlashContext, number: int) -> None:
        music = await in_voice(ctx, joining=True)
        favorite = await favorites.get(music.guild_id, int(ctx.author.id), number)
        await ctx.defer()
        tracks, _ = await music.state.load(favorite.uri or f"{favorite.title} {favorite.artist}")
        player = await music.state.join(music.guild_id, music.channel_id)
        added = await music.state.add(
            music.guild_id, player, tracks[:1], int(ctx.author.id), music.settings, text_channel_id=int(ctx.channel_id)
        )
        await ctx.send(format.added(added.titles, None, added.started, added.position))
