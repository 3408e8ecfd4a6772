"""The plugin contract v2 end to end: per-bot state with a lifecycle, typed APIs between plugins,
permission levels with attached roles, the core paginator and DomainError wording.

Three small plugins declared here: ``tally`` (state, API, a permission level, a paginated list,
a domain error), ``reader`` (uses tally through its typed API) and ``sneaky`` (uses it without
declaring the dependency).
"""

from __future__ import annotations

from typing import Any

import interactions
import pytest
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.errors import DomainError, MissingPermission
from guildkit.core.pagination import PageSource, PageView, clamp_page, page_count
from guildkit.core.permissions import PermissionLevel, requires
from guildkit.core.plugin import Plugin
from guildkit.core.state import PluginAPI, PluginState, PluginUnavailable
from guildkit.core.testing.emulator.driver import CommandNotPermitted

PER_PAGE = 10
LIMIT = 5


class TooManyPoints(DomainError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"at most {limit} points")


class TallyState(PluginState):
    """What tally keeps per running bot: points not yet written anywhere, and its lifecycle."""

    def __init__(self, runtime: Any, plugin: Plugin) -> None:
        super().__init__(runtime, plugin)
        self.points: dict[tuple[int, int], int] = {}
        self.started = False
        self.stopped = False
        self.stopped_with: dict[tuple[int, int], int] = {}

    async def start(self) -> None:
        # Migrations are done and the database is open; no interaction has arrived yet.
        assert self.runtime.client is None
        self.started = True

    async def stop(self) -> None:
        self.stopped = True
        self.stopped_with = dict(self.points)

    def add(self, guild_id: int, user_id: int) -> int:
        key = (guild_id, user_id)
        if self.points.get(key, 0) >= LIMIT:
            raise TooManyPoints(LIMIT)
        self.points[key] = self.points.get(key, 0) + 1
        return self.points[key]


class TallyAPI(PluginAPI):
    async def points(self, guild_id: int, user_id: int) -> int:
        return self.runtime.state(TallyState).points.get((guild_id, user_id), 0)


async def render_board(ctx: Any, page: int, arg: str) -> PageView:
    items = [f"{arg} item {n}" for n in range(1, 24)]
    pages = page_count(len(items), PER_PAGE)
    page = clamp_page(page, pages)
    shown = items[(page - 1) * PER_PAGE : page * PER_PAGE]
    return PageView(page=page, pages=pages, content="\n".join(shown))


board_pages = PageSource("tally", "board", render_board)


class TallyCommands(interactions.Extension):
    @requires("scorekeeper")
    @interactions.slash_command(name="tally", description="Tally points", sub_cmd_name="add", sub_cmd_description="+1")
    @slash_option("member", "Who scores", opt_type=OptionType.USER, required=True)
    async def tally_add(self, ctx: SlashContext, member: interactions.Member) -> None:
        total = ctx.client.runtime.state(TallyState).add(int(ctx.guild_id), int(member.id))
        await ctx.send(f"{member.display_name} has {total} point(s)")

    # Subcommands inherit the first one's checks unless told not to (interactions.py).
    @tally_add.subcommand(sub_cmd_name="board", sub_cmd_description="A long list", inherit_checks=False)
    async def tally_board(self, ctx: SlashContext) -> None:
        await board_pages.send(ctx, arg="board")


async def describe_tally_error(ctx: Any, error: Exception) -> str | None:
    if isinstance(error, TooManyPoints):
        return f"**Enough!** Nobody gets more than {error.limit} points."
    return None


class ReaderState(PluginState):
    async def peek(self, guild_id: int, user_id: int) -> str:
        try:
            points = await self.api(TallyAPI).points(guild_id, user_id)
        except PluginUnavailable as unavailable:
            return f"tally is off here ({unavailable.plugin})"
        return f"{points} point(s)"


class ReaderCommands(interactions.Extension):
    @interactions.slash_command(name="peek", description="Points of someone, through tally's API")
    @slash_option("member", "Whose", opt_type=OptionType.USER, required=True)
    async def peek(self, ctx: SlashContext, member: interactions.Member) -> None:
        text = await ctx.client.runtime.state(ReaderState).peek(int(ctx.guild_id), int(member.id))
        await ctx.send(text)


class SneakyState(PluginState):
    pass


SCOREKEEPER = PermissionLevel("scorekeeper", "score keepers", interactions.Permissions.MANAGE_MESSAGES)

