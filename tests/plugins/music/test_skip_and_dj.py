"""Vote skip among listening members, the requester's and DJs' skips, DJ-only mode, channel
overrides and queue limits."""

from __future__ import annotations

from typing import Any

from guildkit.core.testing.harness import eventually
from guildkit.core.testing.lavalink import PLAYLIST_URL, LavalinkNodeEmulator

from .conftest import configure, now_on_node, plays


async def test_a_vote_skip_counts_listening_members_only(music_guild: Any, lavalink_node: LavalinkNodeEmulator) -> None:
    alice, bob, carol, dave = [await music_guild.member(name) for name in ("alice", "bob", "carol", "dave")]
    other_bot = await music_guild.member("jukebox", bot=True)
    for member in (alice, bob, carol, dave, other_bot):
        await member.join_voice("Lounge")
    await dave.deafen()
    await alice.slash("play", query=PLAYLIST_URL + "votes?n=3")

    # Listeners: alice, bob, carol (dave is deafened, jukebox is a bot); half of three is two votes.
    first = await bob.slash("skip")
    assert first.content == "Voted to skip **Votes 1**: 1/2 votes."
    again = await bob.slash("skip")
    assert again.content == "Voted to skip **Votes 1**: 1/2 votes."  # one vote per member
    assert (await dave.slash("skip")).content == "Voted to skip **Votes 1**: 1/2 votes."  # deafened: not counted
    done = await carol.slash("skip")
    assert done.content == "⏭️ Skipped **Votes 1** (2/2 votes)."
    await eventually(lambda: _equals(now_on_node(lavalink_node, music_guild.id), "votes-2"))
    rows = await eventually(lambda: plays(music_guild.id))
    assert [(r.title, r.outcome, r.ended_by, r.end_reason) for r in rows] == [("Votes 1", "skipped", carol.id, "vote")]


async def _equals(value: Any, expected: Any) -> bool:
    return (await value) == expected


async def test_the_requester_and_djs_skip_at_once(music_guild: Any, lavalink_node: LavalinkNodeEmulator) -> None:
    djs = music_guild.add_role("DJ", ["MOVE_MEMBERS"])
    alice, bob = await music_guild.member("alice"), await music_guild.member("bob")
    dj = await music_guild.member("dj", roles=[djs])
    for member in (alice, bob, dj):
        await member.join_voice("Lounge")
    await alice.slash("play", query=PLAYLIST_URL + "mine?n=3")
    assert (await alice.slash("skip")).content == "⏭️ Skipped **Mine 1**."
    assert (await dj.slash("skip")).content == "⏭️ Skipped **Mine 2**."
    rows = await eventually(lambda: _at_least(plays(music_guild.id), 2))
    assert [(r.outcome, r.ended_by, r.end_reason) for r in rows] == [
        ("skipped", alice.id, "requester"),
        ("skipped", dj.id, "dj"),
    ]


async def _at_least(rows: Any, count: int) -> Any:
    found = await rows
    return found if len(found) >= count else None


async def test_dj_only_mode_leaves_control_to_djs(music_guild: Any) -> None:
    admin = await music_guild.member("ada", admin=True)
    djs = music_guild.add_role("DJ", ["MOVE_MEMBERS"])
    alice = await music_guild.member("alice")
    dj = await music_guild.member("dj", roles=[djs])
    await alice.join_voice("Lounge")
    await dj.join_voice("Lounge")
    await configure(admin, dj_only=True)

    refused = await alice.slash("play", query="a song")
    assert refused.content == "Only DJs control the music here (DJ-only mode is on)."
    assert (await dj.slash("play", query="dj set")).content == "▶️ Playing **Dj Set 1**."
    assert (await alice.slash("pause")).content == "Only DJs control the music here (DJ-only mode is on)."
    assert (await dj.slash("pause")).content == "⏸️ Paused **Dj Set 1**."
    stop = await alice.slash("stop")
    assert stop.ephemeral and "Move Members" in stop.content
    assert (await dj.slash("stop")).content == "⏹️ Stopped, and the queue is empty."


