"""No accidental pings and no reply Discord refuses, for every message of every plugin.

``loud`` is a toy plugin declared here that sends admin-controlled text the careless way (no
``allowed_mentions``) as a reply, a follow-up, a channel post and a DM, and the careful way with
``mentions_only``. The bot holds Mention Everyone and a role is mentionable, so on Discord the
careless way would ping everyone: the core's default must stop it.
"""

from __future__ import annotations

from typing import Any

import interactions
import pytest
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.messages import (
    CONTENT_LIMIT,
    ELLIPSIS,
    embed,
    fit_embeds,
    fit_text,
    mentions_only,
    safe_allowed_mentions,
)
from guildkit.core.plugin import Plugin
from guildkit.core.testing.harness import eventually

#: What an admin stored (a currency name, a template...): pings everything if Discord parses it.
HOSTILE = "@everyone @here <@&{role}> <@{user}>"


class LoudCommands(interactions.Extension):
    @interactions.slash_command(name="loud", description="Loud", sub_cmd_name="careless", sub_cmd_description="x")
    @slash_option("text", "Text", opt_type=OptionType.STRING, required=True, max_length=100)
    async def careless(self, ctx: SlashContext, text: str) -> None:
        await ctx.send(text)
        await ctx.send(f"follow-up {text}")
        await ctx.channel.send(f"post {text}")
        await ctx.author.send(f"dm {text}")

    @careless.subcommand(sub_cmd_name="careful", sub_cmd_description="x")
    @slash_option("text", "Text", opt_type=OptionType.STRING, required=True, max_length=100)
    async def careful(self, ctx: SlashContext, text: str) -> None:
        await ctx.send(text, allowed_mentions=mentions_only(users=[ctx.author]))

    @careless.subcommand(sub_cmd_name="everything", sub_cmd_description="x")
    @slash_option("text", "Text", opt_type=OptionType.STRING, required=True, max_length=100)
    async def everything(self, ctx: SlashContext, text: str) -> None:
        # A plugin asking for every ping still cannot ping @everyone or roles from text.
        await ctx.send(text, allowed_mentions=interactions.AllowedMentions.all())

    @careless.subcommand(sub_cmd_name="huge", sub_cmd_description="x")
    async def huge(self, ctx: SlashContext) -> None:
        # Stored text longer than Discord takes: the reply must still arrive, shortened.
        raw = {
            "title": "T" * 300,
            "description": "D" * 5000,
            "footer": {"text": "F" * 3000},
            "fields": [{"name": f"{n}" * 300, "value": "V" * 2000} for n in range(30)],
        }
        await ctx.send("C" * 6000, embeds=[raw, raw])

    @careless.subcommand(sub_cmd_name="built", sub_cmd_description="x")
    async def built(self, ctx: SlashContext) -> None:
        # interactions.Embed itself raises for long text; the core's embed() cuts it instead.
        fields = [(f"{n}" * 300, "V" * 2000) for n in range(30)]
        await ctx.send(embeds=embed(title="T" * 300, description="D" * 5000, fields=fields, footer="F" * 3000))


loud = Plugin(name="loud", version="1.0", description="Sends stored text", extensions=(LoudCommands,), module=__name__)


@pytest.fixture
def gk_plugins() -> list[Any]:
    return [loud]


async def _server(gk: Any) -> tuple[Any, Any, Any]:
    guild = await gk.guild(plugins=["loud"])
    await guild.bot_role.edit(permissions=guild.bot_role.permissions | (1 << 17))  # Mention Everyone
    fans = guild.add_role("Fans", mentionable=True)
    alice = await guild.member("alice", roles=[fans])
    return guild, fans, alice