tally = Plugin(
    name="tally",
    version="1.0",
    description="Counts points",
    state=TallyState,
    api=TallyAPI,
    extensions=(TallyCommands,),
    permission_levels=(SCOREKEEPER,),
    describe_error=describe_tally_error,
    module=__name__,
)
reader = Plugin(
    name="reader",
    version="1.0",
    description="Reads tally",
    uses=("tally",),
    state=ReaderState,
    extensions=(ReaderCommands,),
    module=__name__,
)
sneaky = Plugin(name="sneaky", version="1.0", description="Forgot to declare", state=SneakyState, module=__name__)


@pytest.fixture
def gk_plugins() -> list[Any]:
    # reader first: the load order must still put tally before it, because reader uses tally.
    return [reader, tally, sneaky]


async def test_state_is_built_per_bot_started_before_connecting_and_stopped_on_shutdown(gk) -> None:
    guild = await gk.guild(plugins=["tally", "reader"])
    ada = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    first = gk.bot.state(TallyState)
    assert first.started and not first.stopped
    await ada.slash("tally add", member=alice)
    assert first.points == {(guild.id, alice.id): 1}

    await gk.restart()
    second = gk.bot.state(TallyState)
    # The old bot's state was stopped with what it held; the new bot starts from nothing.
    assert first.stopped and first.stopped_with == {(guild.id, alice.id): 1}
    assert second is not first and second.started and second.points == {}
    reply = await ada.slash("tally add", member=alice)
    assert "1 point(s)" in reply.content
    assert first.points == {(guild.id, alice.id): 1}  # untouched by the second bot


async def test_two_runtimes_in_one_process_share_no_state(gk) -> None:
    from guildkit.core.runtime import Runtime

    await gk.start()
    other = Runtime(gk.config(), extra_plugins=[reader, tally, sneaky], database_url=gk.database_url)
    assert other.state(TallyState) is not gk.bot.state(TallyState)
    assert other.api(TallyAPI) is not gk.bot.api(TallyAPI)
    assert other.api(TallyAPI).runtime is other
    gk.bot.state(TallyState).add(1, 2)
    assert other.state(TallyState).points == {}


async def test_load_order_follows_optional_dependencies(gk) -> None:
    await gk.start()
    names = [plugin.name for plugin in gk.bot.plugins]
    assert names.index("tally") < names.index("reader")


async def test_typed_api_reaches_the_provider_and_refuses_where_it_is_off(gk) -> None:
    guild = await gk.guild(plugins=["tally", "reader"])
    ada = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await ada.slash("tally add", member=alice)
    await ada.slash("tally add", member=alice)
    assert (await alice.slash("peek", member=alice)).content == "2 point(s)"
    assert await gk.bot.api(TallyAPI).points(guild.id, alice.id) == 2

    await gk.bot.set_plugin_enabled(guild.id, "tally", False, actor_id=None)
    assert (await alice.slash("peek", member=alice)).content == "tally is off here (tally)"
    with pytest.raises(PluginUnavailable) as refused:
        await gk.bot.api(TallyAPI).points(guild_id=guild.id, user_id=alice.id)
    assert refused.value.plugin == "tally" and refused.value.guild_id == guild.id


async def test_an_api_is_only_for_plugins_that_declared_the_dependency(gk) -> None:
    await gk.start()
    with pytest.raises(LookupError, match='add "tally" to its requires'):
        gk.bot.state(SneakyState).api(TallyAPI)


async def test_an_api_of_a_plugin_that_is_not_loaded_is_unavailable(gk) -> None:
    gk.extra_plugins = [reader]
    await gk.start(plugins={"load": ["reader"]})
    with pytest.raises(PluginUnavailable, match="not installed"):
        gk.bot.state(ReaderState).api(TallyAPI)


async def test_domain_errors_are_worded_by_their_plugin(gk) -> None:
    guild = await gk.guild(plugins=["tally"])
    ada = await guild.member("ada", admin=True)
    for _ in range(LIMIT):
        await ada.slash("tally add", member=ada)
    reply = await ada.slash("tally add", member=ada)
    assert reply.ephemeral and reply.content == f"**Enough!** Nobody gets more than {LIMIT} points."


