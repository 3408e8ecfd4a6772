"""/skip: the requester skips their own track at once, DJs force-skip, others vote."""

import interactions
from interactions import SlashContext

from ..service.presets import votes_needed
from . import format
from .common import in_voice, listeners


class SkipCommands(interactions.Extension):
    @interactions.slash_command(name="skip", description="Skip the track (or vote to)", dm_permission=False)
    async def skip(self, ctx: SlashContext) -> None:
        music = await in_voice(ctx, control=False)
        _, current = music.state.current(music.guild_id)
        member_id = int(ctx.author.id)
        if int(current.requester or 0) == member_id or music.is_dj:
            why = "requester" if int(current.requester or 0) == member_id else "dj"
            track = await music.state.skip(music.guild_id, member_id, why)
            await ctx.send(f"⏭️ Skipped **{track.title}**.")
            return
        heard = listeners(ctx, music.channel_id)
        needed = votes_needed(len(heard), music.settings.vote_skip_share)
        result = await music.state.vote_skip(music.guild_id, member_id, heard, needed)
        await ctx.send(format.vote(result.votes, result.needed, result.skipped, current.title))
