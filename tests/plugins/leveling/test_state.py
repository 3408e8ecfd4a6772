"""The XP engine and LevelingState: exact totals from concurrent flushes, the buffer written at
shutdown, one state per bot."""

import asyncio
import random

from guildkit.plugins.leveling.models import GlobalXp, Member
from guildkit.plugins.leveling.service import Engine
from guildkit.plugins.leveling.state import LevelingState


async def test_concurrent_flushes_from_two_bots_lose_and_double_nothing(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    runtime = gk.bot

    async def settings(guild_id: int):
        return await runtime.settings.get(guild_id, "leveling")

    engines = [Engine(settings), Engine(settings)]  # as two processes sharing the database
    expected: dict[int, int] = {}
    rng = random.Random(7)
    users = [1000 + i for i in range(40)]

    async def feed(engine: Engine) -> None:
        for round_ in range(30):
            for _ in range(25):
                user = rng.choice(users)
                amount = rng.randint(1, 30)
                engine.add_xp(guild.id, user, amount)
                expected[user] = expected.get(user, 0) + amount
            if round_ % 3 == 0:
                await engine.flush()
            await asyncio.sleep(0)

    async def flush_often(engine: Engine) -> None:
        for _ in range(20):
            await engine.flush()
            await asyncio.sleep(0)

    await asyncio.gather(*(feed(e) for e in engines), *(flush_often(e) for e in engines))
    for engine in engines:
        await engine.flush()
    stored = dict(await Member.filter(guild_id=guild.id, user_id__in=users).values_list("user_id", "xp"))
    assert stored == expected
    global_rows = dict(await GlobalXp.filter(user_id__in=users).values_list("user_id", "xp"))
    assert global_rows == expected


async def test_shutdown_flushes_the_buffer(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await lv.configure(guild, admin, xp_min=20, xp_max=20)
    await lv.say(alice, "hello")
    assert gk.bot.state(LevelingState).engine.buffer  # not written yet
    await gk.restart()
    assert (await Member.get(guild_id=guild.id, user_id=alice.id)).xp == 20


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