async def test_permission_levels_admit_permissions_admins_owners_and_attached_roles(gk) -> None:
    guild = await gk.guild(plugins=["tally"])
    ada = await guild.member("ada", admin=True)
    bob = await guild.member("bob")
    keepers = guild.add_role("Keepers")
    refused = await bob.slash("tally add", member=bob)
    assert refused.ephemeral
    assert refused.content == "You need the **Manage Server** or **Manage Messages** permission to do that."

    owner = guild.owner
    assert "1 point(s)" in (await owner.slash("tally add", member=bob)).content
    assert "2 point(s)" in (await ada.slash("tally add", member=bob)).content
    mods = guild.add_role("Mods", "MANAGE_MESSAGES")
    carol = await guild.member("carol", roles=[mods])
    assert "3 point(s)" in (await carol.slash("tally add", member=bob)).content

    attached = await ada.slash("permissions add", level="scorekeeper", role=keepers)
    assert attached.ephemeral and "now count as **scorekeeper**" in attached.content
    refused = await bob.slash("tally add", member=bob)
    assert f"or one of the roles <@&{keepers.id}>" in refused.content
    await bob.add_role(keepers)
    assert "4 point(s)" in (await bob.slash("tally add", member=bob)).content

    shown = await ada.slash("permissions show")
    assert "scorekeeper" in shown.text and keepers.mention in shown.text

    removed = await ada.slash("permissions remove", level="scorekeeper", role=keepers)
    assert "no longer counts" in removed.content
    assert (await bob.slash("tally add", member=bob)).content.startswith("You need")


async def test_attaching_roles_needs_the_real_manage_server_permission(gk) -> None:
    guild = await gk.guild(plugins=["tally"])
    ada = await guild.member("ada", admin=True)
    managers = guild.add_role("Managers")
    dave = await guild.member("dave", roles=[managers])
    await ada.slash("permissions add", level="manager", role=managers)
    # Discord hides /permissions from dave (default_member_permissions); an owner may open it.
    with pytest.raises(CommandNotPermitted):
        await dave.slash("permissions show")
    for command in gk.emulator.world.scope_commands(None).values():
        command.data["default_member_permissions"] = None
    # A role attached to "manager" lets dave manage plugins...
    assert "scorekeeper" in (await dave.slash("permissions show")).text
    # ...but not hand the bot's powers to more roles.
    refused = await dave.slash("permissions add", level="scorekeeper", role=managers)
    assert refused.ephemeral and "You need the **Manage Server** permission" in refused.content
    roles = await gk.bot.permissions.roles(guild.id)
    assert roles == {"manager": frozenset({managers.id})}


async def test_unknown_level_is_refused_clearly(gk) -> None:
    guild = await gk.guild(plugins=["tally"])
    ada = await guild.member("ada", admin=True)
    reply = await ada.slash("permissions add", level="wizard", role=guild.add_role("Wizards"))
    assert reply.ephemeral and "There is no permission level called `wizard`" in reply.content
    assert "`scorekeeper`" in reply.content and "`manager`" in reply.content


async def test_paginated_list_turns_pages_with_buttons_disabled_at_the_ends(gk) -> None:
    guild = await gk.guild(plugins=["tally"])
    alice = await guild.member("alice")
    first = await alice.slash("tally board")
    assert first.content.splitlines()[0] == "board item 1" and len(first.content.splitlines()) == 10
    labels = {b["label"]: b.get("disabled", False) for b in first.buttons}
    assert labels == {"«": True, "Previous": True, "1 / 3": True, "Next": False, "»": False}

    second = await first.click("Next")
    assert second.content.splitlines()[0] == "board item 11"
    assert {b["label"]: b.get("disabled", False) for b in second.buttons}["Previous"] is False
    last = await second.click("»")
    assert last.content.splitlines() == ["board item 21", "board item 22", "board item 23"]
    labels = {b["label"]: b.get("disabled", False) for b in last.buttons}
    assert labels == {"«": False, "Previous": False, "3 / 3": True, "Next": True, "»": True}
    back = await last.click("«")
    assert back.content.splitlines()[0] == "board item 1"


async def test_page_buttons_of_a_disabled_plugin_are_refused(gk) -> None:
    guild = await gk.guild(plugins=["tally"])
    alice = await guild.member("alice")
    first = await alice.slash("tally board")
    await gk.bot.set_plugin_enabled(guild.id, "tally", False, actor_id=None)
    refused = await first.click("Next")
    assert refused.ephemeral and "disabled in this server" in refused.content


def test_missing_permission_is_a_user_error() -> None:
    assert issubclass(MissingPermission, Exception)
    with pytest.raises(ValueError, match="lowercase identifier"):
        PermissionLevel("Bad Name", "x", interactions.Permissions.NONE)
