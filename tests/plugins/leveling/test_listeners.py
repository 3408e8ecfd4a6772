"""XP from what members do: messages (cooldown, range, multipliers, no-XP channels and roles),
voice, and nothing where leveling is off."""

import asyncio
import random

import pytest

from guildkit.core.testing.emulator.driver import CommandNotFound
from guildkit.core.testing.harness import created_tasks, eventually
from guildkit.plugins.leveling.models import Member


async def test_messages_earn_xp_once_per_cooldown(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    alice = await guild.member("alice")
    # Amounts are drawn from 15-25: a seeded source makes them known in advance.
    lv.state.engine.rng = random.Random(11)
    expected = random.Random(11)
    first_amount, second_amount = expected.randint(15, 25), expected.randint(15, 25)
    await lv.say(alice, "hello")
    first = await lv.xp(guild, alice)
    assert first == first_amount
    await lv.say(alice, "again, too soon")
    assert await lv.xp(guild, alice) == first
    gk.clock.advance(seconds=59)
    await lv.say(alice, "still too soon")
    assert await lv.xp(guild, alice) == first
    gk.clock.advance(seconds=1)
    await lv.say(alice, "now")
    second = await lv.xp(guild, alice)
    assert second == first_amount + second_amount
    row = await lv.row(guild, alice)
    assert row.messages == 4


async def test_range_and_multipliers_combine(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    vip = guild.add_role("VIP")
    muted = guild.add_role("NoXP")
    quiet = guild.add_channel("quiet")
    double = guild.add_channel("double")
    await lv.configure(guild, admin, xp_min=10, xp_max=10, cooldown_seconds=0, server_multiplier=2)
    await admin.slash("config set", plugin="leveling", key="channel_multiplier", value="3", channel=double.id)
    await admin.slash("config set", plugin="leveling", key="xp_enabled", value="false", channel=quiet.id)
    reply = await admin.slash("xp role-multiplier", role=vip.id, multiplier=1.5)
    assert "x1.5" in reply.text
    await admin.slash("xp role-multiplier", role=muted.id, multiplier=0)

    bob = await guild.member("bob", roles=[vip])
    carl = await guild.member("carl", roles=[vip, muted])
    await lv.say(bob, "in general")  # 10 * 2 (server) * 1.5 (role) = 30
    assert await lv.xp(guild, bob) == 30
    await lv.say(bob, "in double", double)  # 10 * 2 * 3 * 1.5 = 90
    assert await lv.xp(guild, bob) == 120
    await lv.say(bob, "in quiet", quiet)
    assert await lv.xp(guild, bob) == 120
    await lv.say(carl, "no-XP role wins")
    assert await lv.xp(guild, carl) == 0
    assert (await lv.row(guild, bob)).messages == 3


async def test_once_settings_are_cached_a_message_costs_no_listener_task(gk, lv) -> None:
    """The hot path: leveling counts a message inside the dispatch, so a server with leveling on
    starts as many tasks per message as one with it off; the XP is the same."""
    on = await gk.guild("On", plugins=["leveling"])
    off = await gk.guild("Off", plugins=[])
    alice_on, alice_off = await on.member("alice"), await off.member("alice")
    await lv.configure(on, await on.member("ada", admin=True), cooldown_seconds=0, xp_min=20, xp_max=20)
    await lv.say(alice_on)  # loads and caches the settings (through the listener's task)
    await alice_off.say("warm")

    async def listener_tasks(member, text: str) -> int:
        with created_tasks() as tasks:
            await member.say(text)
            await member.slash("timezone")  # answered after the message was dispatched
        return sum(1 for task in tasks if task.get_name() == "interactions:: message_create")

    assert await listener_tasks(alice_on, "counted inline") == await listener_tasks(alice_off, "not counted")
    await lv.flush()
    member = await Member.get(guild_id=on.id, user_id=alice_on.id)
    assert (member.messages, member.xp) == (2, 40)


async def test_disabled_guild_gets_nothing(gk, lv) -> None:
    guild = await gk.guild(plugins=[])
    alice = await guild.member("alice")
    await alice.say("hello")
    await asyncio.sleep(0.2)
    assert await lv.xp(guild, alice) == 0
    with pytest.raises(CommandNotFound):
        await alice.slash("rank")
    assert guild.bot_messages() == []


async def test_global_commands_are_refused_where_leveling_is_off(gk, lv) -> None:
    await gk.start(bot={"command_scope": "global"})
    off = await gk.guild("Off", plugins=[])
    on = await gk.guild("On", plugins=["leveling"])
    alice_off = await off.member("alice")
    refused = await alice_off.slash("rank")
    assert refused.ephemeral and "disabled in this server" in refused.content
    alice_on = await on.member("alice")
    await lv.say(alice_on, "hello")
    await alice_off.say("hello")
    assert "Level 0" in (await alice_on.slash("rank")).content
    assert await lv.xp(on, alice_on) > 0 and await lv.xp(off, alice_off) == 0


async def test_voice_xp_skips_muted_deafened_alone_and_bots(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    await lv.configure(guild, admin, voice_xp_per_minute=7)
    room = guild.add_channel("room", "voice")
    lonely = guild.add_channel("lonely", "voice")
    alice, bob, carl, dave, erin = [await guild.member(n) for n in ("alice", "bob", "carl", "dave", "erin")]
    robot = await guild.member("robot", bot=True)
    await alice.join_voice(room)
    await bob.join_voice(room)
    await carl.join_voice(room, self_mute=True)
    await dave.join_voice(room, self_deaf=True)
    await erin.join_voice(lonely)
    await robot.join_voice(lonely)  # a bot does not keep erin company

    async def voice_seconds(member) -> int:
        await lv.flush()
        row = await Member.get_or_none(guild_id=guild.id, user_id=member.id)
        return row.voice_seconds if row else 0

    async def minute_passed() -> bool:
        return await voice_seconds(alice) >= 60

    await eventually(lambda: _true(guild.world.guild(guild.id).voice_states.get(robot.id) is not None))
    gk.clock.advance(minutes=1)
    await eventually(minute_passed)
    assert await lv.xp(guild, alice) == 7 and await lv.xp(guild, bob) == 7
    for member in (carl, dave, erin, robot):
        assert await voice_seconds(member) == 0 and await lv.xp(guild, member) == 0

    await bob.leave_voice()  # alice is alone now
    await carl.join_voice(room)  # unmuted: carl and alice earn
    gk.clock.advance(minutes=1)
    await eventually(lambda: _ge(voice_seconds(carl), 60))
    assert await lv.xp(guild, alice) == 14 and await lv.xp(guild, bob) == 7


async def _true(value: bool) -> bool:
    return value


async def _ge(value, limit: int) -> bool:
    return await value >= limit
