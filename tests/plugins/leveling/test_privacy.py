"""/privacy export and delete of leveling's data."""

from guildkit.plugins.leveling.models import EarnedAchievement, GlobalXp, Member, QuestProgress, RankCard


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
