"""The world model without a client: permission math, snowflakes, route templates, events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from guildkit.core import clock
from guildkit.core.testing.emulator import DiscordEmulator, permissions
from guildkit.core.testing.emulator.faults import compile_route
from guildkit.core.testing.emulator.models import Overwrite
from guildkit.core.testing.emulator.snowflakes import SnowflakeGenerator, snowflake_time
from guildkit.core.testing.emulator.world import World

P = permissions.FLAGS


def test_permission_math_roles_admin_owner_and_overwrites() -> None:
    world = World()
    guild = world.create_guild("G", everyone_permissions=P["VIEW_CHANNEL"] | P["SEND_MESSAGES"])
    user = world.create_user("alice")
    helper = world.create_role(guild, "Helper", permissions=P["MANAGE_MESSAGES"])
    member = world.add_member(guild, user, roles=[helper.id])
    base = permissions.base_permissions(guild, member)
    assert base & P["MANAGE_MESSAGES"] and base & P["SEND_MESSAGES"] and not base & P["BAN_MEMBERS"]

    channel = world.create_channel(guild, "quiet")
    channel.overwrites[guild.id] = Overwrite(guild.id, 0, deny=P["SEND_MESSAGES"])
    assert not permissions.channel_permissions(guild, member, channel) & P["SEND_MESSAGES"]
    channel.overwrites[helper.id] = Overwrite(helper.id, 0, allow=P["SEND_MESSAGES"])
    assert permissions.channel_permissions(guild, member, channel) & P["SEND_MESSAGES"]
    channel.overwrites[user.id] = Overwrite(user.id, 1, deny=P["VIEW_CHANNEL"])
    assert permissions.channel_permissions(guild, member, channel) == 0

    owner = guild.members[guild.owner_id]
    assert permissions.channel_permissions(guild, owner, channel) == permissions.ALL
    admin = world.create_role(guild, "Admin", permissions=P["ADMINISTRATOR"])
    member.roles.append(admin.id)
    assert permissions.channel_permissions(guild, member, channel) == permissions.ALL


def test_permission_names_and_ints() -> None:
    assert permissions.to_bits(["ban_members", "KICK_MEMBERS"]) == P["BAN_MEMBERS"] | P["KICK_MEMBERS"]
    assert permissions.to_bits("MANAGE_SERVER") == P["MANAGE_GUILD"]
    assert permissions.to_bits(8) == P["ADMINISTRATOR"]
    with pytest.raises(ValueError, match="unknown Discord permission"):
        permissions.flag("FLY")


def test_timed_out_members_keep_only_read_access() -> None:
    manual = clock.ManualClock(datetime(2030, 1, 1, tzinfo=UTC))
    previous = clock.use(manual)
    try:
        world = World()
        guild = world.create_guild("G")
        member = world.add_member(guild, world.create_user("bob"))
        channel = world.channel(guild.system_channel_id)
        world.update_member(guild, member, communication_disabled_until=manual.now() + timedelta(hours=1))
        assert not permissions.channel_permissions(guild, member, channel) & P["SEND_MESSAGES"]
        manual.advance(hours=2)
        assert permissions.channel_permissions(guild, member, channel) & P["SEND_MESSAGES"]
    finally:
        clock.use(previous)


def test_snowflakes_follow_the_clock_and_never_repeat() -> None:
    moment = datetime(2031, 5, 4, 3, 2, 1, tzinfo=UTC)
    previous = clock.use(clock.ManualClock(moment))
    try:
        gen = SnowflakeGenerator()
        ids = [gen.next() for _ in range(5000)]  # far more than one millisecond's increment space
        assert len(set(ids)) == 5000 and ids == sorted(ids)
        assert abs(snowflake_time(ids[0]) - moment) < timedelta(milliseconds=1)
    finally:
        clock.use(previous)


def test_route_templates() -> None:
    method, pattern = compile_route("POST /channels/{id}/messages")
    assert method == "POST"
    assert pattern.search("/channels/123/messages") and not pattern.search("/channels/123/messages/9")
    method, pattern = compile_route("/api/v10/users/@me")
    assert method is None and pattern.search("/users/@me")


def test_roles_default_below_the_bot_and_world_events_are_emitted() -> None:
    world = World()
    sent: list[str] = []
    world.emit = lambda event, data, guild_id: sent.append(event)
    guild = world.create_guild("G")
    bot_role = guild.roles[guild.bot_role_id]
    role = world.create_role(guild, "Mods")
    assert role.position < bot_role.position
    assert sent == ["GUILD_CREATE", "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE"]  # the bot role moved up


async def test_create_guild_before_the_bot_connects_needs_no_session() -> None:
    emu = DiscordEmulator()
    guild = emu.create_guild("Offline")
    alice = await guild.member("alice")  # no server running, nobody connected: nothing to flush
    assert [m.name for m in guild.members] == ["offline-owner", "GuildkitBot", "alice"]
    assert alice.permissions & P["SEND_MESSAGES"]
    assert guild.channel("general").name == "general"
    with pytest.raises(LookupError, match="channels: \\['general'\\]"):
        guild.channel("nope")
