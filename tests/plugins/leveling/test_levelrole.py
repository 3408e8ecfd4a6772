"""/levelrole: stacked and replacing level roles, demotion, and roles back on rejoin."""

from guildkit.core.testing.harness import eventually
from guildkit.plugins.leveling.models import Member


async def test_level_roles_stack_replace_demote_and_come_back_on_rejoin(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    bronze = guild.add_role("Bronze")
    silver = guild.add_role("Silver")
    gold = guild.add_role("Gold")
    above = guild.add_role("Above", position=guild.bot_role.position + 1)
    # The admin's role is made after the level roles, so it sits above them: the role check lets
    # a member attach only roles below their highest role.
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await admin.slash("levelrole add", role=bronze.id, level=1)  # stacked
    await admin.slash("levelrole add", role=silver.id, level=2, stacked=False)
    await admin.slash("levelrole add", role=gold.id, level=3, stacked=False)
    refused = await admin.slash("levelrole add", role=above.id, level=5)
    assert refused.ephemeral and "must be above" in refused.content
    listing = await admin.slash("levelrole list")
    assert "Level 2: <@&" in listing.content and "replaces lower" in listing.content

    await admin.slash("xp set", member=alice.id, amount=255)  # level 2
    await eventually(lambda: _true(set(alice.role_names) >= {"Bronze", "Silver"}))
    await admin.slash("xp set", member=alice.id, amount=475)  # level 3: gold replaces silver
    await eventually(lambda: _true("Gold" in alice.role_names and "Silver" not in alice.role_names))
    assert "Bronze" in alice.role_names

    await admin.slash("xp remove", member=alice.id, amount=300)  # 175 XP: level 1
    await eventually(lambda: _true(alice.role_names == ["Bronze"]))

    await admin.slash("xp set", member=alice.id, amount=475)
    await eventually(lambda: _true("Gold" in alice.role_names))
    await alice.leave_guild()
    await eventually(lambda: _left(guild, alice))
    back = await guild.member("alice")
    await eventually(lambda: _true(set(back.role_names) == {"Bronze", "Gold"}))
    assert (await lv.row(guild, back)).left_at is None


async def _true(value: bool) -> bool:
    return value


async def _left(guild, member) -> bool:
    row = await Member.get_or_none(guild_id=guild.id, user_id=member.id)
    return row is not None and row.left_at is not None
