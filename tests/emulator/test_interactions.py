"""Slash commands with options, deferrals, follow-ups, components, autocomplete, modals and files."""

from __future__ import annotations

import asyncio
import io

import interactions
import pytest
from interactions import (
    AutocompleteContext,
    Button,
    ButtonStyle,
    ComponentContext,
    ModalContext,
    OptionType,
    SlashContext,
    StringSelectMenu,
    component_callback,
    modal_callback,
    slash_command,
    slash_option,
)

from guildkit.core.testing.emulator import (
    CommandNotPermitted,
    ComponentNotFound,
    DiscordEmulator,
    NoResponse,
    OptionError,
    Upload,
)

from .conftest import make_client, run_client


@slash_command(name="xp", description="XP", sub_cmd_name="add", sub_cmd_description="Give XP")
@slash_option("member", "Who", OptionType.USER, required=True)
@slash_option("amount", "How much", OptionType.INTEGER, required=True, min_value=1, max_value=100)
@slash_option("where", "Channel", OptionType.CHANNEL, required=False)
async def xp_add(
    ctx: SlashContext, member: interactions.Member, amount: int, where: interactions.GuildText | None = None
) -> None:
    place = f" in #{where.name}" if where else ""
    await ctx.send(f"{member.display_name} +{amount}{place} (roles: {len(member.roles)})")


@slash_command(
    name="xp",
    description="XP",
    group_name="admin",
    group_description="Admin tools",
    sub_cmd_name="reset",
    sub_cmd_description="Reset XP",
)
@slash_option("role", "Role", OptionType.ROLE, required=True)
@slash_option("hard", "Hard reset", OptionType.BOOLEAN, required=False)
async def xp_admin_reset(ctx: SlashContext, role: interactions.Role, hard: bool = False) -> None:
    await ctx.send(f"reset {role.name} hard={hard}", ephemeral=True)


@slash_command(name="slow", description="Deferred answer")
async def slow(ctx: SlashContext) -> None:
    await ctx.defer()
    await asyncio.sleep(0)
    await ctx.send("done thinking")
    await ctx.send("and one more thing")


@slash_command(name="secret", description="Ephemeral defer")
async def secret(ctx: SlashContext) -> None:
    await ctx.defer(ephemeral=True)
    await ctx.send("only you", embeds=[interactions.Embed(title="Hidden", description="shh")])


@slash_command(name="pager", description="Buttons")
async def pager(ctx: SlashContext) -> None:
    await ctx.send(
        "page 1",
        components=[
            Button(style=ButtonStyle.PRIMARY, label="Next", custom_id="pager:next"),
            Button(style=ButtonStyle.SECONDARY, label="Off", custom_id="pager:off", disabled=True),
            Button(style=ButtonStyle.LINK, label="Docs", url="https://example.invalid"),
        ],
    )


@component_callback("pager:next")
async def pager_next(ctx: ComponentContext) -> None:
    if ctx.author.username != "alice":
        await ctx.send("not your pager", ephemeral=True)
        return
    await ctx.edit_origin(content="page 2", components=[])


@slash_command(name="menu", description="Select")
async def menu(ctx: SlashContext) -> None:
    await ctx.send(
        "pick", components=StringSelectMenu("red", "green", "blue", custom_id="colour", placeholder="Colour")
    )


@component_callback("colour")
async def colour_picked(ctx: ComponentContext) -> None:
    await ctx.defer(edit_origin=True)
    await ctx.edit_origin(content=f"you picked {ctx.values[0]}", components=[])


@slash_command(name="tz", description="Timezone")
@slash_option("zone", "Zone", OptionType.STRING, required=True, autocomplete=True)
@slash_option("note", "Note", OptionType.STRING, required=False)
async def tz(ctx: SlashContext, zone: str, note: str = "") -> None:
    await ctx.send(zone)


@tz.autocomplete("zone")
async def tz_zone(ctx: AutocompleteContext) -> None:
    zones = ["Europe/Paris", "Europe/Berlin", "America/New_York"]
    typed = ctx.input_text
    await ctx.send([{"name": z, "value": z} for z in zones if z.startswith(typed) or typed.lower() in z.lower()])


@slash_command(name="feedback", description="Modal")
async def feedback(ctx: SlashContext) -> None:
    modal = interactions.Modal(
        interactions.ShortText(label="Title", custom_id="title"),
        interactions.ParagraphText(label="Body", custom_id="body", required=False),
        title="Feedback",
        custom_id="feedback_form",
    )
    await ctx.send_modal(modal)


@modal_callback("feedback_form")
async def feedback_submitted(ctx: ModalContext, **fields: str) -> None:
    await ctx.send(f"thanks for {ctx.responses['title']!r} ({len(ctx.responses['body'])} chars)")


