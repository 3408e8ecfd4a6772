"""/play and the playback controls, end to end through the Discord and Lavalink emulators."""

from __future__ import annotations

from typing import Any

from guildkit.core.testing.harness import eventually
from guildkit.core.testing.lavalink import PLAYLIST_URL, TRACK_URL, LavalinkNodeEmulator
from guildkit.plugins.music import state as music_state
from guildkit.plugins.music.models import MusicPlay, MusicQueueItem

from .conftest import posts


async def playing(node: LavalinkNodeEmulator, guild_id: int, identifier: str) -> bool:
    player = node.player(guild_id)
    return player is not None and player.track is not None and player.track.identifier == identifier


async def test_play_joins_the_member_s_channel_and_plays(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    reply = await alice.slash("play", query="morning coffee")
    assert reply.content == "▶️ Playing **Morning Coffee 1**."
    assert music_guild.bot.voice_channel.name == "Lounge"
    await eventually(lambda: playing(lavalink_node, music_guild.id, "morning-coffee-1"))
    remote = lavalink_node.player(music_guild.id)
    assert (
        remote is not None and remote.connected and remote.voice["channelId"] == str(music_guild.channel("Lounge").id)
    )

    second = await alice.slash("play", query=TRACK_URL + "evening-jazz")
    assert second.content == "Queued **Evening Jazz** at position 1."
    gk.clock.advance(seconds=60)
    now = await alice.slash("nowplaying")
    embed = now.embeds[0]
    assert "Morning Coffee 1" in embed["description"]
    assert "`1:00 / " in embed["fields"][0]["value"]
    announced = await eventually(lambda: _async(posts(music_guild)))
    assert announced[0].startswith("🎶 Now playing **Morning Coffee 1** by Artist Morning (")


async def _async(value: Any) -> Any:
    return value


async def test_a_playlist_is_queued_whole(music_guild: Any, lavalink_node: LavalinkNodeEmulator) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    reply = await alice.slash("play", query=PLAYLIST_URL + "road-trip?n=4")
    assert reply.content == "Added 4 tracks from the playlist **Road Trip**, playing the first now."
    queue = await alice.slash("queue show")
    lines = queue.embeds[0]["description"].splitlines()
    assert lines[0].startswith("Now: **Road Trip 1**")
    assert [line.split("**")[1] for line in lines[1:]] == ["Road Trip 2", "Road Trip 3", "Road Trip 4"]


async def test_autocomplete_offers_the_node_s_search(music_guild: Any) -> None:
    alice = await music_guild.member("alice")
    choices = await alice.autocomplete("play", "query", "lofi")
    assert [c["name"].split(" · ")[0] for c in choices] == [f"Lofi {n}" for n in range(1, 6)]
    assert choices[0]["value"] == TRACK_URL + "lofi-1"


async def test_refusals_say_what_is_wrong(music_guild: Any, lavalink_node: LavalinkNodeEmulator) -> None:
    alice = await music_guild.member("alice")
    bob = await music_guild.member("bob")
    assert (await alice.slash("play", query="x song")).content == "Join a voice channel first."

    await alice.join_voice("Lounge")
    assert (await alice.slash("play", query="nothing")).content == "Nothing found for `nothing`."
    lavalink_node.faults.load_errors.add("blocked")
    failed = await alice.slash("play", query="blocked tune")
    assert failed.content.startswith("Could not load `blocked tune`: The source could not load this track.")

    await alice.slash("play", query="first song")
    await bob.join_voice("Stage")
    other = await bob.slash("play", query="second song")
    assert (
        other.content
        == f"I am playing in <#{music_guild.channel('Lounge').id}>; join that channel to control the music."
    )
    assert (await bob.slash("skip")).ephemeral


async def test_the_bot_says_which_voice_permission_it_lacks(music_guild: Any) -> None:
    alice = await music_guild.member("alice")
    locked = music_guild.add_channel("Locked", kind="voice")
    await locked.set_permissions(music_guild.bot, deny=["CONNECT"])
    await alice.join_voice("Locked")
    refused = await alice.slash("play", query="a song")
    assert refused.content == f"I lack the **Connect** permission in <#{locked.id}>."
    muted = music_guild.add_channel("Muted", kind="voice")
    await muted.set_permissions(music_guild.bot, deny=["SPEAK"])
    await alice.join_voice("Muted")
    refused = await alice.slash("play", query="a song")
    assert refused.content == f"I lack the **Speak** permission in <#{muted.id}>."
    assert music_guild.bot.voice_channel is None


async def test_a_voice_join_discord_ignores_is_said_and_queues_nothing(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(music_state, "JOIN_TIMEOUT", 0.5)  # how long the bot waits for Discord, shortened
    alice = await music_guild.member("alice")
    lounge = music_guild.channel("Lounge")
    await alice.join_voice("Lounge")
    gk.emulator.faults.ignore_voice_joins(times=1)  # a voice outage: Discord answers nothing
    refused = await alice.slash("play", query="a song")
    assert refused.content == f"Discord did not let me join <#{lounge.id}>; try again."
    assert music_guild.bot.voice_channel is None
    assert lavalink_node.player(music_guild.id) is None or lavalink_node.player(music_guild.id).track is None
    assert not await MusicQueueItem.filter(guild_id=music_guild.id).exists()
    # Discord is back: the same command joins and plays.
    played = await alice.slash("play", query="a song")
    assert "A Song 1" in played.content
    assert music_guild.bot.voice_channel is not None and music_guild.bot.voice_channel.name == "Lounge"


async def test_controls_pause_seek_volume_loop_and_eq(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query="control room")
    remote = lavalink_node.player(music_guild.id)
    assert remote is not None

    assert (await alice.slash("pause")).content == "⏸️ Paused **Control Room 1**."
    gk.clock.advance(seconds=30)
    assert lavalink_node.position(music_guild.id) == 0
    assert (await alice.slash("resume")).content == "▶️ Resumed **Control Room 1**."
    assert (await alice.slash("seek", position="1:30")).content == "⏩ **Control Room 1** from 1:30."
    assert lavalink_node.position(music_guild.id) == 90_000
    assert (await alice.slash("seek", position="99:00")).content.startswith("'99:00' is not a position")

    assert (await alice.slash("volume", level=80)).content == "🔊 Volume 80."
    assert remote.volume == 80
    assert (await alice.slash("volume", level=500)).content == "The volume limit here is 150."

    assert (await alice.slash("eq", preset="bass_boost")).content == "🎚️ Equalizer: bass boost."
    assert [b["gain"] for b in remote.filters["equalizer"]][:2] == [0.3, 0.25]
    assert len(remote.filters["equalizer"]) == 15

    assert (await alice.slash("loop", mode="track")).content == "🔁 Loop: track."
    gk.clock.advance(minutes=6)  # longer than any generated track: it ends and starts again
    await eventually(lambda: MusicPlay.filter(guild_id=music_guild.id).exists())
    await eventually(lambda: playing(lavalink_node, music_guild.id, "control-room-1"))


async def test_queue_remove_move_clear_and_shuffle(music_guild: Any) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query=PLAYLIST_URL + "mix?n=5")
    assert (await alice.slash("queue move", number=4, to=1)).content == "Moved **Mix 5** to position 1."
    assert (await alice.slash("queue remove", number=2)).content == "Removed **Mix 2** from the queue."
    names = [
        line.split("**")[1] for line in (await alice.slash("queue show")).embeds[0]["description"].splitlines()[1:]
    ]
    assert names == ["Mix 5", "Mix 3", "Mix 4"]
    assert (await alice.slash("queue remove", number=9)).content == "There is no track 9 in the queue (3 waiting)."
    assert (await alice.slash("shuffle")).content == "🔀 Shuffled 3 tracks."
    assert (await alice.slash("queue clear")).content == "Cleared 3 tracks from the queue."
    assert "waiting" not in ((await alice.slash("queue show")).embeds[0]["footer"]["text"] or "x waiting").replace(
        "0 waiting", ""
    )


async def test_more_refusals(music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any) -> None:
    alice, bob = await music_guild.member("alice"), await music_guild.member("bob")
    assert (await alice.slash("nowplaying")).content == "Nothing is playing."
    await alice.join_voice("Lounge")
    assert (await alice.slash("pause")).content == "Nothing is playing."
    lavalink_node.catalog.add("radio", "Radio", "Live FM", 0, is_stream=True)
    await alice.slash("play", query=TRACK_URL + "radio")
    assert (await alice.slash("seek", position="1:00")).content == "This track cannot be sought (a live stream)."
    gk.clock.advance(hours=2)  # a stream never finishes
    assert lavalink_node.position(music_guild.id) == 2 * 3600 * 1000
    await bob.join_voice("Lounge")
    refused = await bob.slash("leave")  # alice still listens: only a DJ may end it for her
    assert refused.ephemeral and "Move Members" in refused.content
    assert (await alice.slash("queue move", number=1, to=2)).content == "There is no track 1 in the queue (0 waiting)."


async def test_switching_music_off_stops_and_leaves(music_guild: Any, lavalink_node: LavalinkNodeEmulator) -> None:
    admin = await music_guild.member("ada", admin=True)
    await admin.join_voice("Lounge")
    await admin.slash("play", query="last dance")
    assert music_guild.bot.voice_channel is not None
    await admin.slash("plugins disable", name="music")
    assert music_guild.bot.voice_channel is None
    assert lavalink_node.live_player(music_guild.id) is None
