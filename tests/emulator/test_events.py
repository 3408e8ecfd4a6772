"""Gateway events the bot receives for what members do, and the bot's own REST actions."""

from __future__ import annotations

import asyncio

import interactions
import pytest
from interactions.client.errors import Forbidden

from guildkit.core.testing.emulator import DiscordEmulator, Upload

from .conftest import Recorder, make_client, run_client

EVENTS = (
    "message_create",
    "message_update",
    "message_delete",
    "message_delete_bulk",
    "message_reaction_add",
    "message_reaction_remove",
    "member_add",
    "member_remove",
    "member_update",
    "voice_user_join",
    "voice_user_leave",
    "voice_state_update",
    "guild_join",
    "guild_left",
    "role_create",
    "role_update",
    "ban_create",
    "ban_remove",
)


@pytest.fixture
async def world(emu: DiscordEmulator):
    guild = emu.create_guild("Events")
    client = make_client()
    rec = Recorder(client, *EVENTS)
    async with run_client(emu, client):
        yield guild, client, rec


async def test_member_messages_reach_the_bot_with_attachments(world) -> None:
    guild, _, rec = world
    alice = await guild.member("alice")
    msg = await alice.say("hello <@123>", files=[Upload("a.txt", b"hi", "text/plain")])
    event = await rec.wait("message_create", lambda e: e.message.id == msg.id)
    assert event.message.content == "hello <@123>"
    assert event.message.author.id == alice.id
    assert event.message.guild.id == guild.id
    assert event.message.attachments[0].filename == "a.txt"
    assert event.message.attachments[0].size == 2


async def test_edit_delete_and_reactions_arrive_as_events(world) -> None:
    guild, _, rec = world
    alice = await guild.member("alice")
    msg = await alice.say("first")
    await alice.edit(msg, "second")
    update = await rec.wait("message_update", lambda e: e.after.id == msg.id)
    assert update.after.content == "second" and update.after.edited_timestamp is not None

    await alice.react(msg, "👍")
    added = await rec.wait("message_reaction_add")
    assert str(added.emoji) == "👍" and added.author.id == alice.id
    await alice.unreact(msg, "👍")
    removed = await rec.wait("message_reaction_remove")
    assert removed.author.id == alice.id

    await alice.delete(msg)
    deleted = await rec.wait("message_delete")
    assert deleted.message.id == msg.id
    assert guild.messages() == []


async def test_bot_messages_edits_reactions_and_bulk_delete(world, emu: DiscordEmulator) -> None:
    guild, client, rec = world
    channel = await client.fetch_channel(guild.channel("general").id)
    sent = await channel.send("from the bot", embeds=[interactions.Embed(title="T")])
    assert guild.bot_messages()[0].embeds[0]["title"] == "T"
    await sent.edit(content="edited")
    assert guild.bot_messages()[0].content == "edited"
    await sent.add_reaction("🎉")
    alice = await guild.member("alice")
    await alice.react(guild.bot_messages()[0], "🎉")
    users = await sent.fetch_reaction("🎉")
    assert {u.id for u in users} == {emu.bot_user_id, alice.id}
    await sent.remove_reaction("🎉", alice.id)
    assert [len(r.user_ids) for r in guild.bot_messages()[0].reactions] == [1]

    second = await channel.send("two")
    history = await channel.fetch_messages(limit=10)
    assert [m.id for m in history] == [second.id, sent.id]  # newest first
    await channel.delete_messages([sent, second])
    bulk = await rec.wait("message_delete_bulk")
    assert {int(i) for i in bulk.ids} == {sent.id, second.id}  # the library leaves them as strings
    assert guild.bot_messages() == []


async def test_nonce_dedupes_the_bots_message(world, emu: DiscordEmulator) -> None:
    guild, client, _ = world
    channel_id = guild.channel("general").id
    payload = {"content": "once", "nonce": "abc-1", "enforce_nonce": True}
    first = await client.http.create_message(payload, channel_id)
    second = await client.http.create_message(payload, channel_id)
    assert first["id"] == second["id"]
    assert [m.content for m in guild.bot_messages()] == ["once"]
    without_enforce = await client.http.create_message({"content": "twice", "nonce": "abc-1"}, channel_id)
    assert without_enforce["id"] != first["id"]


async def test_dms_to_members_and_closed_dms(world) -> None:
    guild, client, rec = world
    alice = await guild.member("alice")
    user = await client.fetch_user(alice.id)
    await user.send("welcome!")
    await user.send("again")
    assert [m.content for m in alice.dms()] == ["welcome!", "again"]
    assert len({m.channel_id for m in alice.dms()}) == 1  # one DM channel per user

    hermit = await guild.member("hermit", dms_closed=True)
    with pytest.raises(Forbidden) as err:
        await (await client.fetch_user(hermit.id)).send("hi")
    assert err.value.code == 50007

    incoming = await alice.say_dm("hello bot")
    event = await rec.wait("message_create", lambda e: e.message.id == incoming.id)
    assert event.message.guild is None and event.message.content == "hello bot"


