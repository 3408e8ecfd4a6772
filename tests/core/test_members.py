"""One member converter: a USER option resolving to someone not in the server, a bot, or the
member themselves is refused with the same words, before the command writes anything."""

from __future__ import annotations

from typing import Any

import interactions
import pytest
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.members import resolve_member
from guildkit.core.plugin import Plugin
from guildkit.core.state import PluginState


class GiftState(PluginState):
    def __init__(self, runtime: Any, plugin: Plugin) -> None:
        super().__init__(runtime, plugin)
        self.gifts: list[int] = []


class GiftCommands(interactions.Extension):
    @interactions.slash_command(name="gift", description="Give someone a gift")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    async def gift(self, ctx: SlashContext, member: interactions.Member | interactions.User) -> None:
        target = resolve_member(ctx, member, allow_self=False)
        ctx.client.runtime.state(GiftState).gifts.append(int(target.id))
        await ctx.send(f"{target.display_name} got a gift.")

    @interactions.slash_command(name="profile", description="Anyone's profile, bots included")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    async def profile(self, ctx: SlashContext, member: interactions.Member | interactions.User) -> None:
        target = resolve_member(ctx, member, allow_bots=True)
        await ctx.send(f"Profile of {target.display_name}.")


gifts = Plugin(
    name="gifts", version="1.0", description="Gifts", state=GiftState, extensions=(GiftCommands,), module=__name__
)


@pytest.fixture
def gk_plugins() -> list[Any]:
    return [gifts]


async def test_a_member_of_the_server_is_accepted(gk) -> None:
    guild = await gk.guild(plugins=["gifts"])
    alice, bob = await guild.member("alice"), await guild.member("bob")
    assert (await alice.slash("gift", member=bob)).content == "bob got a gift."
    assert gk.bot.state(GiftState).gifts == [bob.id]


async def test_someone_who_left_or_never_joined_is_refused(gk) -> None:
    guild = await gk.guild(plugins=["gifts"])
    alice, bob = await guild.member("alice"), await guild.member("bob")
    await bob.leave_guild()
    reply = await alice.slash("gift", member=bob.id)
    assert reply.ephemeral and reply.content == "**bob** is not a member of this server. Pick someone who is."
    stranger = gk.emulator.world.create_user("stranger")
    reply = await alice.slash("profile", member=stranger.id)
    assert reply.ephemeral and reply.content == "**stranger** is not a member of this server. Pick someone who is."
    assert gk.bot.state(GiftState).gifts == []


async def test_bots_and_oneself_where_they_make_no_sense(gk) -> None:
    guild = await gk.guild(plugins=["gifts"])
    alice = await guild.member("alice")
    robo = await guild.member("robo", bot=True)
    reply = await alice.slash("gift", member=robo)
    assert reply.ephemeral and reply.content == "**robo** is a bot; this command is for people. Pick a member."
    reply = await alice.slash("gift", member=alice)
    assert reply.ephemeral and reply.content == "You can't pick yourself here. Pick another member."
    assert gk.bot.state(GiftState).gifts == []
    assert (await alice.slash("profile", member=robo)).content == "Profile of robo."
    assert (await alice.slash("profile", member=alice)).content == "Profile of alice."
