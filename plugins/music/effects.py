"""Discord side effects of the music plugin: announcing tracks and failures in the channel /play
was used in. Mentions are off: an announcement pings nobody."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import interactions
import lavalink

from guildkit.core.ipy import RestGaveUp

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger(__name__)
#: interactions.py exports its errors module at the top level (``interactions.errors``).
HTTPException = interactions.errors.HTTPException


async def _post(runtime: Runtime, channel_id: int, text: str) -> None:
    client = runtime.client
    if client is None:
        return
    try:
        channel = await client.fetch_channel(channel_id)
        if channel is not None:
            await channel.send(text, allowed_mentions=interactions.AllowedMentions.none())
    except (HTTPException, RestGaveUp) as error:  # a deleted channel, lost permission or rate limit
        log.info("music announcement in %s refused: %s", channel_id, error)


async def announce_track(runtime: Runtime, channel_id: int, track: lavalink.AudioTrack) -> None:
    from .commands import format  # the commands import the state, which imports this module

    await _post(runtime, channel_id, format.now_playing_line(track))


async def announce_failure(
    runtime: Runtime, channel_id: int, track: lavalink.AudioTrack, message: str | None, *, stuck: bool
) -> None:
    from .commands import format  # the commands import the state, which imports this module

    await _post(runtime, channel_id, format.track_failed(track, message, stuck=stuck))


def listening_members(runtime: Runtime, guild_id: int, channel_id: int) -> set[int]:
    """Members who hear the music, from the client's cache: in the channel, not bots, not
    deafened (by themselves or a moderator)."""
    client = runtime.client
    guild = client.get_guild(guild_id) if client is not None else None
    channel = guild.get_channel(channel_id) if guild is not None else None
    heard: set[int] = set()
    for member in getattr(channel, "voice_members", None) or []:
        state = member.voice
        if member.bot or state is None or state.self_deaf or state.deaf:
            continue
        heard.add(int(member.id))
    return heard


async def announce_left(runtime: Runtime, channel_id: int, voice_channel_id: int, alone: bool) -> None:
    from .commands import format  # the commands import the state, which imports this module

    await _post(runtime, channel_id, format.left_idle(voice_channel_id, alone=alone))
