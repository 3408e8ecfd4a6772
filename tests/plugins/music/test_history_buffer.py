"""Plays are written behind (batched), yet every reader sees them; analytics count from the
per-day counters the same figures the plays give, over whole UTC days."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, timedelta
from typing import Any

import pytest

from guildkit.core.testing.harness import eventually
from guildkit.core.testing.lavalink import TRACK_URL, LavalinkNodeEmulator
from guildkit.plugins.music.models import MusicGuildListener, MusicPlay
from guildkit.plugins.music.service import history
from guildkit.plugins.music.service.history import HistoryWriter, PlayRecord
from guildkit.plugins.music.state import MusicState

from .conftest import node_config, now_on_node


@pytest.fixture
def gk_config(lavalink_node: LavalinkNodeEmulator) -> dict[str, Any]:
    config = node_config(lavalink_node)
    # No timed flush during the test: only reads (and stopping) write the buffer.
    config["plugins"]["music"]["config"]["history_flush_seconds"] = 60
    return config


async def _is(value: Any, expected: Any) -> bool:
    return (await value) == expected


async def test_a_play_waits_in_the_buffer_until_something_reads_history(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query=TRACK_URL + "first-light")
    await alice.slash("play", query=TRACK_URL + "second-wind")
    await alice.slash("skip")
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "second-wind"))
    state = gk.bot.state(MusicState)
    await eventually(lambda: _is(_pending(state), 1))
    assert not await MusicPlay.filter(guild_id=music_guild.id).exists()  # not written yet

    listing = (await alice.slash("music history")).embeds[0]["description"]
    assert listing.startswith("**First Light**") and listing.endswith(f"skipped by <@{alice.id}> (requester)")
    assert await MusicPlay.filter(guild_id=music_guild.id).count() == 1
    top = (await alice.slash("music top")).embeds[0]
    assert top["description"].splitlines()[0] == "`1.` **First Light** by Artist First · 1 play"


async def _pending(state: MusicState) -> int:
    return len(state.history_writer.pending)


async def test_privacy_delete_drops_the_member_s_buffered_plays(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query=TRACK_URL + "secret-song")
    await alice.slash("play", query=TRACK_URL + "next-song")
    await alice.slash("skip")
    state = gk.bot.state(MusicState)
    await eventually(lambda: _is(_pending(state), 1))
    prompt = await alice.slash("privacy delete")
    await prompt.click("Delete my data")
    await state.flush_history()
    assert not await MusicPlay.filter(user_id=alice.id).exists()
    assert not await MusicGuildListener.filter(user_id=alice.id).exists()


async def test_analytics_count_whole_utc_days_and_keep_anonymous_counts_after_privacy_delete(
    music_guild: Any, gk: Any
) -> None:
    now = gk.clock.now()
    guild = music_guild.id
    for user, title, days_ago in ((1, "Alpha", 3), (2, "Beta", 1), (1, "Beta", 0), (3, "Gamma", 0)):
        at = now - timedelta(days=days_ago)
        await history.record_play(PlayRecord(guild, user, title, "Band", 60_000, "youtube", None, at, 60_000))

    two_days = await history.guild_analytics(guild, 2)
    assert (two_days.total_plays, two_days.unique_users) == (3, 3)
    assert two_days.top_tracks == [("Beta", "Band", 2), ("Gamma", "Band", 1)]
    week = await history.guild_analytics(guild, 7)
    assert (week.total_plays, week.unique_users) == (4, 3)
    assert week.top_tracks == [("Beta", "Band", 2), ("Alpha", "Band", 1), ("Gamma", "Band", 1)]
    assert week.peak_hours == [(now.astimezone(UTC).hour, 4)]

    # The member's rows go; the anonymous per-day counts stay.
    await gk.bot.hooks.call_each("user_data_delete", runtime=gk.bot, user_id=1)
    after = await history.guild_analytics(guild, 7)
    assert (after.total_plays, after.unique_users) == (4, 2)
    assert [row.user_id for row in await history.history(guild, limit=10)] == [3, 2]


async def test_top_tracks_from_the_leading_tracks_match_counting_every_play(music_guild: Any, gk: Any) -> None:
    """More tracks than the candidates analytics count first, hits and one-offs, over 30 days:
    every range gives what counting the plays themselves gives (both the short path and the
    fall-back to all of the range's tracks are taken)."""
    rng = random.Random(14)
    now = gk.clock.now()
    guild = music_guild.id
    catalog = [(f"Hit {n}", "Stars") for n in range(12)] + [(f"Rare {n}", "Crowd") for n in range(80)]
    records = []
    for _ in range(600):
        title, artist = catalog[min(int(rng.paretovariate(1.0)) - 1, 11)] if rng.random() < 0.6 else rng.choice(catalog)
        at = now - timedelta(days=rng.randrange(30), minutes=rng.randrange(600))
        records.append(PlayRecord(guild, rng.randrange(1, 40), title, artist, 1000, "youtube", None, at, 1000))
    writer = HistoryWriter(batch=100)
    for record in records:
        await writer.add(record)
    await writer.flush()

    for days in (0, 1, 3, 7, 30):
        first_day = (now - timedelta(days=days)).astimezone(UTC).date()
        in_range = [r for r in records if r.played_at.astimezone(UTC).date() >= first_day]
        counts = Counter((r.title, r.artist) for r in in_range)
        expected = sorted(((t, a, n) for (t, a), n in counts.items()), key=lambda x: (-x[2], x[0], x[1]))[:10]
        got = await history.guild_analytics(guild, days)
        assert got.top_tracks == expected, days
        assert got.total_plays == len(in_range)
        assert got.unique_users == len({r.user_id for r in in_range})