async def test_member_join_update_leave(world) -> None:
    guild, client, rec = world
    alice = await guild.member("alice")
    added = await rec.wait("member_add")
    assert added.member.id == alice.id and added.guild_id == guild.id
    vip = guild.add_role("VIP")
    await alice.add_role(vip)
    updated = await rec.wait("member_update", lambda e: vip.id in [r.id for r in e.after.roles])
    assert updated.after.id == alice.id
    await alice.leave_guild()
    removed = await rec.wait("member_remove")
    assert removed.member.id == alice.id
    assert client.get_guild(guild.id).member_count == 2


async def test_voice_join_and_leave(world) -> None:
    guild, client, rec = world
    guild.add_channel("voice-1", kind="voice")
    alice = await guild.member("alice")
    await alice.join_voice("voice-1", self_mute=True)
    joined = await rec.wait("voice_user_join")
    assert joined.author.id == alice.id and joined.channel.name == "voice-1"
    assert client.get_guild(guild.id).get_channel(guild.channel("voice-1").id).voice_members[0].id == alice.id
    await alice.leave_voice()
    left = await rec.wait("voice_user_leave")
    assert left.author.id == alice.id


async def test_guild_create_and_delete_for_bot_membership(world, emu: DiscordEmulator) -> None:
    _, client, rec = world
    late = emu.create_guild("Late")
    joined = await rec.wait("guild_join", lambda e: e.guild_id == late.id)
    assert joined.guild.name == "Late"
    await emu.remove_bot_from_guild(late)
    left = await rec.wait("guild_left", lambda e: e.guild_id == late.id)
    assert left.guild.name == "Late"
    assert client.get_guild(late.id) is None
    await emu.add_bot_to_guild(late)
    await rec.wait("guild_join", lambda e: e.guild_id == late.id and client.get_guild(late.id) is not None)


async def test_roles_and_bans_as_events(world) -> None:
    guild, _, rec = world
    role = guild.add_role("Fresh", ["SEND_MESSAGES"])
    created = await rec.wait("role_create")
    assert created.role.id == role.id
    await role.edit(name="Renamed")
    await rec.wait("role_update", lambda e: e.after.name == "Renamed")
    troll = await guild.member("troll")
    await guild.ban(troll, reason="spam")
    ban = await rec.wait("ban_create")
    assert ban.user.id == troll.id
    await rec.wait("member_remove", lambda e: e.member.id == troll.id)
    await guild.unban(troll)
    await rec.wait("ban_remove")


async def test_without_privileged_intents_content_and_members_are_hidden(emu: DiscordEmulator) -> None:
    guild = emu.create_guild()
    await guild.member("alice")
    client = make_client(intents=interactions.Intents.DEFAULT)
    rec = Recorder(client, "message_create", "member_add")
    async with run_client(emu, client):
        cached = client.get_guild(guild.id)
        assert [m.id for m in cached.members] == [emu.bot_user_id]  # only the bot, like Discord
        alice = guild.get_member("alice")
        await alice.say("secret words")
        event = await rec.wait("message_create")
        assert event.message.content == ""
        await alice.say(f"<@{emu.bot_user_id}> hello")  # a mention shows the content again
        mention = await rec.wait("message_create", lambda e: e.message.content != "")
        assert "hello" in mention.message.content
        await guild.member("bob")
        await emu.flush()
        assert rec.events["member_add"] == []


async def test_the_bot_joins_voice_with_op_4_and_gets_a_voice_server(world, emu: DiscordEmulator) -> None:
    guild, client, _ = world
    voice = guild.add_channel("voice-1", kind="voice")
    servers = Recorder(client, "raw_voice_server_update", "raw_voice_state_update")
    await client.get_guild_websocket(guild.id).voice_state_update(guild.id, voice.id, muted=False, deafened=True)
    server = await servers.wait("raw_voice_server_update")
    state = await servers.wait("raw_voice_state_update")
    assert server.data["guild_id"] == str(guild.id)
    assert (server.data["token"], server.data["endpoint"]) == emu.world.voice_servers[guild.id]
    assert state.data["channel_id"] == str(voice.id) and state.data["self_deaf"] is True
    assert state.data["session_id"]
    assert guild.bot.voice_channel is not None and guild.bot.voice_channel.id == voice.id

    await client.get_guild_websocket(guild.id).voice_state_update(guild.id, None)
    await servers.wait("raw_voice_state_update", lambda e: e.data["channel_id"] is None)
    assert guild.bot.voice_channel is None


async def test_the_bot_cannot_join_a_channel_it_may_not_connect_to(world, emu: DiscordEmulator) -> None:
    guild, client, _ = world
    locked = guild.add_channel("locked", kind="voice")
    await locked.set_permissions(guild.everyone, deny=["CONNECT"])
    await client.get_guild_websocket(guild.id).voice_state_update(guild.id, locked.id)
    async with asyncio.timeout(5):
        while (guild.id, locked.id) not in emu.world.voice_refusals:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    assert guild.bot.voice_channel is None
    assert guild.id not in emu.world.voice_servers


async def test_members_deafen_themselves_in_voice(world) -> None:
    guild, _, rec = world
    guild.add_channel("voice-1", kind="voice")
    alice = await guild.member("alice")
    await alice.join_voice("voice-1")
    await alice.deafen()
    update = await rec.wait("voice_state_update", lambda e: e.after is not None and e.after.self_deaf)
    assert update.after.member.id == alice.id
    await alice.deafen(False)
    await rec.wait("voice_state_update", lambda e: e.after is not None and not e.after.self_deaf)