async def test_a_channel_override_turns_music_off_there(music_guild: Any) -> None:
    admin = await music_guild.member("ada", admin=True)
    alice = await music_guild.member("alice")
    quiet = music_guild.add_channel("quiet")
    await configure(admin, channel=quiet, music_enabled=False)
    await alice.join_voice("Lounge")
    refused = await alice.slash("play", query="a song", in_channel=quiet)
    assert refused.content == f"Music is turned off in <#{quiet.id}>."
    assert (await alice.slash("play", query="a song")).content == "▶️ Playing **A Song 1**."


async def test_queue_size_duplicates_and_track_length_limits(music_guild: Any) -> None:
    admin = await music_guild.member("ada", admin=True)
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await configure(admin, max_queue_size=2, allow_duplicates=False)
    await alice.slash("play", query="one")
    assert (await alice.slash("play", query="two")).content == "Queued **Two 1** at position 1."
    assert (await alice.slash("play", query="two")).content == "**Two 1** is already in the queue."
    assert (await alice.slash("play", query="three")).content == "Queued **Three 1** at position 2."
    assert (await alice.slash("play", query="four")).content == "The queue is full (2 tracks)."
    await configure(admin, max_track_minutes=1)
    await alice.slash("queue clear")
    long = await alice.slash("play", query="long one")
    assert long.content == "**Long One 1** is longer than 1 minutes, the limit here."


async def _settled() -> None:
    """Let the scheduler run what the clock made due."""
    import asyncio

    from guildkit.core import clock
    from guildkit.core.models import ScheduledJob

    async def idle() -> bool:
        busy = await ScheduledJob.filter(status="running").exists()
        due = await ScheduledJob.filter(status="pending", due_at__lte=clock.now()).exists()
        return not busy and not due

    await asyncio.sleep(0.05)
    await eventually(idle, within=10)


async def test_the_bot_leaves_after_a_while_alone_unless_in_24_7_mode(
    music_guild: Any, lavalink_node: LavalinkNodeEmulator, gk: Any
) -> None:
    from guildkit.core.testing.lavalink import TRACK_URL

    from .conftest import posts

    lavalink_node.catalog.add("long-mix", "Long Mix", "DJ Marathon", 3 * 3600 * 1000)
    admin = await music_guild.member("ada", admin=True)
    alice = await music_guild.member("alice")
    await alice.join_voice("Lounge")
    await alice.slash("play", query=TRACK_URL + "long-mix")
    await alice.deafen()  # a deafened member does not listen: the bot is alone
    await eventually(lambda: _armed(music_guild.id, True))
    gk.clock.advance(minutes=4)
    await _settled()
    assert music_guild.bot.voice_channel is not None
    await alice.deafen(False)  # back before the five minutes: it stays
    await eventually(lambda: _armed(music_guild.id, False))
    gk.clock.advance(minutes=2)
    await _settled()
    assert music_guild.bot.voice_channel is not None

    await configure(admin, auto_disconnect_minutes=0)  # 24/7
    await alice.leave_voice()
    gk.clock.advance(minutes=30)
    await _settled()
    assert music_guild.bot.voice_channel is not None

    await configure(admin, auto_disconnect_minutes=5)
    await alice.join_voice("Lounge")
    await alice.leave_voice()
    await eventually(lambda: _armed(music_guild.id, True))
    gk.clock.advance(minutes=5)
    await _settled()
    await eventually(lambda: _none(music_guild.bot.voice_channel))
    lounge = music_guild.channel("Lounge").id
    assert f"👋 Left <#{lounge}>: nobody was listening." in posts(music_guild)


async def _armed(guild_id: int, armed: bool) -> bool:
    """Whether the bot has (or no longer has) its leave-when-alone job for the guild."""
    from guildkit.core.models import ScheduledJob

    return await ScheduledJob.filter(key=f"music:idle:{guild_id}", status="pending").exists() == armed


async def _none(value: Any) -> bool:
    return value is None
