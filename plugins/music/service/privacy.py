"""/privacy export and delete: history, favorites and preferences."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from tortoise.expressions import F

from ..models import (
    MusicDailyListener,
    MusicDayHours,
    MusicFavorite,
    MusicGuildListener,
    MusicPlay,
    MusicPlayer,
    MusicPreference,
    MusicQueueItem,
)


async def export_user(user_id: int) -> dict[str, Any] | None:
    plays = (
        await MusicPlay.filter(user_id=user_id)
        .order_by("played_at")
        .values("guild_id", "title", "artist", "played_at", "outcome")
    )
    favorites = await MusicFavorite.filter(user_id=user_id).values("guild_id", "title", "artist", "uri", "added_at")
    preferences = await MusicPreference.filter(user_id=user_id).values("guild_id", "volume", "eq_preset")
    last_played = await MusicGuildListener.filter(user_id=user_id).values("guild_id", "last_played_at")
    if not (plays or favorites or preferences or last_played):
        return None
    as_text = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()} for row in plays]
    favorites = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()} for row in favorites]
    last_played = [{"guild_id": row["guild_id"], "at": row["last_played_at"].isoformat()} for row in last_played]
    return {"plays": as_text, "favorites": favorites, "preferences": preferences, "last_played": last_played}


async def delete_user(user_id: int) -> str | None:
    await MusicPlay.filter(user_id=user_id).delete()
    await MusicPlay.filter(ended_by=user_id).update(ended_by=None)
    await MusicFavorite.filter(user_id=user_id).delete()
    await MusicPreference.filter(user_id=user_id).delete()
    await MusicQueueItem.filter(requester_id=user_id).delete()
    await MusicPlayer.filter(current_requester=user_id).update(current_requester=None)
    # Rollups and counters keep anonymous counts per day; the rows that name the member go.
    await MusicDailyListener.filter(user_id=user_id).delete()
    for guild_id, last_played_at in await MusicGuildListener.filter(user_id=user_id).values_list(
        "guild_id", "last_played_at"
    ):  # no longer a distinct listener on the day of their last play
        await MusicDayHours.filter(guild_id=guild_id, day=last_played_at.astimezone(UTC).date()).update(
            last_listeners=F("last_listeners") - 1
        )
    await MusicGuildListener.filter(user_id=user_id).delete()
    return None
