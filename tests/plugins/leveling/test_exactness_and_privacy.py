"""XP totals are exact after concurrent flushes (two bots on one database), shutdown flushes,
privacy export and deletion."""

import asyncio
import random

from guildkit.plugins.leveling.models import EarnedAchievement, GlobalXp, Member, QuestProgress, RankCard
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


async def test_privacy_export_and_delete(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await lv.configure(guild, admin, cooldown_seconds=0)
    await admin.slash("quest add", name="Q", cycle="weekly", requirement="messages", amount=1, reward_xp=1)
    await admin.slash("achievement add", name="A", requirement="messages", amount=1)
    await alice.slash("rankcard", primary="#123456")
    await lv.say(alice, "hi")
    await lv.flush()
    exported = await gk.bot.hooks.call_each("user_data_export", runtime=gk.bot, user_id=alice.id)
    data = exported["leveling"]
    assert data["members"][0]["messages"] == 1 and data["global_xp"] > 0
    assert data["achievements"] and data["quest_progress"] and data["rank_cards"][0]["primary_color"] == "#123456"

    await gk.bot.hooks.call_each("user_data_delete", runtime=gk.bot, user_id=alice.id)
    for model in (Member, QuestProgress, EarnedAchievement, RankCard):
        assert not await model.filter(user_id=alice.id).exists()
    assert not await GlobalXp.filter(user_id=alice.id).exists()
    assert "Level 0 · 0 XP" in (await alice.slash("rank")).content
