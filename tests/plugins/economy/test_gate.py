"""Economy off in a server: its commands are gone there, and other plugins' hooks do not pay."""

import pytest

from guildkit.core.testing.emulator.driver import CommandNotFound
from guildkit.plugins.economy import service


async def test_disabled_economy_has_no_commands_and_pays_no_rewards(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, coins_per_level_up=10)
    ada = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    assert not (await alice.slash("balance")).ephemeral
    await ada.slash("plugins disable", name="economy")
    with pytest.raises(CommandNotFound):
        await alice.slash("daily")
    if gk.bot.hooks.has_hook("leveling_level_changed"):
        await gk.bot.hooks.call(
            "leveling_level_changed", guild_id=guild.id, runtime=gk.bot, user_id=alice.id, old_level=0, new_level=5
        )
    assert (await service.peek(guild.id, alice.id)).wallet == 100
    await ada.slash("plugins enable", name="economy")
    assert "100" in (await alice.slash("balance")).embed["fields"][0]["value"]


@pytest.mark.gk_sqlite_only
async def test_global_scope_gate_answers_disabled(gk) -> None:
    await gk.start(bot={"command_scope": "global"})
    guild = await gk.guild(plugins=[])
    alice = await guild.member("alice")
    reply = await alice.slash("balance")
    assert reply.ephemeral and "/plugins enable economy" in reply.content
    assert await service.peek(guild.id, alice.id) is None