@slash_command(name="export", description="Attachment")
async def export(ctx: SlashContext) -> None:
    await ctx.send("here", file=interactions.File(io.BytesIO(b"a,b\n1,2\n"), file_name="data.csv"))


@slash_command(
    name="purge", description="Mods only", default_member_permissions=interactions.Permissions.MANAGE_MESSAGES
)
async def purge(ctx: SlashContext) -> None:
    await ctx.send("purged")


@slash_command(name="silent", description="Never answers")
async def silent(ctx: SlashContext) -> None:
    return None


@slash_command(name="twice", description="Answers twice")
async def twice(ctx: SlashContext) -> None:
    await ctx.send("first")
    try:
        await ctx.client.http.post_initial_response({"type": 4, "data": {"content": "second"}}, ctx.id, ctx.token)
    except interactions.errors.HTTPException as exc:
        await ctx.send(f"second ack refused: {exc.status} {exc.code}")


ALL = [
    xp_add,
    xp_admin_reset,
    slow,
    secret,
    pager,
    pager_next,
    menu,
    colour_picked,
    tz,
    feedback,
    feedback_submitted,
    export,
    purge,
    silent,
    twice,
]


@pytest.fixture
async def bot(emu: DiscordEmulator):
    guild = emu.create_guild("Interactions")
    async with run_client(emu, make_client(commands=ALL)) as client:
        yield guild, client


async def test_subcommand_with_user_integer_and_channel_options(bot, emu: DiscordEmulator) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    helper = guild.add_role("Helper")
    bob = await guild.member("bob", roles=[helper], nick="Bobby")
    reply = await alice.slash("xp add", member=bob, amount=5, where="general")
    assert reply.content == "Bobby +5 in #general (roles: 1)"
    assert not reply.ephemeral
    assert reply.message.interaction_metadata["name"] == "xp"
    # The answer is a real message in the channel.
    assert guild.messages("general")[-1].content == reply.content


async def test_channel_keyword_is_where_to_run_when_command_has_no_such_option(bot) -> None:
    guild, _ = bot
    guild.add_channel("bots")
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    reply = await alice.slash("xp add", member=bob, amount=1, channel="bots")
    assert reply.message.channel_id == guild.channel("bots").id


async def test_subcommand_group_with_role_and_ephemeral_answer(bot) -> None:
    guild, _ = bot
    mods = guild.add_role("Mods")
    alice = await guild.member("alice")
    reply = await alice.slash("xp admin reset", role=mods, hard=True)
    assert reply.content == "reset Mods hard=True"
    assert reply.ephemeral
    assert reply.message not in guild.messages("general")  # nobody else sees it


