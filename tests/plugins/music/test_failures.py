"""Tracks that fail or get stuck are skipped and said so; a node going away moves its players to
the other node at their position; with no node left, music is unavailable."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from guildkit.core.testing.harness import eventually
from guildkit.core.testing.lavalink import PLAYLIST_URL, LavalinkNodeEmulator

from .conftest import node_config, now_on_node, plays, posts


async def _rows(guild_id: int, count: int) -> Any:
    rows = await plays(guild_id)
    return rows if len(rows) >= count else None


async def test_a_failing_track_is_skipped_and_said_so(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    lavalink_node.faults.playback_failures.add("broken-2")
    await alice.slash("play", query=PLAYLIST_URL + "broken?n=3")
    await alice.slash("skip")  # to the broken one, which fails at once; the next one plays
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "broken-3"))
    rows = await eventually(lambda: _rows(music_guild.id, 2))
    assert [(r.title, r.outcome, r.end_reason) for r in rows] == [
        ("Broken 1", "skipped", "requester"),
        ("Broken 2", "failed", "This track could not be loaded."),
    ]
    said = await eventually(lambda: _find(posts(music_guild), "⚠️"))
    assert said.startswith("⚠️ **Broken 2** by Artist Broken (")
    assert said.endswith("failed (This track could not be loaded.); skipping it.")


async def test_a_stuck_track_is_skipped_and_said_so(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    lavalink_node.faults.stuck.add("frozen-1")
    await alice.slash("play", query=PLAYLIST_URL + "frozen?n=2")
    gk.clock.advance(seconds=11)  # Lavalink's stuck threshold is 10 s
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "frozen-2"))
    rows = await eventually(lambda: _rows(music_guild.id, 1))
    assert [(r.title, r.outcome, r.end_reason) for r in rows] == [("Frozen 1", "stuck", "stuck for 10 s")]
    said = await eventually(lambda: _find(posts(music_guild), "⚠️"))
    assert said.endswith("got stuck; skipping it.")


async def _is(value: Any, expected: Any) -> bool:
    return (await value) == expected


async def _find(texts: list[str], prefix: str) -> str | None:
    return next((t for t in texts if t.startswith(prefix)), None)


@pytest_asyncio.fixture
async def second_node(gk_clock: Any) -> AsyncIterator[LavalinkNodeEmulator]:
    node = await LavalinkNodeEmulator(name="backup").start()
    yield node
    await node.stop()


@pytest.fixture
def gk_config(lavalink_node: LavalinkNodeEmulator, second_node: LavalinkNodeEmulator) -> dict[str, Any]:
    return node_config(lavalink_node, second_node)


async def test_a_node_going_away_moves_its_players_to_the_other(
    gk: Any, lavalink_node: LavalinkNodeEmulator, second_node: LavalinkNodeEmulator
) -> None:
    from .conftest import music_ready

    guild = await gk.guild(plugins=["music"])
    guild.add_channel("Lounge", kind="voice")
    state = await music_ready(gk)
    await eventually(lambda: _count(state, 2))
    alice = await guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query=PLAYLIST_URL + "failover?n=2")
    first = lavalink_node if lavalink_node.player(guild.id) else second_node
    other = second_node if first is lavalink_node else lavalink_node
    gk.clock.advance(seconds=40)
    await eventually(lambda: _position_saved(guild.id, 40_000))
    await first.stop()
    await eventually(lambda: _is(now_on_node(other, guild.id), "failover-1"))
    assert abs((other.position(guild.id) or 0) - 40_000) < 1_500
    assert other.player(guild.id).connected  # type: ignore[union-attr]
    gk.clock.advance(seconds=10)
    assert abs((other.position(guild.id) or 0) - 50_000) < 1_500
    now = await alice.slash("nowplaying")
    assert "Failover 1" in now.embeds[0]["description"]


async def test_with_no_node_left_music_is_unavailable(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, second_node: LavalinkNodeEmulator
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await lavalink_node.stop()
    assert (await alice.slash("play", query="a song")).content == "▶️ Playing **A Song 1**."  # on the other node
    await second_node.stop()
    refused = await alice.slash("play", query="another song")
    assert refused.content == "Music is unavailable right now: no audio node is reachable. Try again in a minute."


async def _count(state: Any, nodes: int) -> bool:
    return len(state.lavalink.node_manager.available_nodes) == nodes


async def _position_saved(guild_id: int, at_least: int) -> bool:
    from guildkit.plugins.music.models import MusicPlayer

    row = await MusicPlayer.get_or_none(guild_id=guild_id)
    return row is not None and row.position_ms >= at_least
