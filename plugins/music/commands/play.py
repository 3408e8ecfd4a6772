"""/play query: a URL, a playlist or a search, with suggestions from the node's search."""

import interactions
from interactions import AutocompleteContext, OptionType, SlashContext

from ..errors import MusicUnavailable
from . import format
from .common import in_voice, music_state

#: Discord's limits for autocomplete choices.
MAX_CHOICES, CHOICE_LENGTH = 25, 100


class PlayCommands(interactions.Extension):
    @interactions.slash_command(
        name="play", description="Play a track or playlist (URL or search)", dm_permission=False
    )
    @interactions.slash_option(
        "query",
        "A URL or what to search for",
        opt_type=OptionType.STRING,
        required=True,
        autocomplete=True,
        max_length=500,
    )
    async def play(self, ctx: SlashContext, query: str) -> None:
        music = await in_voice(ctx, joining=True)
        await ctx.defer()
        tracks, playlist = await music.state.load(query.strip())
        player = await music.state.join(music.guild_id, music.channel_id)
        added = await music.state.add(
            music.guild_id,
            player,
            tracks,
            int(ctx.author.id),
            music.settings,
            text_channel_id=int(ctx.channel_id),
            playlist=playlist,
        )
        await ctx.send(format.added(added.titles, added.playlist, added.started, added.position))

    @play.autocomplete("query")
    async def suggest(self, ctx: AutocompleteContext) -> None:
        text = (ctx.input_text or "").strip()
        if len(text) < 2 or text.startswith(("http://", "https://")):
            await ctx.send([])
            return
        try:
            result = await music_state(ctx).search(text)
        except MusicUnavailable:
            await ctx.send([])
            return
        choices = []
        for track in result.tracks[:MAX_CHOICES]:
            if len(track.uri or "") > CHOICE_LENGTH:
                continue
            label = f"{track.title} · {track.author} ({format.clock_time(track.duration)})"
            choices.append({"name": label[:CHOICE_LENGTH], "value": track.uri})
        await ctx.send(choices)
