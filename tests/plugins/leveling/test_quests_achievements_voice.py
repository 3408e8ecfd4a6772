"""Quests across a reset boundary, achievements earned once, voice XP rules."""

from datetime import timedelta

from guildkit.core.hookspecs import hookimpl
from guildkit.core.testing.harness import eventually
from guildkit.plugins.leveling.models import Member


class Seen:
    def __init__(self) -> None:
        self.quests: list[tuple[int, str]] = []
        self.achievements: list[tuple[int, str]] = []

    @hookimpl
    def leveling_quest_completed(self, user_id: int, quest_name: str) -> None:
        self.quests.append((user_id, quest_name))

    @hookimpl
    def leveling_achievement_earned(self, user_id: int, achievement_name: str) -> None:
        self.achievements.append((user_id, achievement_name))


async def _true(value: bool) -> bool:
    return value


async def test_daily_quest_completes_rewards_and_resets_at_the_configured_hour(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    seen = Seen()
    gk.bot.hooks.register("seen", seen)
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    reset_hour = (gk.clock.now() + timedelta(hours=3)).hour
    await lv.configure(guild, admin, xp_min=10, xp_max=10, cooldown_seconds=0, quest_reset_hour=reset_hour)
    bad = await admin.slash("quest add", name="Nope", cycle="daily", requirement="messages", amount=0, reward_xp=5)
    assert bad.ephemeral and "between 1 and" in bad.content
    made = await admin.slash(
        "quest add",
        name="Chatter",
        cycle="daily",
        requirement="messages",
        amount=3,
        reward_xp=50,
        multiplier=2,
        minutes=60,
    )
    assert "Quest #" in made.content and "**Chatter**" in made.content

    await lv.say(alice, "one")
    await lv.say(alice, "two")
    shown = await alice.slash("quests")
    assert "▫️" in shown.content and "**Chatter** (daily): 2/3 messages" in shown.content
    await lv.say(alice, "three")
    assert await lv.xp(guild, alice) == 30 + 50
    assert seen.quests == [(alice.id, "Chatter")]
    await eventually(
        lambda: _true(any("completed the quest **Chatter** (+50 XP)" in m.content for m in guild.bot_messages()))
    )
    assert "✅" in (await alice.slash("quests")).content
    await lv.say(alice, "boosted")  # x2 for an hour
    assert await lv.xp(guild, alice) == 100
    await lv.say(alice, "no second completion today")
    await lv.flush()
    assert seen.quests == [(alice.id, "Chatter")]

    gk.clock.advance(hours=3, minutes=1)  # past the reset hour: a new period, boost expired
    after = await alice.slash("quests")
    assert "▫️" in after.content and "0/3 messages" in after.content
    for text in ("a", "b", "c"):
        await lv.say(alice, text)
    await lv.flush()
    assert seen.quests == [(alice.id, "Chatter"), (alice.id, "Chatter")]
    assert await lv.xp(guild, alice) == 120 + 30 + 50

    removed = await admin.slash("quest remove", quest_id=int(made.content.split("#")[1].split()[0]))
    assert "retired" in removed.content
    assert "No quests here yet" in (await alice.slash("quests")).content


async def test_achievements_are_earned_once_with_their_reward(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    seen = Seen()
    gk.bot.hooks.register("seen", seen)
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await lv.configure(guild, admin, xp_min=60, xp_max=60, cooldown_seconds=0)
    await admin.slash("achievement add", name="Talker", requirement="messages", amount=2, reward_xp=25)
    await admin.slash("achievement add", name="First level", requirement="level", amount=1, reward_xp=10)
    bad = await admin.slash("achievement add", name="Huge", requirement="xp", amount=10**12)
    assert bad.ephemeral and "between 1 and" in bad.content

    await lv.say(alice, "one")
    await lv.flush()
    assert seen.achievements == []
    await lv.say(alice, "two")  # 120 XP: level 1, and 2 messages
    assert await lv.xp(guild, alice) == 120 + 25 + 10
    assert sorted(seen.achievements) == [(alice.id, "First level"), (alice.id, "Talker")]
    await lv.say(alice, "three")
    await lv.flush()
    assert len(seen.achievements) == 2
    listing = await alice.slash("achievements")
    assert "(2/2)" in listing.content and "🏆 earned" in listing.content
    other = await admin.slash("achievements", member=alice.id)
    assert "Achievements of alice" in other.content


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


async def _ge(value, limit: int) -> bool:
    return await value >= limit
