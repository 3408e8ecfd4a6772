"""Level-ups pay coins through economy's API where economy is on (once per level, never twice),
and nothing where it is off; leveling works the same either way."""

import pytest

from guildkit.core.state import PluginUnavailable
from guildkit.core.testing.harness import eventually
from guildkit.plugins.economy import service as economy
from guildkit.plugins.economy.api import EconomyAPI
from guildkit.plugins.economy.models import LedgerEntry


async def _true(value: bool) -> bool:
    return value


async def test_level_ups_pay_coins_once_per_level_where_economy_is_on(gk, lv) -> None:
    guild = await gk.guild(plugins=["economy", "leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await admin.slash("config set", plugin="economy", key="coins_per_level_up", value="25")

    await admin.slash("xp set", member=alice.id, amount=255)  # level 0 -> 2: two levels
    assert (await economy.peek(guild.id, alice.id)).wallet == 100 + 50
    await admin.slash("xp set", member=alice.id, amount=475)  # level 3
    assert (await economy.peek(guild.id, alice.id)).wallet == 175
    await admin.slash("xp remove", member=alice.id, amount=300)  # level 1: demotions pay nothing
    await admin.slash("xp set", member=alice.id, amount=475)  # back to 3: already paid
    assert (await economy.peek(guild.id, alice.id)).wallet == 175
    entries = await LedgerEntry.filter(kind="levelup").order_by("id")
    assert [e.reason for e in entries] == ["reached level 1", "reached level 2", "reached level 3"]

    # Levels earned by chatting pay the same way, after the flush that makes them durable.
    await lv.configure(guild, admin, xp_min=500, xp_max=500)
    await lv.say(alice, "hello")  # 975 XP: level 4
    await lv.flush()
    assert (await economy.peek(guild.id, alice.id)).wallet == 200


async def test_level_ups_pay_nothing_where_economy_is_off(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    with pytest.raises(PluginUnavailable):
        await gk.bot.api(EconomyAPI).reward_level_up(guild.id, alice.id, 0, 2)
    reply = await admin.slash("xp set", member=alice.id, amount=255)
    assert "(level 2)" in reply.content
    assert (await lv.row(guild, alice)).level == 2
    await admin.slash("xp set", member=alice.id, amount=470)
    await lv.say(alice, "level three")  # a level-up by chatting is still announced
    await eventually(lambda: _true(any("reached level **3**" in m.content for m in guild.bot_messages())))
    assert await economy.peek(guild.id, alice.id) is None
    assert not await LedgerEntry.filter(kind="levelup").exists()
