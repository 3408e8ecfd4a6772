"""Each running bot has its own LevelingState: a restart in the same process (as every test does)
starts from a fresh one, and XP buffered in one bot never reaches another bot's flush."""

from guildkit.plugins.leveling.models import Member
from guildkit.plugins.leveling.state import LevelingState


async def test_two_bots_in_one_process_share_no_leveling_state(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await lv.configure(guild, admin, xp_min=20, xp_max=20)
    first = gk.bot.state(LevelingState)
    await lv.say(alice, "hello")
    assert first.engine.buffer  # buffered, not written yet

    await gk.restart()  # the first bot stops (its state flushes) and a second one starts
    second = gk.bot.state(LevelingState)
    assert second is not first and second.engine is not first.engine
    assert second.engine.buffer == {} and second.ranked_counts is not first.ranked_counts
    assert (await Member.get(guild_id=guild.id, user_id=alice.id)).xp == 20

    # XP that reaches the stopped bot's engine stays there: the running bot never writes it.
    first.engine.add_xp(guild.id, alice.id, 1000)
    await second.flush()
    assert (await Member.get(guild_id=guild.id, user_id=alice.id)).xp == 20
    assert first.engine.buffer  # still only in the first bot's buffer

    # The second bot's own messages are counted by its own engine only.
    gk.clock.advance(minutes=2)
    await lv.say(alice, "again")
    assert second.engine.seen_messages == 1 and first.engine.seen_messages == 1
    assert await lv.xp(guild, alice) == 40
