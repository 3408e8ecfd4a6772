"""Issue 10 for leveling: level roles pass the core's role checks when attached and again when
granted (no escalation through /levelrole add plus /xp add), and refused commands count for no
quest or statistic."""

from guildkit.core.models import CommandUsageHour
from guildkit.core.testing.emulator.permissions import ADMINISTRATOR
from guildkit.core.testing.harness import eventually
from guildkit.plugins.leveling.models import LevelRole, Member, QuestProgress


async def test_a_manager_below_admins_cannot_turn_xp_into_administrator(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    mods = guild.add_role("Mods", ["KICK_MEMBERS"])  # each new role sits right below the bot's role:
    managers = guild.add_role("Managers", ["MANAGE_GUILD"])  # Mods below Managers, but dangerous
    admins = guild.add_role("Admins", ["ADMINISTRATOR"])  # above Managers
    mia = await guild.member("mia", roles=[managers])
    alice = await guild.member("alice")

    refused = await mia.slash("levelrole add", role=admins.id, level=1)
    assert refused.ephemeral and "is not below your highest role (@Managers)" in refused.content
    refused = await mia.slash("levelrole add", role=mods.id, level=1)
    assert refused.ephemeral and "Kick Members" in refused.content and "only someone with it" in refused.content
    refused = await mia.slash("levelrole add", role=guild.bot_role.id, level=1)
    assert refused.ephemeral and "managed by Discord" in refused.content
    refused = await mia.slash("levelrole add", role=guild.everyone.id, level=1)
    assert refused.ephemeral and "@everyone cannot be given" in refused.content
    assert not await LevelRole.filter(guild_id=guild.id).exists()

    reply = await mia.slash("xp add", member=alice.id, amount=5000)
    assert not reply.ephemeral
    await gk.bot.scheduler.run_due()
    assert "Admins" not in alice.role_names and "Mods" not in alice.role_names
    assert not alice.permissions & ADMINISTRATOR


async def test_a_level_role_that_gained_administrator_is_not_granted_and_the_server_is_told(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    regulars = guild.add_role("Regulars")
    managers = guild.add_role("Managers", ["MANAGE_GUILD"])  # above Regulars
    mia = await guild.member("mia", roles=[managers])
    alice = await guild.member("alice")
    levels = guild.add_channel("levels")
    await lv.configure(guild, await guild.member("ada", admin=True), announce="channel", announce_channel_id=levels.id)
    made = await mia.slash("levelrole add", role=regulars.id, level=1)
    assert not made.ephemeral
    await gk.bot.scheduler.run_due()
    # Someone gives the role Administrator afterwards: mia, who attached it, does not hold it.
    await regulars.edit(permissions=["ADMINISTRATOR"])
    await mia.slash("xp add", member=alice.id, amount=150)  # level 1

    async def told() -> bool:
        return any("Regulars" in m.content and "no longer has" in m.content for m in guild.bot_messages(levels))

    await eventually(told)
    assert "Regulars" not in alice.role_names

    async def announced() -> bool:  # the level-up itself is still announced
        return any("reached level **1**" in m.content for m in guild.bot_messages(levels))

    await eventually(announced)


async def test_refused_commands_complete_no_quest_and_count_nowhere(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling", "economy"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    made = await admin.slash(
        "quest add", name="Busy", cycle="daily", requirement="commands_used", amount=3, reward_xp=10
    )
    assert "Quest #" in made.content
    await lv.flush()
    for _ in range(3):  # far more than alice has: refused
        refused = await alice.slash("pay", member=bob.id, amount=10_000_000)
        assert refused.ephemeral
    for _ in range(3):
        await alice.slash("rank")

    async def recorded() -> bool:  # the core records each command just after its answer
        await gk.bot.usage.flush()
        uses = await CommandUsageHour.filter(guild_id=guild.id, command__in=("pay", "rank")).values_list(
            "uses", flat=True
        )
        return sum(uses) == 6

    await eventually(recorded)  # leveling counted in the same call, if at all
    await lv.flush()
    row = await Member.get(guild_id=guild.id, user_id=alice.id)
    assert row.commands_used == 3
    assert await QuestProgress.filter(user_id=alice.id, completed_at__not_isnull=True).count() == 1
