"""History, stats, top tracks, favorites, preferences, retention rollups and privacy."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from guildkit.core.privacy import find_user_data
from guildkit.core.testing.harness import eventually
from guildkit.core.testing.lavalink import PLAYLIST_URL, TRACK_URL, LavalinkNodeEmulator
from guildkit.plugins.music.models import (
    MusicDailyListener,
    MusicDailyStats,
    MusicFavorite,
    MusicPlay,
    MusicPreference,
)

from .conftest import now_on_node, plays


async def _rows(guild_id: int, count: int) -> Any:
    rows = await plays(guild_id)
    return rows if len(rows) >= count else None


async def _is(value: Any, expected: Any) -> bool:
    return (await value) == expected


async def test_history_stats_and_top_from_real_plays(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice, bob = await music_guild.member("alice"), await music_guild.member("bob")
    await alice.join_voice("Lounge")
    await bob.join_voice("Lounge")
    await alice.slash("play", query=TRACK_URL + "hit-song")
    await bob.slash("play", query=TRACK_URL + "hit-song")
    await bob.slash("play", query=TRACK_URL + "b-side")
    gk.clock.advance(minutes=5)  # hit-song (at most 5 minutes) finishes
    await eventually(lambda: _rows(music_guild.id, 1))
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "hit-song"))
    await bob.slash("skip")  # his own: at once
    await eventually(lambda: _rows(music_guild.id, 2))

    listing = (await alice.slash("music history")).embeds[0]["description"].splitlines()
    assert len(listing) == 2
    assert listing[0].startswith(f"**Hit Song** by Artist Hit · <@{bob.id}> · <t:")
    assert listing[0].endswith(f"skipped by <@{bob.id}> (requester)")
    assert listing[1].startswith(f"**Hit Song** by Artist Hit · <@{alice.id}>") and listing[1].endswith("· played")
    only_alice = (await alice.slash("music history", member=alice, limit=5)).embeds[0]["description"]
    assert len(only_alice.splitlines()) == 1

    stats = (await alice.slash("music stats", member=bob)).embeds[0]
    values = {field["name"]: field["value"] for field in stats["fields"]}
    assert values["Tracks asked for"] == "1" and values["Played to the end"] == "0"
    assert values["Top artists"] == "Artist Hit · 1"

    top = (await alice.slash("music top", days=7)).embeds[0]
    assert top["description"].splitlines()[0] == "`1.` **Hit Song** by Artist Hit · 2 plays"
    assert {f["name"]: f["value"] for f in top["fields"]}["Listeners"] == "2"


async def test_favorites_add_list_play_and_remove(music_guild: Any, lavalink_node: LavalinkNodeEmulator) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query=TRACK_URL + "keeper")
    assert (await alice.slash("favorites add")).content == "⭐ Added **Keeper** to your favorites."
    assert (await alice.slash("favorites add")).content == "Keeper is already in your favorites."
    listed = await alice.slash("favorites list")
    assert listed.ephemeral and listed.embeds[0]["description"] == "`1.` **Keeper** by Artist Keeper"
    assert (await alice.slash("favorites play", number=1)).content == "Queued **Keeper** at position 1."
    assert (await alice.slash("favorites remove", number=1)).content == "Removed **Keeper** from your favorites."
    assert (await alice.slash("favorites remove", number=1)).content == "You have no favorite number 1."
    assert not await MusicFavorite.filter(user_id=alice.id).exists()


async def test_preferences_apply_when_the_member_starts_playback(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator
) -> None:
    alice = await music_guild.member("alice")
    saved = await alice.slash("musicprefs", volume=40, eq="vocal")
    assert saved.content == "Your music preferences here: volume **40**, equalizer **vocal**."
    assert (await alice.slash("musicprefs")).content == saved.content
    await alice.join_voice("Lounge")
    await alice.slash("play", query="my way")
    remote = lavalink_node.live_player(music_guild.id)
    assert remote is not None and remote.volume == 40
    assert remote.filters["equalizer"][0]["gain"] == -0.1  # vocal
    now = await alice.slash("nowplaying")
    assert "eq vocal" in now.embeds[0]["fields"][1]["value"]


async def test_retention_folds_old_history_into_daily_rollups_that_analytics_still_read(
    music_guild: Any, gk: Any
) -> None:
    from guildkit.plugins.music.service import history
    from guildkit.plugins.music.service.history import PlayRecord

    now = gk.clock.now()
    old = now - timedelta(days=100)
    for n, user in enumerate((1, 2, 1)):
        await history.record_play(
            PlayRecord(
                music_guild.id, user, "Old Hit", "Band", 180_000, "youtube", None, old + timedelta(minutes=n), 180_000
            )
        )
    await history.record_play(PlayRecord(music_guild.id, 3, "New One", "Band", 120_000, "youtube", None, now, 60_000))
    before = await history.guild_analytics(music_guild.id, 365)

    await gk.bot.retention.run()
    assert await MusicPlay.filter(guild_id=music_guild.id).count() == 1
    rollup = await MusicDailyStats.get(guild_id=music_guild.id)
    assert (rollup.day, rollup.total_tracks, rollup.unique_users) == (old.date(), 3, 2)
    assert rollup.total_duration_ms == 3 * 180_000
    after = await history.guild_analytics(music_guild.id, 365)
    assert after == before
    assert (after.total_plays, after.unique_users, after.top_tracks[0]) == (4, 3, ("Old Hit", "Band", 3))
    week = await history.guild_analytics(music_guild.id, 7)
    assert (week.total_plays, week.unique_users) == (1, 1)
    await gk.bot.retention.run()  # nothing left to fold: the rollup does not double
    assert (await MusicDailyStats.get(guild_id=music_guild.id)).total_tracks == 3


async def test_privacy_export_and_delete_cover_history_favorites_and_preferences(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    from guildkit.plugins.music.service import history
    from guildkit.plugins.music.service.history import PlayRecord

    alice = await music_guild.member("alice")
    await alice.slash("musicprefs", volume=70)
    await alice.join_voice("Lounge")
    await alice.slash("play", query=PLAYLIST_URL + "mine?n=2")
    await alice.slash("favorites add")
    await alice.slash("skip")
    await eventually(lambda: _rows(music_guild.id, 1))
    old = gk.clock.now() - timedelta(days=100)
    await history.record_play(PlayRecord(music_guild.id, alice.id, "Old", "Band", 1000, "youtube", None, old, 1000))
    await gk.bot.retention.run()

    exported = json.loads((await alice.slash("privacy export")).attachments[0].data)["plugins"]["music"]
    assert [p["title"] for p in exported["plays"]] == ["Mine 1"]
    assert exported["favorites"][0]["title"] == "Mine 1"
    assert exported["preferences"][0]["volume"] == 70
    prompt = await alice.slash("privacy delete")
    await prompt.click("Delete my data")
    assert not await MusicPlay.filter(user_id=alice.id).exists()
    assert not await MusicFavorite.filter(user_id=alice.id).exists()
    assert not await MusicPreference.filter(user_id=alice.id).exists()
    assert not await MusicDailyListener.filter(user_id=alice.id).exists()
    assert [item for item in await find_user_data(alice.id) if item.app == "music"] == []
