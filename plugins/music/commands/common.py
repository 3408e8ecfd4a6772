"""Checks every music command shares: the member's voice channel against the bot's, the bot's
Connect and Speak permissions there, the channel's music switch and DJ-only mode."""

from __future__ import annotations

from dataclasses import dataclass

import interactions
from interactions import SlashContext

from guildkit.core.errors import UserError

from ..effects import listening_members
from ..errors import BotLacksVoicePermission, DifferentChannel, DjOnly, MusicDisabledHere, NotInVoice
from ..settings import MusicSettings
from ..state import MusicState


@dataclass(frozen=True)
class MusicContext:
    state: MusicState
    guild_id: int
    channel_id: int  # the member's (and so the bot's) voice channel
    settings: MusicSettings
    is_dj: bool


def music_state(ctx: SlashContext) -> MusicState:
    return ctx.client.runtime.state(MusicState)


async def holds_dj(ctx: SlashContext) -> bool:
    runtime = ctx.client.runtime
    return await runtime.permissions.holds(int(ctx.guild_id), ctx.author, ctx.author_permissions, "dj")


async def settings_here(ctx: SlashContext) -> MusicSettings:
    if ctx.guild_id is None:
        raise UserError("Music works in a server, not in DMs.")
    return await ctx.client.runtime.settings.get(int(ctx.guild_id), "music", int(ctx.channel_id))


async def in_voice(ctx: SlashContext, *, joining: bool = False, control: bool = True) -> MusicContext:
    """The member must be in voice, in the bot's channel if it has one; ``joining`` checks the
    bot may Connect and Speak there; ``control`` applies DJ-only mode."""
    settings = await settings_here(ctx)
    guild_id = int(ctx.guild_id)
    if not settings.music_enabled:
        raise MusicDisabledHere(int(ctx.channel_id))
    state = music_state(ctx)
    voice = ctx.author.voice
    if voice is None or voice.channel is None:
        raise NotInVoice()
    channel = voice.channel
    player = state.player(guild_id)
    if player is not None and player.channel_id and int(player.channel_id) != int(channel.id):
        raise DifferentChannel(int(player.channel_id))
    if joining and (player is None or not player.channel_id):
        allowed = channel.permissions_for(ctx.guild.me)
        for flag, name in ((interactions.Permissions.CONNECT, "Connect"), (interactions.Permissions.SPEAK, "Speak")):
            if not allowed & flag:
                raise BotLacksVoicePermission(int(channel.id), name)
    is_dj = await holds_dj(ctx)
    if control and settings.dj_only and not is_dj:
        raise DjOnly()
    return MusicContext(state, guild_id, int(channel.id), settings, is_dj)


def listeners(ctx: SlashContext, channel_id: int) -> set[int]:
    """Members who hear the music in ``channel_id`` (not bots, not deafened)."""
    return listening_members(ctx.client.runtime, int(ctx.guild_id), channel_id)
