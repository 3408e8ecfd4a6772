"""Every control's refusals when there is nothing to control, the member is elsewhere or music is
off; what DJ-only mode leaves open; a per-channel override of a limit; looping the queue."""

from __future__ import annotations

from typing import Any

from guildkit.core.testing.harness import eventually
from guildkit.core.testing.lavalink import PLAYLIST_URL, LavalinkNodeEmulator
from guildkit.plugins.music.models import MusicFavorite

from .conftest import configure, now_on_node

CONTROLS: list[tuple[str, dict[str, Any]]] = [
    ("pause", {}),
    ("resume", {}),
    ("skip", {}),
    ("seek", {"position": "0:30"}),
    ("volume", {"level": 50}),
    ("loop", {"mode": "track"}),
    ("shuffle", {}),
    ("eq", {"preset": "pop"}),
]


async def test_controls_with_nothing_playing_say_so_and_change_nothing(music_guild: Any) -> None:
    admin = await music_guild.member("ada", admin=True)  # a DJ: /stop's own check passes
    await admin.join_voice("Lounge")
    for command, options in [*CONTROLS, ("stop", {})]:
        reply = await admin.slash(command, **options)
        assert reply.ephemeral and reply.content == "Nothing is playing.", (command, reply.content)
    assert (await admin.slash("favorites add")).content == "Nothing is playing."
    assert (await admin.slash("favorites play", number=1)).content == "You have no favorite number 1."
    assert not await MusicFavorite.filter(user_id=admin.id).exists()
    assert (await admin.slash("queue remove", number=1)).content == "There is no track 1 in the queue (0 waiting)."
    assert (await admin.slash("leave")).content == "I am not in a voice channel here."
    assert music_guild.bot.voice_channel is None


async def test_controls_need_the_member_in_the_bot_s_channel(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator
) -> None:
    alice, bob, carol = [await music_guild.member(name) for name in ("alice", "bob", "carol")]
    await alice.join_voice("Lounge")
    await alice.slash("play", query="steady beat")
    await bob.join_voice("Stage")
    lounge = music_guild.channel("Lounge").id
    elsewhere = f"I am playing in <#{lounge}>; join that channel to control the music."
    for command, options in [*CONTROLS, ("leave", {}), ("queue clear", {}), ("favorites play", {"number": 1})]:
        reply = await bob.slash(command, **options)
        assert reply.ephemeral and reply.content == elsewhere, (command, reply.content)
        outside = await carol.slash(command, **options)  # in no voice channel at all
        assert outside.ephemeral and outside.content == "Join a voice channel first.", (command, outside.content)
    remote = lavalink_node.live_player(music_guild.id)
    assert remote is not None and not remote.paused and remote.volume == 100
    assert await now_on_node(lavalink_node, music_guild.id) == "steady-beat-1"


async def test_music_off_in_a_channel_refuses_the_controls_there(music_guild: Any) -> None:
    admin = await music_guild.member("ada", admin=True)
    alice = await music_guild.member("alice")
    quiet = music_guild.add_channel("quiet")
    await alice.join_voice("Lounge")
    await alice.slash("play", query="soft rain")
    await configure(admin, channel=quiet, music_enabled=False)
    for command, options in CONTROLS:
        reply = await alice.slash(command, **options, in_channel=quiet)
        assert reply.content == f"Music is turned off in <#{quiet.id}>.", (command, reply.content)
    assert (await alice.slash("pause")).content == "⏸️ Paused **Soft Rain 1**."


async def test_dj_only_mode_keeps_votes_and_reading_open(music_guild: Any, lavalink_node: LavalinkNodeEmulator) -> None:
    admin = await music_guild.member("ada", admin=True)
    djs = music_guild.add_role("DJ", ["MOVE_MEMBERS"])
    dj = await music_guild.member("dj", roles=[djs])
    alice, bob = await music_guild.member("alice"), await music_guild.member("bob")
    for member in (dj, alice, bob):
        await member.join_voice("Lounge")
    await configure(admin, dj_only=True)
    await dj.slash("play", query=PLAYLIST_URL + "club?n=2")

    dj_only = "Only DJs control the music here (DJ-only mode is on)."
    for command, options in [*CONTROLS[:2], *CONTROLS[3:], ("queue clear", {}), ("favorites play", {"number": 1})]:
        assert (await alice.slash(command, **options)).content == dj_only, command
    assert "Club 1" in (await alice.slash("nowplaying")).embeds[0]["description"]
    assert "Club 2" in (await alice.slash("queue show")).embeds[0]["description"]
    # Listeners: dj, alice, bob; half of three is two votes.
    assert (await alice.slash("skip")).content == "Voted to skip **Club 1**: 1/2 votes."
    assert (await bob.slash("skip")).content == "⏭️ Skipped **Club 1** (2/2 votes)."
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "club-2"))


async def test_a_channel_override_sets_its_own_volume_limit(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator
) -> None:
    admin = await music_guild.member("ada", admin=True)
    alice = await music_guild.member("alice")
    kids = music_guild.add_channel("kids")
    await configure(admin, channel=kids, volume_limit=60)
    await alice.join_voice("Lounge")
    await alice.slash("play", query="lullaby")
    assert (await alice.slash("volume", level=80, in_channel=kids)).content == "The volume limit here is 60."
    remote = lavalink_node.live_player(music_guild.id)
    assert remote is not None and remote.volume == 100
    assert (await alice.slash("volume", level=80)).content == "🔊 Volume 80."  # the server's limit: 150
    assert remote.volume == 80


async def test_loop_queue_starts_over_and_loop_off_stops_at_the_end(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query=PLAYLIST_URL + "round?n=2")
    assert (await alice.slash("loop", mode="queue")).content == "🔁 Loop: queue."
    gk.clock.advance(minutes=6)  # generated tracks last at most five minutes
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "round-2"))
    gk.clock.advance(minutes=6)
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "round-1"))
    assert (await alice.slash("loop", mode="off")).content == "🔁 Loop: off."
    gk.clock.advance(minutes=6)
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), "round-2"))
    gk.clock.advance(minutes=6)
    await eventually(lambda: _is(now_on_node(lavalink_node, music_guild.id), None))


async def _is(value: Any, expected: Any) -> bool:
    return (await value) == expected
