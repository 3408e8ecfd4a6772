"""Leveling's admin commands check the core's manager level on every use: Administrator counts,
and a member the server owner opened a command to is still refused."""

import pytest

from guildkit.core.testing.emulator.driver import CommandNotPermitted
from guildkit.plugins.leveling.models import LevelRole, Member, Quest, XpBackup


async def test_an_administrator_without_manage_server_can_use_admin_commands(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admins = guild.add_role("Admins", "ADMINISTRATOR")  # Administrator only, no Manage Server bit
    boss = await guild.member("boss", roles=[admins])
    alice = await guild.member("alice")
    reply = await boss.slash("xp add", member=alice.id, amount=150)
    assert not reply.ephemeral and "0 → 150 XP (level 1)" in reply.content
    assert await lv.xp(guild, alice) == 150
    made = await boss.slash("quest add", name="Chat", cycle="daily", requirement="messages", amount=3, reward_xp=5)
    assert "Quest #" in made.content
    assert await Quest.filter(guild_id=guild.id).count() == 1


async def test_a_plain_member_is_refused_even_when_the_owner_opens_the_commands(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    bob = await guild.member("bob")
    await admin.slash("xp set", member=bob.id, amount=500)
    role = guild.add_role("Regular")
    with pytest.raises(CommandNotPermitted):  # Discord hides it: default_member_permissions
        await bob.slash("xp add", member=bob.id, amount=5)
    # A server owner can open the commands to everyone in Discord's settings; leveling checks again.
    for scope in (guild.id, None):
        for command in gk.emulator.world.scope_commands(scope).values():
            command.data["default_member_permissions"] = None
    attempts = [
        ("xp add", {"member": bob.id, "amount": 1000}),
        ("xp set", {"member": bob.id, "amount": 0}),
        ("xp reset-all", {"confirm": "RESET"}),
        ("xp restore", {}),
        ("xp role-multiplier", {"role": role.id, "multiplier": 5}),
        ("levelrole add", {"role": role.id, "level": 1}),
        ("levelrole list", {}),
        ("quest add", {"name": "Q", "cycle": "daily", "requirement": "messages", "amount": 1, "reward_xp": 5}),
        ("achievement add", {"name": "A", "requirement": "messages", "amount": 1}),
        ("levels recompute", {}),
        ("levels preview", {"curve": "flat"}),
    ]
    for command, options in attempts:
        reply = await bob.slash(command, **options)
        assert reply.ephemeral and "You need the **Manage Server** permission" in reply.content, command
    assert (await Member.get(guild_id=guild.id, user_id=bob.id)).xp == 500
    assert not await XpBackup.filter(guild_id=guild.id).exists()
    assert not await LevelRole.filter(guild_id=guild.id).exists()
    assert not await Quest.filter(guild_id=guild.id).exists()
