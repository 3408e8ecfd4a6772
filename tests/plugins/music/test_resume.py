"""Resume after a restart or a crash: the bot rejoins its channel and continues the same track near
where it was, with the same queue, volume, equalizer and loop mode."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.core.testing.harness import eventually, start_bot_script
from guildkit.core.testing.lavalink import PLAYLIST_URL, LavalinkNodeEmulator
from guildkit.plugins.music.models import MusicPlayer, MusicQueueItem

from .conftest import node_config, now_on_node


async def _saved_at(guild_id: int, at_least: int) -> bool:
    row = await MusicPlayer.get_or_none(guild_id=guild_id)
    return row is not None and row.position_ms >= at_least


async def _is(value: Any, expected: Any) -> bool:
    return (await value) == expected


async def test_after_a_restart_the_player_continues_where_it_was(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query=PLAYLIST_URL + "resume?n=4")
    await alice.slash("volume", level=70)
    await alice.slash("eq", preset="rock")
    await alice.slash("loop", mode="queue")
    await alice.slash("queue move", number=3, to=1)
    gk.clock.advance(seconds=75)
    await eventually(lambda: _saved_at(music_guild.id, 75_000))

    await gk.restart()
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "resume-1"), within=10)
    remote = lavalink_node.live_player(music_guild.id)
    assert remote is not None and remote.connected
    assert abs(remote.position(gk.clock.monotonic()) - 75_000) < 3_000
    assert remote.volume == 70
    assert remote.filters["equalizer"][0]["gain"] == 0.2  # rock
    queue = await alice.slash("queue show")
    names = [line.split("**")[1] for line in queue.embeds[0]["description"].splitlines()]
    assert names == ["Resume 1", "Resume 4", "Resume 2", "Resume 3"]
    now = await alice.slash("nowplaying")
    assert "loop queue" in now.embeds[0]["fields"][1]["value"]
    assert "volume 70" in now.embeds[0]["fields"][1]["value"]


async def test_leave_forgets_the_player(music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query="short stay")
    assert (await alice.slash("leave")).content == "👋 Left the voice channel."
    assert music_guild.bot.voice_channel is None
    assert not await MusicPlayer.filter(guild_id=music_guild.id).exists()
    assert lavalink_node.player(music_guild.id) is None
    await gk.restart()
    await asyncio.sleep(0.5)
    assert music_guild.bot.voice_channel is None


BOT_SCRIPT = """
import asyncio, sys
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime

async def main():
    config = parse_config({config!r})
    runtime = Runtime(config)
    await runtime.start({token!r})
    sys.stdout.write("STARTED\\n"); sys.stdout.flush()
    try:
        await asyncio.sleep(120)
    finally:
        await runtime.close()

asyncio.run(main())
"""


async def test_after_a_crash_the_bot_rejoins_and_continues_mid_track(
    gk_emulator: Any, gk_database_url: str, gk_clock: Any, lavalink_node: LavalinkNodeEmulator, tmp_path: Any
) -> None:
    guild = gk_emulator.create_guild("Crashy")
    guild.add_channel("Lounge", kind="voice")
    config = {
        "bot": {"api_base": gk_emulator.api_base},
        "database": {"url": gk_database_url},
        "logging": {"level": "WARNING"},
        **node_config(lavalink_node),
    }
    setup = Runtime(parse_config(config))
    await setup.open_database()
    try:
        await setup.set_plugin_enabled(guild.id, "music", True, None)
    finally:
        await setup.close_database()
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT.format(config=config, token=gk_emulator.token))

    bot = await start_bot_script(script)
    try:
        alice = await guild.member("alice")
        await alice.join_voice("Lounge")
        await alice.slash("play", query=PLAYLIST_URL + "crash?n=3")
        await alice.slash("volume", level=60)
        await alice.slash("loop", mode="track")
        await eventually(lambda: _is(now_on_node(lavalink_node, guild.id), "crash-1"))
        gk_clock.advance(seconds=100)
        check = Runtime(parse_config(config))
        await check.open_database(migrate=False)
        try:
            await eventually(lambda: _saved_at(guild.id, 100_000), within=10)
        finally:
            await check.close_database()
        bot.send_signal(signal.SIGKILL)  # dies mid-track, no shutdown code runs (like os._exit)
        await bot.wait()
        gk_clock.advance(seconds=20)  # the node's player plays on into the void meanwhile
        await lavalink_node.drop_connections()
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()

    restarted = await start_bot_script(script)
    try:

        async def resumed() -> bool:
            player = lavalink_node.player(guild.id)
            return bool(
                player is not None
                and player.connected
                and lavalink_node.connected_sessions
                and player in lavalink_node.connected_sessions[0].players.values()
                and player.track is not None
            )

        await eventually(resumed, within=30)
        player = lavalink_node.player(guild.id)
        assert player is not None and player.track is not None
        assert player.track.identifier == "crash-1"
        assert abs(player.position(gk_clock.monotonic()) - 100_000) < 3_000
        assert player.volume == 60
        now = await alice.slash("nowplaying")
        assert "loop track" in now.embeds[0]["fields"][1]["value"]
        queue = await alice.slash("queue show")
        names = [line.split("**")[1] for line in queue.embeds[0]["description"].splitlines()]
        assert names == ["Crash 1", "Crash 2", "Crash 3"]
    finally:
        restarted.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(restarted.wait(), timeout=10)
        except TimeoutError:
            restarted.kill()
            await restarted.wait()
    check = Runtime(parse_config(config))
    await check.open_database(migrate=False)
    try:
        assert await MusicQueueItem.filter(guild_id=guild.id).count() == 2
    finally:
        await check.close_database()
