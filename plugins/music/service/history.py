"""Play history (seed 000): recording plays, a member's or guild's history, stats and analytics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.functions import Count, Sum

from guildkit.core import clock

from ..models import COMPLETED, MusicDailyStats, MusicPlay


@dataclass(frozen=True)
class PlayRecord:
    guild_id: int
    user_id: int
    title: str
    artist: str
    duration_ms: int
    source: str
    uri: str | None
    played_at: datetime
    listened_ms: int
    outcome: str = COMPLETED
    ended_by: int | None = None
    end_reason: str | None = None
    album: str | None = None


@dataclass(frozen=True)
class PlayView:
    title: str
    artist: str
    user_id: int
    played_at: datetime
    outcome: str
    ended_by: int | None
    end_reason: str | None


@dataclass(frozen=True)
class UserStats:
    total_plays: int
    completed: int
    total_duration_ms: int
    top_artists: list[tuple[str, int]]


@dataclass(frozen=True)
class GuildAnalytics:
    days: int
    total_plays: int
    unique_users: int
    top_tracks: list[tuple[str, str, int]]
    peak_hours: list[tuple[int, int]]


async def record_play(play: PlayRecord) -> None:
    await MusicPlay.create(
        guild_id=play.guild_id,
        user_id=play.user_id,
        title=play.title[:200],
        artist=play.artist[:200],
        album=play.album,
        duration_ms=play.duration_ms,
        source=play.source[:32],
        uri=(play.uri or "")[:500] or None,
        played_at=play.played_at,
        listened_ms=play.listened_ms,
        completed=play.outcome == COMPLETED,
        outcome=play.outcome,
        ended_by=play.ended_by,
        end_reason=(play.end_reason or "")[:200] or None,
    )


async def history(guild_id: int, *, user_id: int | None = None, limit: int = 10) -> list[PlayView]:
    query = MusicPlay.filter(guild_id=guild_id)
    if user_id is not None:
        query = query.filter(user_id=user_id)
    rows = await query.order_by("-played_at", "-id").limit(limit)
    return [PlayView(r.title, r.artist, r.user_id, r.played_at, r.outcome, r.ended_by, r.end_reason) for r in rows]


async def user_stats(guild_id: int, user_id: int) -> UserStats:
    query = MusicPlay.filter(guild_id=guild_id, user_id=user_id)
    totals = (
        await query.annotate(plays=Count("id"), duration=Sum("duration_ms"))
        .group_by("user_id")
        .values("plays", "duration")
    )
    completed = await query.filter(completed=True).count()
    artists = (
        await query.annotate(plays=Count("id"))
        .group_by("artist")
        .order_by("-plays", "artist")
        .limit(5)
        .values_list("artist", "plays")
    )
    plays = totals[0]["plays"] if totals else 0
    duration = int(totals[0]["duration"] or 0) if totals else 0
    return UserStats(plays, completed, duration, [(a, int(n)) for a, n in artists])


async def guild_analytics(guild_id: int, days: int) -> GuildAnalytics:
    """Plays over the last ``days``: recent history rows plus the daily rollups of older days."""
    since = clock.now() - timedelta(days=days)
    recent = MusicPlay.filter(guild_id=guild_id, played_at__gte=since)
    total = await recent.count()
    users = len(await recent.distinct().values_list("user_id", flat=True))
    rollups = await MusicDailyStats.filter(guild_id=guild_id, day__gte=since.date()).values_list(
        "total_tracks", "unique_users"
    )
    total += sum(int(t) for t, _ in rollups)
    users = max(users, max((int(u) for _, u in rollups), default=0))
    top = (
        await recent.annotate(plays=Count("id"))
        .group_by("title", "artist")
        .order_by("-plays", "title")
        .limit(10)
        .values_list("title", "artist", "plays")
    )
    hours: dict[int, int] = {}
    for played_at in await recent.values_list("played_at", flat=True):
        hours[played_at.hour] = hours.get(played_at.hour, 0) + 1
    peak = sorted(hours.items(), key=lambda item: (-item[1], item[0]))[:3]
    return GuildAnalytics(days, total, users, [(t, a, int(n)) for t, a, n in top], peak)


async def roll_up(guild_id: int, day: date, rows: list[MusicPlay]) -> None:
    """Fold one day's history rows into the daily rollup (retention's aggregate action)."""
    existing = await MusicDailyStats.get_or_none(guild_id=guild_id, day=day)
    if existing is None:
        existing = MusicDailyStats(guild_id=guild_id, day=day)
    existing.total_tracks += len(rows)
    existing.completed_tracks += sum(1 for r in rows if r.completed)
    existing.total_duration_ms += sum(r.listened_ms for r in rows)
    existing.unique_users = max(existing.unique_users, len({r.user_id for r in rows}))
    await existing.save()
