"""The rest of the REST surface (command CRUD, guild objects, files) and driver corners."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import interactions
import pytest
from interactions import (
    ContextMenuContext,
    SlashContext,
    context_menu,
    slash_command,
)
from interactions.client.const import GLOBAL_SCOPE
from interactions.client.errors import Forbidden, HTTPException, NotFound

from guildkit.core import clock
from guildkit.core.testing.emulator import DiscordEmulator, NoResponse, permissions

from .conftest import Recorder, make_client, run_client


async def test_command_crud_per_scope(emu: DiscordEmulator) -> None:
    guild = emu.create_guild()
    async with run_client(emu, make_client()) as client:
        http, app = client.http, emu.application_id
        created = await http.create_application_command(app, {"name": "hello", "description": "Hi"}, guild.id)
        assert created["guild_id"] == str(guild.id) and created["type"] == 1
        again = await http.create_application_command(app, {"name": "hello", "description": "Hi again"}, guild.id)
        assert again["id"] == created["id"]  # POST with an existing name updates it
        listed = await http.get_application_commands(app, guild.id)
        assert [c["description"] for c in listed] == ["Hi again"]
        await http.delete_application_command(app, guild.id, created["id"])
        assert await http.get_application_commands(app, guild.id) == []
        with pytest.raises(HTTPException) as err:
            await http.overwrite_application_commands(app, [{"name": "Bad Name", "description": "x"}], GLOBAL_SCOPE)
        assert err.value.code == 50035
        with pytest.raises(HTTPException) as err:
            await http.overwrite_application_commands(
                app,
                [
                    {
                        "name": "order",
                        "description": "x",
                        "options": [
                            {"name": "a", "description": "a", "type": 3},
                            {"name": "b", "description": "b", "type": 3, "required": True},
                        ],
                    }
                ],
                GLOBAL_SCOPE,
            )
        assert err.value.code == 50035
        assert "_errors" in err.value.errors["0"]["options"]["1"]["required"]  # Discord's nesting
    assert emu.bulk_overwrites() == 0  # refused overwrites are not counted


async def test_guild_objects_over_rest_emit_events(emu: DiscordEmulator) -> None:
    guild = emu.create_guild("Rest")
    client = make_client()
    rec = Recorder(client, "member_update", "role_create", "role_delete", "ban_create", "ban_remove", "channel_create")
    async with run_client(emu, client):
        http = client.http
        bob = await guild.member("bob")
        fetched = await http.get_guild(guild.id, with_counts=True)
        assert fetched["approximate_member_count"] == 3
        assert {c["name"] for c in await http.get_guild_channels(guild.id)} == {"general"}
        members = await http.list_members(guild.id, limit=10)
        assert {m["user"]["username"] for m in members} == {"rest-owner", "bob", "GuildkitBot"}

        await http.modify_guild_member(guild.id, bob.id, nickname="Bobby")
        await rec.wait("member_update", lambda e: e.after.nick == "Bobby")
        assert bob.nick == "Bobby"

        role = await http.create_guild_role(guild.id, {"name": "Made by bot", "permissions": "0"})
        await rec.wait("role_create", lambda e: e.role.name == "Made by bot")
        await http.add_guild_member_role(guild.id, bob.id, role["id"])
        assert bob.role_names == ["Made by bot"]
        await http.delete_guild_role(guild.id, role["id"])
        await rec.wait("role_delete")
        assert bob.role_names == []

        await http.create_guild_ban(guild.id, bob.id, reason="rude")
        await rec.wait("ban_create")
        assert guild.bans == {bob.id: "rude"}
        assert [b["user"]["id"] for b in await http.get_guild_bans(guild.id)] == [str(bob.id)]
        await http.remove_guild_ban(guild.id, bob.id)
        await rec.wait("ban_remove")
        with pytest.raises(NotFound):
            await http.get_guild_ban(guild.id, bob.id)

        with pytest.raises(Forbidden):  # the default bot role lacks MANAGE_CHANNELS
            await http.create_guild_channel(guild.id, "logs", interactions.ChannelType.GUILD_TEXT)
        await guild.bot_role.edit(permissions=guild.bot_role.permissions | permissions.flag("MANAGE_CHANNELS"))
        created = await http.create_guild_channel(guild.id, "logs", interactions.ChannelType.GUILD_TEXT)
        await rec.wait("channel_create")
        assert guild.channel("logs").id == int(created["id"])

        with pytest.raises(HTTPException) as err:  # mute needs the member in voice
            await http.modify_guild_member(guild.id, guild.owner.id, mute=True)
        assert err.value.code in (40032, 50013)


async def test_bot_uploads_files_to_a_channel(emu: DiscordEmulator) -> None:
    guild = emu.create_guild()
    async with run_client(emu, make_client()) as client:
        channel = await client.fetch_channel(guild.channel("general").id)
        await channel.send(
            "report", file=interactions.File(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 10), file_name="chart.png")
        )
        (msg,) = guild.bot_messages()
        (att,) = msg.attachments
        assert (att.filename, att.content_type, att.size) == ("chart.png", "image/png", 18)
        assert att.data.startswith(b"\x89PNG")


@slash_command(name="cleanup", description="Answers, then deletes the answer")
async def cleanup(ctx: SlashContext) -> None:
    await ctx.send("temporary")
    await ctx.delete()
    msg = await ctx.send("private note", ephemeral=True)
    await ctx.edit(msg, content="private note (edited)")


@context_menu(name="Inspect", context_type=interactions.CommandType.USER)
async def inspect_user(ctx: ContextMenuContext) -> None:
    await ctx.send(f"inspected {ctx.target.username}")


@context_menu(name="Quote", context_type=interactions.CommandType.MESSAGE)
async def quote(ctx: ContextMenuContext) -> None:
    await ctx.send(f"> {ctx.target.content}")


gate = asyncio.Event()


@slash_command(name="dawdle", description="Answers only after the test says so")
async def dawdle(ctx: SlashContext) -> None:
    await gate.wait()
    try:
        await ctx.send("too late?")
    except NotFound as exc:
        ctx.client.late_error = exc.code


async def test_delete_original_and_edit_ephemeral_followup(emu: DiscordEmulator) -> None:
    guild = emu.create_guild()
    async with run_client(emu, make_client(commands=[cleanup])):
        alice = await guild.member("alice")
        reply = await alice.slash("cleanup")
        (note,) = await reply.wait_for_followups(1)
        await emu.wait_for(lambda: note.content == "private note (edited)", what="the follow-up edit")
        assert reply.deleted
        assert note.ephemeral and note.content == "private note (edited)"
        assert guild.bot_messages() == []  # deleted + ephemeral: nothing visible in the channel


async def test_context_menus(emu: DiscordEmulator) -> None:
    guild = emu.create_guild()
    async with run_client(emu, make_client(commands=[inspect_user, quote])):
        alice = await guild.member("alice")
        bob = await guild.member("bob")
        assert (await alice.user_command("Inspect", bob)).content == "inspected bob"
        msg = await bob.say("famous words")
        assert (await alice.message_command("Quote", msg)).content == "> famous words"


async def test_answer_after_three_seconds_is_unknown_interaction(emu: DiscordEmulator) -> None:
    # The deadline is real elapsed time: moving guildkit's clock does not expire it...
    manual = clock.ManualClock()
    previous = clock.use(manual)
    gate.clear()
    try:
        guild = emu.create_guild()
        client = make_client(commands=[dawdle])
        async with run_client(emu, client):
            alice = await guild.member("alice")
            manual.advance(seconds=3.5)
            gate.set()
            assert (await alice.slash("dawdle")).content == "too late?"
            # ...a bot that stalls past it in real time gets 10062 (a short deadline keeps this fast).
            emu.interaction_deadline = 0.2
            gate.clear()
            pending = asyncio.create_task(alice.slash("dawdle", timeout=0.5))
            await emu.wait_for(lambda: len(emu.world.interactions) == 2)
            await asyncio.sleep(0.3)  # the bot forgot to defer
            gate.set()
            with pytest.raises(NoResponse):
                await pending
            await emu.wait_for(lambda: getattr(client, "late_error", None) is not None)
            assert client.late_error == 10062
            assert emu.late_callbacks == 1
    finally:
        clock.use(previous)


async def test_heartbeats_are_acknowledged() -> None:
    emu = DiscordEmulator(heartbeat_interval=40)
    await emu.start()
    try:
        emu.create_guild()
        async with run_client(emu, make_client()):
            await emu.wait_for_identify()
            await emu.wait_for(lambda: len(emu.gateway.heartbeats) >= 3, what="three heartbeats")
            assert len(emu.gateway.identifies) == 1 and emu.gateway.resumes == []  # no zombie reconnects
    finally:
        await emu.stop()


async def test_owner_reply_and_timeout_by_moderator(emu: DiscordEmulator) -> None:
    guild = emu.create_guild()
    client = make_client()
    rec = Recorder(client, "message_create", "member_update")
    async with run_client(emu, client):
        alice = await guild.member("alice", owner=True)
        assert guild.owner.id == alice.id
        bob = await guild.member("bob")
        first = await alice.say("question?")
        answer = await bob.say("answer!", reply_to=first)
        event = await rec.wait("message_create", lambda e: e.message.id == answer.id)
        assert event.message.message_reference.message_id == first.id
        await bob.timeout(timedelta(minutes=5))
        update = await rec.wait("member_update", lambda e: e.after.id == bob.id)
        assert update.after.communication_disabled_until is not None
        assert bob.timed_out_until is not None
