"""Every piece of music text members see: tracks, positions, queues, history, stats and errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import interactions
import lavalink

from .. import errors
from ..models import COMPLETED
from ..service.favorites import Favorite
from ..service.history import GuildAnalytics, PlayView, UserStats
from ..service.preferences import Preferences

BAR_WIDTH = 20
LOOP_NAMES = {0: "off", 1: "track", 2: "queue"}


def clock_time(ms: int) -> str:
    seconds = max(ms, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def track(track: lavalink.AudioTrack) -> str:
    length = "live" if track.stream else clock_time(track.duration)
    return f"**{track.title}** by {track.author} ({length})"


def mention(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id else "the bot"


def timestamp(moment: datetime, style: str = "R") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def now_playing_line(current: lavalink.AudioTrack) -> str:
    return f"🎶 Now playing {track(current)}, asked for by {mention(int(current.requester or 0))}."


def track_failed(failed: lavalink.AudioTrack, message: str | None, *, stuck: bool) -> str:
    why = "got stuck" if stuck else f"failed ({message or 'unknown error'})"
    return f"⚠️ {track(failed)} {why}; skipping it."


def position_bar(position: int, length: int) -> str:
    filled = 0 if length <= 0 else min(BAR_WIDTH, position * BAR_WIDTH // length)
    return "▬" * filled + "🔘" + "▬" * (BAR_WIDTH - filled)


def now_playing(
    player: lavalink.DefaultPlayer, current: lavalink.AudioTrack, position: int, eq_preset: str
) -> interactions.Embed:
    embed = interactions.Embed(title="Now playing", description=track(current), color=0x1DB954)
    embed.add_field(
        "Position",
        f"{position_bar(position, current.duration)}\n`{clock_time(position)} / {clock_time(current.duration)}`",
    )
    state = "paused" if player.paused else "playing"
    embed.add_field("State", f"{state} · volume {player.volume} · loop {LOOP_NAMES[player.loop]} · eq {eq_preset}")
    embed.add_field("Asked for by", mention(int(current.requester or 0)), inline=True)
    embed.add_field("Up next", f"{len(player.queue)} track(s)", inline=True)
    return embed


def added(titles: list[str], playlist: str | None, started: bool, position: int) -> str:
    if playlist:
        where = "playing the first now" if started else f"from position {position}"
        return f"Added {len(titles)} tracks from the playlist **{playlist}**, {where}."
    if started:
        return f"▶️ Playing **{titles[0]}**."
    return f"Queued **{titles[0]}** at position {position}."


def queue_page(player: lavalink.DefaultPlayer | None, page: int, pages: int, per_page: int) -> interactions.Embed:
    embed = interactions.Embed(title="Queue", color=0x1DB954)
    if player is None or (player.current is None and not player.queue):
        embed.description = "The queue is empty."
        return embed
    lines = []
    if player.current is not None:
        lines.append(f"Now: {track(player.current)}")
    start = (page - 1) * per_page
    for number, queued in enumerate(player.queue[start : start + per_page], start=start + 1):
        lines.append(f"`{number}.` {track(queued)} · {mention(int(queued.requester or 0))}")
    total = sum(t.duration for t in player.queue if not t.stream)
    embed.description = "\n".join(lines)
    embed.set_footer(f"{len(player.queue)} waiting · {clock_time(total)} · page {page}/{pages}")
    return embed


OUTCOME_WORDS = {
    "completed": "played",
    "skipped": "skipped",
    "stopped": "stopped",
    "failed": "failed",
    "stuck": "stuck",
}


def history(rows: list[PlayView]) -> interactions.Embed:
    embed = interactions.Embed(title="Recently played", color=0x1DB954)
    if not rows:
        embed.description = "Nothing has been played here yet."
        return embed
    lines = []
    for row in rows:
        outcome = OUTCOME_WORDS.get(row.outcome, row.outcome)
        if row.outcome != COMPLETED and row.ended_by:
            outcome += f" by {mention(row.ended_by)}"
        if row.end_reason and row.outcome != COMPLETED:
            outcome += f" ({row.end_reason})"
        lines.append(
            f"**{row.title}** by {row.artist} · {mention(row.user_id)} · {timestamp(row.played_at)} · {outcome}"
        )
    embed.description = "\n".join(lines)
    return embed


def user_stats(user_id: int, stats: UserStats) -> interactions.Embed:
    embed = interactions.Embed(title="Music stats", description=f"For {mention(user_id)}", color=0x1DB954)
    embed.add_field("Tracks asked for", str(stats.total_plays), inline=True)
    embed.add_field("Played to the end", str(stats.completed), inline=True)
    embed.add_field("Total length", clock_time(stats.total_duration_ms), inline=True)
    top = "\n".join(f"{artist} · {count}" for artist, count in stats.top_artists) or "none yet"
    embed.add_field("Top artists", top)
    return embed


def top(analytics: GuildAnalytics) -> interactions.Embed:
    embed = interactions.Embed(title=f"Top tracks, last {analytics.days} days", color=0x1DB954)
    lines = [
        f"`{n}.` **{title}** by {artist} · {plays} play{'' if plays == 1 else 's'}"
        for n, (title, artist, plays) in enumerate(analytics.top_tracks, 1)
    ]
    embed.description = "\n".join(lines) or "Nothing has been played in that time."
    embed.add_field("Plays", str(analytics.total_plays), inline=True)
    embed.add_field("Listeners", str(analytics.unique_users), inline=True)
    peaks = ", ".join(f"{hour:02}:00 UTC ({plays})" for hour, plays in analytics.peak_hours) or "none"
    embed.add_field("Busiest hours", peaks, inline=True)
    return embed


def favorites(rows: list[Favorite]) -> interactions.Embed:
    embed = interactions.Embed(title="Your favorites", color=0x1DB954)
    embed.description = "\n".join(f"`{f.number}.` **{f.title}** by {f.artist}" for f in rows) or (
        "No favorites yet: `/favorites add` while a track plays."
    )
    return embed


def preferences(prefs: Preferences) -> str:
    volume = str(prefs.volume) if prefs.volume is not None else "server default"
    return f"Your music preferences here: volume **{volume}**, equalizer **{prefs.eq_preset or 'flat'}**."


def left_idle(voice_channel_id: int, *, alone: bool) -> str:
    why = "nobody was listening" if alone else "nothing was playing"
    return f"👋 Left <#{voice_channel_id}>: {why}."


def vote(votes: int, needed: int, skipped: bool, title: str) -> str:
    if skipped:
        return f"⏭️ Skipped **{title}** ({votes}/{needed} votes)."
    return f"Voted to skip **{title}**: {votes}/{needed} votes."


async def describe_error(ctx: Any, error: Exception) -> str | None:
    if isinstance(error, errors.DifferentChannel):
        return f"I am playing in <#{error.bot_channel_id}>; join that channel to control the music."
    if isinstance(error, errors.BotLacksVoicePermission):
        return f"I lack the **{error.permission}** permission in <#{error.channel_id}>."
    if isinstance(error, errors.JoinFailed):
        return f"Discord did not let me join <#{error.channel_id}>; try again."
    if isinstance(error, errors.NothingFound):
        return f"Nothing found for `{error.query[:100]}`."
    if isinstance(error, errors.LoadFailed):
        return f"Could not load `{error.query[:100]}`: {error.message}"
    if isinstance(error, errors.TrackTooLong):
        return f"**{error.title}** is longer than {error.limit_minutes} minutes, the limit here."
    if isinstance(error, errors.DuplicateTrack):
        return f"**{error.title}** is already in the queue."
    if isinstance(error, errors.MusicDisabledHere):
        return f"Music is turned off in <#{error.channel_id}>."
    if isinstance(error, errors.DjOnly):
        return "Only DJs control the music here (DJ-only mode is on)."
    return None
