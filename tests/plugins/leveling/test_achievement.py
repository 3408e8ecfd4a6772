"""/achievement and /achievements: earned once, with their reward."""

import pytest

from guildkit.core.hookspecs import hookimpl
from guildkit.core.testing.emulator.driver import OptionError
from guildkit.plugins.leveling.errors import OutOfRange
from guildkit.plugins.leveling.service import create_achievement


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


async def test_achievements_are_earned_once_with_their_reward(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    seen = Seen()
    gk.bot.hooks.register("seen", seen)
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await lv.configure(guild, admin, xp_min=60, xp_max=60, cooldown_seconds=0)
    await admin.slash("achievement add", name="Talker", requirement="messages", amount=2, reward_xp=25)
    await admin.slash("achievement add", name="First level", requirement="level", amount=1, reward_xp=10)
    # The option's limits make Discord refuse it; the service refuses it again on its own.
    with pytest.raises(OptionError, match="must not be above"):
        await admin.slash("achievement add", name="Huge", requirement="xp", amount=10**12)
    with pytest.raises(OutOfRange, match="between 1 and"):
        await create_achievement(guild.id, "Huge", "xp", 10**12, 0, "")

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
