"""Role safety: a member can attach (and the bot later grant) only roles below both of them,
not managed, not @everyone, and without dangerous permissions the member lacks.

``perks`` is a toy plugin declared here: managers attach a role to the perk with ``/perk set``
(configuration time), members take it with ``/perk claim`` (grant time), as a shop item or a
level role would.
"""

from __future__ import annotations

from typing import Any

import interactions
import pytest
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.permissions import requires
from guildkit.core.plugin import Plugin
from guildkit.core.roles import check_role_assignable, check_role_grantable
from guildkit.core.state import PluginState


class PerkState(PluginState):
    def __init__(self, runtime: Any, plugin: Plugin) -> None:
        super().__init__(runtime, plugin)
        #: guild id -> (role id, id of the member who configured it)
        self.perks: dict[int, tuple[int, int]] = {}


class PerkCommands(interactions.Extension):
    @requires("manager")
    @interactions.slash_command(name="perk", description="Perks", sub_cmd_name="set", sub_cmd_description="Set")
    @slash_option("role", "The role", opt_type=OptionType.ROLE, required=True)
    async def perk_set(self, ctx: SlashContext, role: interactions.Role) -> None:
        check_role_assignable(ctx.guild, role, ctx.author)
        ctx.client.runtime.state(PerkState).perks[int(ctx.guild_id)] = (int(role.id), int(ctx.author.id))
        await ctx.send(f"The perk is now {role.name}.", ephemeral=True)

    @perk_set.subcommand(sub_cmd_name="claim", sub_cmd_description="Claim", inherit_checks=False)
    async def perk_claim(self, ctx: SlashContext) -> None:
        role_id, configured_by = ctx.client.runtime.state(PerkState).perks[int(ctx.guild_id)]
        role = ctx.guild.get_role(role_id)
        check_role_grantable(ctx.guild, role, ctx.guild.get_member(configured_by))
        await ctx.author.add_role(role)
        await ctx.send(f"You got {role.name}.")


perks = Plugin(
    name="perks",
    version="1.0",
    description="One role per server",
    state=PerkState,
    extensions=(PerkCommands,),
    module=__name__,
)


@pytest.fixture
def gk_plugins() -> list[Any]:
    return [perks]


async def _server(gk: Any) -> tuple[Any, dict[str, Any]]:
    """Roles bottom to top: Fans (plain), Helpers (Kick Members), Managers (Manage Server),
    Admins (Administrator), then the bot's role; "Above" sits above the bot."""
    guild = await gk.guild(plugins=["perks"])
    roles = {}
    for name, permissions in (
        ("Fans", []),
        ("Helpers", ["KICK_MEMBERS"]),
        ("Managers", ["MANAGE_GUILD"]),
        ("Admins", ["ADMINISTRATOR"]),
    ):
        # Each new role goes right below the bot's role, above the ones created before.
        roles[name] = guild.add_role(name, permissions)
    roles["Above"] = guild.add_role("Above", [], position=guild.bot_role.position + 1)
    await gk.emulator.flush()
    return guild, roles


async def test_a_manager_cannot_attach_a_role_above_their_own(gk) -> None:
    guild, roles = await _server(gk)
    manny = await guild.member("manny", roles=[roles["Managers"]])
    reply = await manny.slash("perk set", role=roles["Admins"])
    assert reply.ephemeral
    assert reply.content == "@Admins is not below your highest role (@Managers); ask someone above it to set this up."
    assert gk.bot.state(PerkState).perks == {}
    assert reply.message.mention_role_ids == [] and not reply.message.mention_everyone


async def test_a_dangerous_permission_needs_the_member_to_hold_it(gk) -> None:
    guild, roles = await _server(gk)
    manny = await guild.member("manny", roles=[roles["Managers"]])
    # Helpers is below Managers, but carries Kick Members, which manny lacks.
    reply = await manny.slash("perk set", role=roles["Helpers"])
    assert reply.ephemeral
    assert reply.content == (
        "@Helpers has Kick Members, which you don't have; only someone with it can attach this role."
    )
    assert gk.bot.state(PerkState).perks == {}
    # A moderator holding Kick Members themselves (and Manage Server) may attach it.
    mod = await guild.member("mod", roles=[roles["Managers"]])
    await roles["Managers"].edit(permissions=["MANAGE_GUILD", "KICK_MEMBERS"])
    reply = await mod.slash("perk set", role=roles["Helpers"])
    assert reply.content == "The perk is now Helpers."


@pytest.mark.parametrize(
    ("role_name", "expected"),
    [
        ("@everyone", "@everyone cannot be given or taken away: every member has it. Pick another role."),
        (
            "GuildkitBot",
            "@GuildkitBot is managed by Discord (a bot's, an integration's or the booster role) and cannot be "
            "given by the bot. Pick a role you created.",
        ),
        (
            "Above",
            "@Above is not below the bot's highest role (@GuildkitBot), so the bot cannot give it. "
            "Move @GuildkitBot above it in Server Settings → Roles, or pick a lower role.",
        ),
    ],
)
async def test_roles_the_bot_can_never_give_are_refused_even_for_the_owner(gk, role_name: str, expected: str) -> None:
    guild, _ = await _server(gk)
    owner = guild.owner  # owner since the server was made (interactions.py misses owner changes)
    reply = await owner.slash("perk set", role=guild.role(role_name))
    assert reply.ephemeral and reply.content == expected
    assert gk.bot.state(PerkState).perks == {}


async def test_the_owner_may_attach_administrator_below_the_bot(gk) -> None:
    guild, roles = await _server(gk)
    owner = guild.owner  # owner since the server was made (interactions.py misses owner changes)
    reply = await owner.slash("perk set", role=roles["Admins"])
    assert reply.content == "The perk is now Admins."
    alice = await guild.member("alice")
    assert (await alice.slash("perk claim")).content == "You got Admins."
    assert "Admins" in alice.role_names


async def test_grant_time_check_catches_a_role_that_changed_since(gk) -> None:
    guild, roles = await _server(gk)
    manny = await guild.member("manny", roles=[roles["Managers"]])
    assert (await manny.slash("perk set", role=roles["Fans"])).content == "The perk is now Fans."
    alice = await guild.member("alice")
    assert (await alice.slash("perk claim")).content == "You got Fans."
    await alice.remove_role(roles["Fans"])

    # Someone gives @Fans Administrator afterwards: manny could not have attached it now.
    await roles["Fans"].edit(permissions=["ADMINISTRATOR"])
    reply = await alice.slash("perk claim")
    assert reply.ephemeral
    assert reply.content == (
        "@Fans has Administrator, which the member who set it up no longer has; "
        "only someone with it can attach this role."
    )
    assert "Fans" not in alice.role_names

    # Or it is moved above the bot's role.
    await roles["Fans"].edit(permissions=0, position=guild.bot_role.position + 2)
    reply = await alice.slash("perk claim")
    assert reply.ephemeral and "is not below the bot's highest role" in reply.content
    assert "Fans" not in alice.role_names
