"""/quest and /quests: a daily quest completes, rewards and resets at the configured hour."""

from datetime import timedelta

import pytest

from guildkit.core.hookspecs import hookimpl
from guildkit.core.testing.emulator.driver import OptionError
from guildkit.core.testing.harness import eventually
from guildkit.plugins.leveling.errors import OutOfRange
from guildkit.plugins.leveling.service import create_quest


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


async def test_daily_quest_completes_rewards_and_resets_at_the_configured_hour(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    seen = Seen()
    gk.bot.hooks.register("seen", seen)
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    reset_hour = (gk.clock.now() + timedelta(hours=3)).hour
    await lv.configure(guild, admin, xp_min=10, xp_max=10, cooldown_seconds=0, quest_reset_hour=reset_hour)
    # The option's limits make Discord refuse it; the service refuses it again on its own.
    with pytest.raises(OptionError, match="must not be below"):
        await admin.slash("quest add", name="Nope", cycle="daily", requirement="messages", amount=0, reward_xp=5)
    with pytest.raises(OutOfRange, match="between 1 and"):
        await create_quest(
            guild.id, name="Nope", cycle="daily", requirement="messages", requirement_value=0, reward_xp=5
        )
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


async def _true(value: bool) -> bool:
    return value
