"""Play history (seed 000): recording plays, a member's or guild's history, stats and analytics."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tortoise.functions import Count, Sum

from guildkit.core import clock
from guildkit.core.upsert import upsert

from ..models import COMPLETED, MusicDailyListener, MusicDailyStats, MusicDailyTrack, MusicPlay

#: Tracks /music top lists.
TOP_TRACKS = 10


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
        played_hour=play.played_at.astimezone(UTC).hour,
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
    # Tuples, not model instances: half the time of a 50-row page.
    rows = (
        await query.order_by("-played_at", "-id")
        .limit(limit)
        .values_list("title", "artist", "user_id", "played_at", "outcome", "ended_by", "end_reason")
    )
    return [PlayView(*row) for row in rows]


async def user_stats(guild_id: int, user_id: int) -> UserStats:
    """One grouped query (per artist and completed) answers every figure."""
    rows = (
        await MusicPlay.filter(guild_id=guild_id, user_id=user_id)
        .annotate(plays=Count("id"), duration=Sum("duration_ms"))
        .group_by("artist", "completed")
        .values_list("artist", "completed", "plays", "duration")
    )
    by_artist: dict[str, int] = defaultdict(int)
    total = completed = duration = 0
    for artist, was_completed, plays, length in rows:
        by_artist[artist] += int(plays)
        total += int(plays)
        completed += int(plays) if was_completed else 0
        duration += int(length or 0)
    top = sorted(by_artist.items(), key=lambda item: (-item[1], item[0]))[:5]
    return UserStats(total, completed, duration, top)


async def guild_analytics(guild_id: int, days: int) -> GuildAnalytics:
    """Plays over the last ``days``: recent history rows plus the daily rollups of days whose
    rows retention already folded away (the two never overlap: a row is rolled up and deleted
    in one transaction). Without rollups in the range everything is counted in SQL."""
    since = clock.now() - timedelta(days=days)
    first_day = since.date()
    recent = MusicPlay.filter(guild_id=guild_id, played_at__gte=since)
    rollups = await MusicDailyStats.filter(guild_id=guild_id, day__gte=first_day).values_list(
        "total_tracks", "plays_by_hour"
    )
    hours = [0] * 24
    for hour, plays in (
        await recent.annotate(plays=Count("id")).group_by("played_hour").values_list("played_hour", "plays")
    ):
        hours[int(hour)] += int(plays)
    total = sum(hours)
    if not rollups:
        counted = await recent.annotate(users=Count("user_id", distinct=True)).values("users")
        users = int(counted[0]["users"] or 0) if counted else 0
        top = [
            (title, artist, int(plays))
            for title, artist, plays in await recent.annotate(plays=Count("id"))
            .group_by("title", "artist")
            .order_by("-plays", "title")
            .limit(TOP_TRACKS)
            .values_list("title", "artist", "plays")
        ]
        return GuildAnalytics(days, total, users, top, _peaks(hours))

    for tracks_that_day, by_hour in rollups:
        total += int(tracks_that_day)
        for hour, plays in enumerate(json.loads(by_hour or "[]")[:24]):
            hours[hour] += int(plays)
    listeners = set(await recent.distinct().values_list("user_id", flat=True))
    listeners.update(
        await MusicDailyListener.filter(guild_id=guild_id, day__gte=first_day)
        .distinct()
        .values_list("user_id", flat=True)
    )
    tracks: dict[tuple[str, str], int] = defaultdict(int)
    for title, artist, plays in (
        await recent.annotate(plays=Count("id")).group_by("title", "artist").values_list("title", "artist", "plays")
    ):
        tracks[(title, artist)] += int(plays)
    for title, artist, plays in (
        await MusicDailyTrack.filter(guild_id=guild_id, day__gte=first_day)
        .annotate(total=Sum("plays"))
        .group_by("title", "artist")
        .values_list("title", "artist", "total")
    ):
        tracks[(title, artist)] += int(plays)
    top = sorted(tracks.items(), key=lambda item: (-item[1], item[0]))[:TOP_TRACKS]
    return GuildAnalytics(days, total, len(listeners), [(t, a, n) for (t, a), n in top], _peaks(hours))


def _peaks(hours: list[int]) -> list[tuple[int, int]]:
    return sorted(((h, n) for h, n in enumerate(hours) if n), key=lambda item: (-item[1], item[0]))[:3]


async def roll_up(rows: Sequence[MusicPlay]) -> None:
    """Retention's aggregate step, inside its transaction: fold expired history rows into the
    daily rollups per guild and UTC day (totals, listeners, tracks, plays by hour)."""
    days: dict[tuple[int, date], list[MusicPlay]] = defaultdict(list)
    for row in rows:
        days[(row.guild_id, row.played_at.astimezone(UTC).date())].append(row)
    for (guild_id, day), plays in days.items():
        listeners: dict[int, int] = defaultdict(int)
        tracks: dict[tuple[str, str], int] = defaultdict(int)
        for play in plays:
            listeners[play.user_id] += 1
            tracks[(play.title, play.artist)] += 1
        for user_id, count in listeners.items():
            await upsert(
                MusicDailyListener,
                conflict=("guild_id", "day", "user_id"),
                values={"guild_id": guild_id, "day": day, "user_id": user_id},
                update=[],
                increment={"plays": count},
            )
        for (title, artist), count in tracks.items():
            await upsert(
                MusicDailyTrack,
                conflict=("guild_id", "day", "title", "artist"),
                values={"guild_id": guild_id, "day": day, "title": title, "artist": artist},
                update=[],
                increment={"plays": count},
            )
        stats = await MusicDailyStats.get_or_none(guild_id=guild_id, day=day)
        if stats is None:
            stats = MusicDailyStats(guild_id=guild_id, day=day, plays_by_hour=json.dumps([0] * 24))
        by_hour = json.loads(stats.plays_by_hour or "[]") or [0] * 24
        for play in plays:
            by_hour[play.played_hour] += 1
        stats.total_tracks += len(plays)
        stats.completed_tracks += sum(1 for p in plays if p.completed)
        stats.total_duration_ms += sum(p.listened_ms for p in plays)
        stats.unique_users = await MusicDailyListener.filter(guild_id=guild_id, day=day).count()
        stats.plays_by_hour = json.dumps(by_hour)
        await stats.save()
