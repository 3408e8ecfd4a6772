"""Economy off in a server: its commands are gone there, and other plugins cannot pay through it."""

import pytest

from guildkit.core.state import PluginUnavailable
from guildkit.core.testing.emulator.driver import CommandNotFound
from guildkit.core.testing.harness import eventually
from guildkit.plugins.economy import service
from guildkit.plugins.economy.api import EconomyAPI


async def test_disabled_economy_has_no_commands_and_pays_no_rewards(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, coins_per_level_up=10)
    ada = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    assert not (await alice.slash("balance")).ephemeral
    await ada.slash("plugins disable", name="economy")
    refused = await alice.slash("daily")  # still registered for the grace period, and gated
    assert refused.ephemeral and "The **economy** plugin is disabled in this server." in refused.content
    gk.clock.advance(hours=24)

    async def removed() -> bool:
        return "daily" not in {c["name"] for c in gk.emulator.commands(guild)}

    await eventually(removed)
    with pytest.raises(CommandNotFound):
        await alice.slash("daily")
    with pytest.raises(PluginUnavailable):  # leveling's level-up reward is refused there
        await gk.bot.api(EconomyAPI).reward_level_up(guild.id, alice.id, 0, 5)
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
