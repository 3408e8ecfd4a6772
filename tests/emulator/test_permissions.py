"""Discord's permission checks and error codes as the bot meets them through interactions.py."""

from __future__ import annotations

from datetime import timedelta

import interactions
import pytest
from interactions.client.const import GLOBAL_SCOPE
from interactions.client.errors import Forbidden, HTTPException, NotFound

from guildkit.core import clock
from guildkit.core.testing.emulator import DiscordEmulator

from .conftest import make_client, run_client


@pytest.fixture
async def bot(emu: DiscordEmulator):
    guild = emu.create_guild("Perms")
    async with run_client(emu, make_client()) as client:
        yield guild, client


async def _member(client: interactions.Client, guild_id: int, user_id: int) -> interactions.Member:
    return await client.fetch_member(user_id, guild_id, force=True)


async def test_bot_can_moderate_members_below_it(bot) -> None:
    guild, client = bot
    bob = await guild.member("bob")
    carol = await guild.member("carol")
    member = await _member(client, guild.id, bob.id)
    await member.timeout(clock.now() + timedelta(hours=1))
    assert bob.timed_out_until is not None
    await member.timeout(None)
    assert bob.timed_out_until is None
    role = guild.add_role("Muted")
    await member.add_role(role.id)
    assert bob.role_names == ["Muted"]
    await (await _member(client, guild.id, carol.id)).kick()
    assert not carol.in_guild
    await member.ban(reason="spam")
    assert guild.bans == {bob.id: "spam"} and not bob.in_guild


async def test_hierarchy_owner_and_admin_are_protected(bot) -> None:
    guild, client = bot
    boss = await guild.member("boss", roles=[guild.add_role("Boss", position=guild.bot_role.position)])
    admin = await guild.member("admin", admin=True)
    for target, action in (
        (boss, lambda m: m.ban()),
        (boss, lambda m: m.kick()),
        (boss, lambda m: m.timeout(clock.now() + timedelta(minutes=5))),
        (guild.owner, lambda m: m.kick()),
        (admin, lambda m: m.timeout(clock.now() + timedelta(minutes=5))),
    ):
        member = await _member(client, guild.id, target.id)
        with pytest.raises(Forbidden) as err:
            await action(member)
        assert err.value.code == 50013 and err.value.status == 403
    assert boss.in_guild and guild.bans == {}


async def test_missing_permission_and_roles_above_the_bot(emu: DiscordEmulator) -> None:
    guild = emu.create_guild("Weak", bot_permissions=["SEND_MESSAGES", "VIEW_CHANNEL", "MANAGE_ROLES"])
    high = guild.add_role("High", position=guild.bot_role.position + 1)
    low = guild.add_role("Low")
    async with run_client(emu, make_client()) as client:
        bob = await guild.member("bob")
        member = await _member(client, guild.id, bob.id)
        with pytest.raises(Forbidden) as err:
            await member.ban()
        assert err.value.code == 50013
        with pytest.raises(Forbidden):
            await member.add_role(high.id)
        await member.add_role(low.id)
        assert bob.role_names == ["Low"]
        with pytest.raises(Forbidden):  # cannot grant permissions it does not have
            await client.get_guild(guild.id).create_role(name="x", permissions=interactions.Permissions.BAN_MEMBERS)


async def test_timeout_longer_than_28_days_is_invalid_form_body(bot) -> None:
    guild, client = bot
    bob = await guild.member("bob")
    member = await _member(client, guild.id, bob.id)
    with pytest.raises(HTTPException) as err:
        await member.timeout(clock.now() + timedelta(days=29))
    assert err.value.status == 400 and err.value.code == 50035
    assert "communication_disabled_until" in err.value.errors


async def test_timeouts_follow_the_guildkit_clock(bot) -> None:
    guild, client = bot
    manual = clock.ManualClock()
    previous = clock.use(manual)
    try:
        bob = await guild.member("bob")
        member = await _member(client, guild.id, bob.id)
        await member.timeout(manual.now() + timedelta(minutes=10))
        assert bob.timed_out_until is not None
        manual.advance(minutes=11)
        assert bob.timed_out_until is None
    finally:
        clock.use(previous)


async def test_unknown_ids_have_discords_codes(bot, emu: DiscordEmulator) -> None:
    guild, client = bot
    http = client.http
    bob = await guild.member("bob")
    general = guild.channel("general").id
    cases = [
        (lambda: http.get_channel(1), 10003),
        (lambda: http.get_guild(1), 10004),
        (lambda: http.get_member(guild.id, emu.bot_user_id + 10**6), 10013),
        (lambda: http.get_message(general, 1), 10008),
        (lambda: http.get_user(1), 10013),
        (lambda: http.add_guild_member_role(guild.id, bob.id, 1), 10011),
        (lambda: http.remove_guild_ban(guild.id, bob.id), 10026),
        (lambda: http.delete_application_command(emu.application_id, GLOBAL_SCOPE, 1), 10063),
        (lambda: http.post_initial_response({"type": 4, "data": {"content": "x"}}, 1, "nope"), 10062),
    ]
    for call, code in cases:
        with pytest.raises(NotFound) as err:
            await call()
        assert err.value.code == code, (code, err.value)
    await guild.member("gone")
    gone = guild.get_member("gone")
    await gone.leave_guild()
    with pytest.raises(NotFound) as err:
        await http.get_member(guild.id, gone.id)
    assert err.value.code == 10007


async def test_channel_overwrites_deny_the_bot(bot) -> None:
    guild, client = bot
    locked = guild.add_channel("locked")
    await locked.set_permissions(guild.bot_role, deny=["SEND_MESSAGES"])
    channel = await client.fetch_channel(locked.id)
    with pytest.raises(Forbidden) as err:
        await channel.send("hello")
    assert err.value.code == 50013
    hidden = guild.add_channel("hidden")
    await hidden.set_permissions(guild.everyone, deny=["VIEW_CHANNEL"])
    with pytest.raises(Forbidden) as err:
        await client.http.create_message({"content": "x"}, hidden.id)
    assert err.value.code == 50001
