"""/xp: admin XP changes with bad input, a server-wide reset with its backup, and restore."""

import pytest

from guildkit.core.testing.emulator.driver import CommandNotPermitted, OptionError
from guildkit.plugins.leveling.errors import OutOfRange
from guildkit.plugins.leveling.models import GlobalXp
from guildkit.plugins.leveling.service import check_amount


async def test_xp_commands_refuse_bad_input_and_write_nothing(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    robot = await guild.member("robot", bot=True)
    other_guild = await gk.guild("Elsewhere", plugins=["leveling"])
    stranger = await other_guild.member("stranger")

    # The options' limits make Discord refuse these; the service refuses them again on its own.
    for amount in (-5, 0, 10**12):
        with pytest.raises(OptionError, match="must not be"):
            await admin.slash("xp add", member=alice.id, amount=amount)
        with pytest.raises(OutOfRange, match="between 1 and 100,000,000"):
            check_amount(amount)
    with pytest.raises(OptionError, match="must not be below"):
        await admin.slash("xp set", member=alice.id, amount=-1)
    with pytest.raises(OutOfRange, match="between 0 and"):
        check_amount(-1, allow_zero=True)
    reply = await admin.slash("xp add", member=robot.id, amount=5)
    assert reply.ephemeral and "Bots do not earn XP" in reply.content
    reply = await admin.slash("xp add", member=stranger.id, amount=5)
    assert reply.ephemeral and "not a member of this server" in reply.content
    assert await lv.xp(guild, alice) == 0
    with pytest.raises(CommandNotPermitted):
        await alice.slash("xp add", member=alice.id, amount=5)

    reply = await admin.slash("xp add", member=alice.id, amount=150)
    assert "0 → 150 XP (level 1)" in reply.content
    reply = await admin.slash("xp remove", member=alice.id, amount=1000)  # floors at 0
    assert "150 → 0 XP (level 0)" in reply.content
    await admin.slash("xp set", member=alice.id, amount=300)
    reply = await admin.slash("xp reset", member=alice.id)
    assert "300 → 0 XP" in reply.content
    assert (await GlobalXp.get(user_id=alice.id)).xp == 0


async def test_reset_all_writes_a_backup_that_restore_undoes(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    await admin.slash("xp set", member=alice.id, amount=500)
    await admin.slash("xp set", member=bob.id, amount=1200)
    refused = await admin.slash("xp reset-all", confirm="yes")
    assert refused.ephemeral and "Nothing was reset" in refused.content
    assert await lv.xp(guild, bob) == 1200

    from guildkit.core.hookspecs import hookimpl
    from guildkit.core.testing.harness import eventually

    changes: list[tuple[int, int, int]] = []

    class Recorder:
        @hookimpl
        def leveling_level_changed(self, user_id: int, old_level: int, new_level: int) -> None:
            changes.append((user_id, old_level, new_level))

    gk.bot.hooks.register("recorder", Recorder())
    reply = await admin.slash("xp reset-all", confirm="RESET")
    assert "Reset the XP of 2 member(s)" in reply.content and "`/xp restore`" in reply.content
    assert await lv.xp(guild, alice) == 0 and await lv.xp(guild, bob) == 0
    assert "Level 0" in (await bob.slash("rank")).content

    async def demoted() -> bool:
        return sorted(changes) == sorted([(alice.id, 3, 0), (bob.id, 5, 0)])

    await eventually(demoted)  # the background recompute demotes, once each, with the hook

    reply = await admin.slash("xp restore")
    assert "Restored the XP of 2 member(s)" in reply.content
    assert await lv.xp(guild, alice) == 500 and await lv.xp(guild, bob) == 1200

    async def restored() -> bool:
        return len(changes) == 4 and sorted(changes[2:]) == sorted([(alice.id, 0, 3), (bob.id, 0, 5)])

    await eventually(restored)
    again = await admin.slash("xp restore")
    assert again.ephemeral and "no XP backup" in again.content