async def test_options_are_checked_like_discords_client(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    with pytest.raises(OptionError, match="missing required option 'amount'"):
        await alice.slash("xp add", member=alice)
    with pytest.raises(OptionError, match="above 100"):
        await alice.slash("xp add", member=alice, amount=500)
    with pytest.raises(OptionError, match="needs a subcommand"):
        await alice.slash("xp")
    with pytest.raises(OptionError, match="unknown option"):
        await alice.slash("xp add", member=alice, amount=1, colour="red")


async def test_deferred_answer_then_followup(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    reply = await alice.slash("slow")
    assert reply.type == 5 and reply.deferred
    assert reply.content == "done thinking"
    (followup,) = await reply.wait_for_followups(1)
    assert followup.content == "and one more thing"
    assert [m.content for m in guild.bot_messages()] == ["done thinking", "and one more thing"]


async def test_ephemeral_deferral_keeps_the_answer_private(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    reply = await alice.slash("secret")
    assert reply.ephemeral and reply.content == "only you"
    assert reply.embed["title"] == "Hidden"
    assert guild.bot_messages() == []


async def test_buttons_click_and_update_message(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    reply = await alice.slash("pager")
    assert [b["label"] for b in reply.buttons] == ["Next", "Off", "Docs"]
    with pytest.raises(ComponentNotFound, match="disabled"):
        await reply.click("Off")
    with pytest.raises(ComponentNotFound, match="link"):
        await reply.click("Docs")
    with pytest.raises(ComponentNotFound, match="buttons"):
        await reply.click("Previous")
    refused = await reply.click("Next", by=bob)
    assert refused.content == "not your pager" and refused.ephemeral
    assert reply.content == "page 1"
    page2 = await reply.click("pager:next")
    assert page2.type == 7
    assert page2.content == "page 2" and page2.buttons == []
    assert reply.content == "page 2"  # the same message, read live


async def test_string_select_with_deferred_update(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    reply = await alice.slash("menu")
    with pytest.raises(OptionError, match="not an option"):
        await reply.select("colour", ["purple"])
    picked = await reply.select("Colour", ["green"])
    assert picked.type == 6
    assert picked.content == "you picked green"


async def test_autocomplete_returns_the_bots_choices(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    choices = await alice.autocomplete("tz", "zone", "Eur")
    assert [c["value"] for c in choices] == ["Europe/Paris", "Europe/Berlin"]
    with pytest.raises(OptionError, match="no autocomplete"):
        await alice.autocomplete("tz", "note", "x")


async def test_modal_round_trip(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    reply = await alice.slash("feedback")
    assert reply.type == 9 and reply.modal["title"] == "Feedback"
    with pytest.raises(OptionError, match="required"):
        await reply.submit_modal({"body": "no title"})
    thanks = await reply.submit_modal({"title": "Great bot", "body": "really"})
    assert thanks.content == "thanks for 'Great bot' (6 chars)"


async def test_attachment_in_initial_response(bot, emu: DiscordEmulator) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    reply = await alice.slash("export")
    (att,) = reply.attachments
    assert (att.filename, att.data, att.size) == ("data.csv", b"a,b\n1,2\n", 8)
    assert att.content_type.startswith("text/")
    assert reply.content == "here"
    callback = emu.requests_to("POST /interactions/{id}/{token}/callback")[-1]
    assert callback.files == ["data.csv"]


async def test_default_member_permissions_are_enforced(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    with pytest.raises(CommandNotPermitted, match="MANAGE_MESSAGES"):
        await alice.slash("purge")
    mod = await guild.member("mod", roles=[guild.add_role("Mod", ["MANAGE_MESSAGES"])])
    assert (await mod.slash("purge")).content == "purged"
    admin = await guild.member("root", admin=True)
    assert (await admin.slash("purge")).content == "purged"


async def test_no_answer_times_out_with_a_clear_error(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    with pytest.raises(NoResponse, match="/silent"):
        await alice.slash("silent", timeout=0.2)


async def test_second_acknowledgement_is_refused_with_40060(bot) -> None:
    guild, _ = bot
    alice = await guild.member("alice")
    reply = await alice.slash("twice")
    assert reply.content == "first"
    (followup,) = await reply.wait_for_followups(1)
    assert followup.content == "second ack refused: 400 40060"


async def test_member_uploads_attachment_option(emu: DiscordEmulator) -> None:
    @slash_command(name="upload", description="Attachment option")
    @slash_option("file", "File", OptionType.ATTACHMENT, required=True)
    async def upload(ctx: SlashContext, file: interactions.Attachment) -> None:
        await ctx.send(f"{file.filename} {file.size} {file.content_type}")

    guild = emu.create_guild()
    async with run_client(emu, make_client(commands=[upload])):
        alice = await guild.member("alice")
        reply = await alice.slash("upload", file=Upload("notes.txt", b"hello", "text/plain"))
        assert reply.content == "notes.txt 5 text/plain"


async def test_with_response_answers_the_callback_with_the_message_it_created(emu: DiscordEmulator) -> None:
    # Discord: ?with_response=true returns the interaction callback response instead of 204.
    answers: list[object] = []

    async def callback(ctx: SlashContext, payload: dict[str, object]) -> None:
        route = interactions.api.http.route.Route(
            "POST",
            "/interactions/{interaction_id}/{webhook_token}/callback",
            interaction_id=ctx.id,
            webhook_token=ctx.token,
        )
        answers.append(await ctx.client.http.request(route, payload=payload, params={"with_response": "true"}))

    @slash_command(name="shout", description="Answers at once")
    async def shout(ctx: SlashContext) -> None:
        await callback(ctx, {"type": 4, "data": {"content": "now", "flags": 64}})

    @slash_command(name="mull", description="Defers")
    async def mull(ctx: SlashContext) -> None:
        await callback(ctx, {"type": 5})
        await ctx.client.http.edit_interaction_message({"content": "thought"}, ctx.client.app.id, ctx.token)

    guild = emu.create_guild("With response")
    async with run_client(emu, make_client(commands=[shout, mull])):
        alice = await guild.member("alice")
        reply = await alice.slash("shout")
        assert (await alice.slash("mull")).content == "thought"
    shouted, mulled = answers
    assert shouted["interaction"]["type"] == 2 and shouted["interaction"]["response_message_id"] == str(
        reply.message.id
    )
    assert shouted["interaction"]["response_message_ephemeral"] is True
    assert shouted["resource"]["type"] == 4 and shouted["resource"]["message"]["content"] == "now"
    # A deferral creates a loading message; the resource carries no message then.
    assert mulled["resource"] == {"type": 5} and mulled["interaction"]["response_message_loading"] is True