async def test_a_message_without_allowed_mentions_pings_nobody(gk) -> None:
    guild, fans, alice = await _server(gk)
    text = HOSTILE.format(role=fans.id, user=alice.id)
    reply = await alice.slash("loud careless", text=text)

    async def dm_arrived() -> list[Any]:
        return alice.dms()

    await eventually(dm_arrived)
    messages = [reply.message, *(followup.message for followup in reply.followups)]
    post = guild.bot_messages()[-1]
    dm = alice.dms()[-1]
    assert reply.content == text and post.content == f"post {text}" and dm.content == f"dm {text}"
    for message in [*messages, post, dm]:
        assert message.pinged_nobody, message.content


async def test_code_opts_in_to_the_members_it_means(gk) -> None:
    guild, fans, alice = await _server(gk)
    bob = await guild.member("bob")
    reply = await alice.slash("loud careful", text=f"@everyone <@&{fans.id}> <@{alice.id}> <@{bob.id}>")
    assert reply.message.pinged_ids == [alice.id] and reply.message.mention_ids == [alice.id, bob.id]
    assert not reply.message.pinged_groups

    reply = await alice.slash("loud everything", text=f"@everyone <@&{fans.id}> <@{bob.id}>")
    assert reply.message.pinged_ids == [bob.id]
    assert not reply.message.pinged_groups


async def test_the_emulator_pings_as_discord_does_without_allowed_mentions(gk) -> None:
    # The check above is only worth something if the emulator would otherwise ping.
    guild, fans, alice = await _server(gk)
    quiet = guild.add_role("Quiet")  # not mentionable
    loudmouth = await guild.member("lou", roles=[guild.add_role("Heralds", ["MENTION_EVERYONE"])])
    said = await loudmouth.say(f"@everyone <@&{fans.id}> <@&{quiet.id}> <@{alice.id}>")
    assert said.mention_everyone and said.mention_role_ids == [fans.id, quiet.id] and said.mention_ids == [alice.id]
    # Discord's default @everyone permissions include Mention Everyone; a careful server removes it.
    await guild.everyone.edit(permissions=guild.everyone.permissions & ~(1 << 17))
    said = await alice.say(f"@everyone <@&{fans.id}> <@&{quiet.id}>")
    assert not said.mention_everyone and said.mention_role_ids == [fans.id]


async def test_replies_over_discords_limits_arrive_shortened(gk) -> None:
    _, _, alice = await _server(gk)
    reply = await alice.slash("loud huge")
    assert len(reply.content) == CONTENT_LIMIT and reply.content.endswith(ELLIPSIS)
    first, second = reply.embeds
    assert len(first["title"]) == 256 and len(first["description"]) == 4096
    assert len(first["fields"]) <= 25 and all(len(f["value"]) <= 1024 for f in first["fields"])
    total = sum(
        len(e.get("title", "")) + len(e.get("description", "")) + len((e.get("footer") or {}).get("text", ""))
        for e in (first, second)
    ) + sum(len(f["name"]) + len(f["value"]) for e in (first, second) for f in e.get("fields", []))
    assert total <= 6000


async def test_embeds_built_from_long_text_arrive_shortened(gk) -> None:
    _, _, alice = await _server(gk)
    reply = await alice.slash("loud built")
    (shown,) = reply.embeds
    assert len(shown["title"]) == 256 and shown["title"].endswith(ELLIPSIS)
    assert len(shown["description"]) == 4096
    assert 0 < len(shown["fields"]) <= 25


def test_fit_text_and_embeds() -> None:
    assert fit_text("abc", 3) == "abc"
    assert fit_text("abcd", 3) == "ab" + ELLIPSIS
    embeds = fit_embeds([{"title": "x"}] * 12)
    assert len(embeds) == 10


def test_safe_allowed_mentions_never_parses_everyone_or_roles() -> None:
    assert safe_allowed_mentions(None) == {"parse": []}
    assert safe_allowed_mentions({"parse": ["everyone", "roles", "users"]}) == {"parse": ["users"]}
    assert safe_allowed_mentions(mentions_only(users=[5], roles=[7])) == {"parse": [], "users": ["5"], "roles": ["7"]}
