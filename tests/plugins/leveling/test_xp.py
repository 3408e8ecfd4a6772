"""XP for messages: cooldown, range, multipliers, no-XP channels and roles, the gate, /rank."""

import asyncio
import random

import pytest

from guildkit.core.testing.emulator.driver import CommandNotFound
from guildkit.plugins.leveling.hooks import engine


async def test_messages_earn_xp_once_per_cooldown(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    alice = await guild.member("alice")
    # Amounts are drawn from 15-25: a seeded source makes them known in advance.
    engine(gk.bot).rng = random.Random(11)
    expected = random.Random(11)
    first_amount, second_amount = expected.randint(15, 25), expected.randint(15, 25)
    await lv.say(alice, "hello")
    first = await lv.xp(guild, alice)
    assert first == first_amount
    await lv.say(alice, "again, too soon")
    assert await lv.xp(guild, alice) == first
    gk.clock.advance(seconds=59)
    await lv.say(alice, "still too soon")
    assert await lv.xp(guild, alice) == first
    gk.clock.advance(seconds=1)
    await lv.say(alice, "now")
    second = await lv.xp(guild, alice)
    assert second == first_amount + second_amount
    row = await lv.row(guild, alice)
    assert row.messages == 4


async def test_range_and_multipliers_combine(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    vip = guild.add_role("VIP")
    muted = guild.add_role("NoXP")
    quiet = guild.add_channel("quiet")
    double = guild.add_channel("double")
    await lv.configure(guild, admin, xp_min=10, xp_max=10, cooldown_seconds=0, server_multiplier=2)
    await admin.slash("config set", plugin="leveling", key="channel_multiplier", value="3", channel=double.id)
    await admin.slash("config set", plugin="leveling", key="xp_enabled", value="false", channel=quiet.id)
    reply = await admin.slash("xp role-multiplier", role=vip.id, multiplier=1.5)
    assert "x1.5" in reply.text
    await admin.slash("xp role-multiplier", role=muted.id, multiplier=0)

    bob = await guild.member("bob", roles=[vip])
    carl = await guild.member("carl", roles=[vip, muted])
    await lv.say(bob, "in general")  # 10 * 2 (server) * 1.5 (role) = 30
    assert await lv.xp(guild, bob) == 30
    await lv.say(bob, "in double", double)  # 10 * 2 * 3 * 1.5 = 90
    assert await lv.xp(guild, bob) == 120
    await lv.say(bob, "in quiet", quiet)
    assert await lv.xp(guild, bob) == 120
    await lv.say(carl, "no-XP role wins")
    assert await lv.xp(guild, carl) == 0
    assert (await lv.row(guild, bob)).messages == 3


async def test_disabled_guild_gets_nothing(gk, lv) -> None:
    guild = await gk.guild(plugins=[])
    alice = await guild.member("alice")
    await alice.say("hello")
    await asyncio.sleep(0.2)
    assert await lv.xp(guild, alice) == 0
    with pytest.raises(CommandNotFound):
        await alice.slash("rank")
    assert guild.bot_messages() == []


async def test_rank_shows_level_and_card(gk, lv) -> None:
    from io import BytesIO

    from PIL import Image

    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await admin.slash("xp set", member=alice.id, amount=4675)
    reply = await alice.slash("rank")
    assert "Level 10" in reply.content and "4,675 XP" in reply.content and "rank #1" in reply.content
    assert len(reply.attachments) == 1
    image = Image.open(BytesIO(reply.attachments[0].bytes))
    assert image.format == "PNG" and image.size == (800, 200)

    custom = await alice.slash("rankcard", primary="#ff0000", background="00ff00")
    assert "primary #ff0000" in custom.content and "background #00ff00" in custom.content
    image = Image.open(BytesIO((await alice.slash("rank")).attachments[0].bytes)).convert("RGB")
    assert image.getpixel((400, 5)) == (0, 255, 0)
    bad = await alice.slash("rankcard", primary="red")
    assert bad.ephemeral and "not a colour" in bad.content

    await lv.configure(guild, admin, rank_card="text")
    text = await alice.slash("rank", member=admin.id)
    assert "**ada** — Level 0 · 0 XP" in text.content and not text.attachments


async def test_global_commands_are_refused_where_leveling_is_off(gk, lv) -> None:
    await gk.start(bot={"command_scope": "global"})
    off = await gk.guild("Off", plugins=[])
    on = await gk.guild("On", plugins=["leveling"])
    alice_off = await off.member("alice")
    refused = await alice_off.slash("rank")
    assert refused.ephemeral and "disabled in this server" in refused.content
    alice_on = await on.member("alice")
    await lv.say(alice_on, "hello")
    await alice_off.say("hello")
    assert "Level 0" in (await alice_on.slash("rank")).content
    assert await lv.xp(on, alice_on) > 0 and await lv.xp(off, alice_off) == 0
