"""Finding plugins (built-in and entry points) and loading them dependencies first."""

from dataclasses import replace
from typing import Any

import pytest

from guildkit.core.discovery import installed_plugins, resolve_load_order
from guildkit.core.errors import StartupError
from guildkit.core.plugin import Plugin


def toy(name: str, *requires: str) -> Plugin:
    return Plugin(name=name, version="1", description=name, requires=requires, module=f"x.{name}")


def test_entry_point_plugin_is_discovered(echo_installed: None, greeter_plugin: Any) -> None:
    installed = installed_plugins([greeter_plugin])
    assert installed["echo"].origin == "entry point echo"
    assert installed["echo"].requires == ("greeter",)


def test_dependencies_load_first(echo_installed: None, greeter_plugin: Any) -> None:
    order = [p.name for p in resolve_load_order(installed_plugins([greeter_plugin]), ["echo", "greeter"])]
    assert order.index("greeter") < order.index("echo")


def test_chain_and_diamond_order() -> None:
    plugins = {p.name: p for p in [toy("a"), toy("b", "a"), toy("c", "a"), toy("d", "b", "c")]}
    order = [p.name for p in resolve_load_order(plugins, "*")]
    assert order[0] == "a" and order[-1] == "d"


def test_missing_dependency_names_both_plugins() -> None:
    plugins = {p.name: p for p in [toy("quests", "leveling")]}
    with pytest.raises(StartupError, match="'quests' requires leveling, which is not installed"):
        resolve_load_order(plugins, "*")


def test_dependency_not_selected() -> None:
    plugins = {p.name: p for p in [toy("quests", "leveling"), toy("leveling")]}
    with pytest.raises(StartupError, match=r"requires leveling, which is not in \[plugins\] load"):
        resolve_load_order(plugins, ["quests"])


def test_cycle_names_the_plugins() -> None:
    plugins = {p.name: p for p in [toy("a", "b"), toy("b", "a")]}
    with pytest.raises(StartupError, match=r"cycle: (a -> b -> a|b -> a -> b)"):
        resolve_load_order(plugins, "*")


def test_unknown_plugin_in_load_list() -> None:
    with pytest.raises(StartupError, match="asks for plugin\\(s\\) nope which are not installed"):
        resolve_load_order({"a": toy("a")}, ["a", "nope"])


def test_two_plugins_with_one_name(greeter_plugin: Any) -> None:
    clash = replace(greeter_plugin, module="somewhere.else")
    with pytest.raises(StartupError, match="two plugins are named 'greeter'"):
        installed_plugins([greeter_plugin, clash])


def test_two_plugins_with_the_same_command_fail_at_startup(greeter_plugin: Any) -> None:
    import interactions

    from guildkit.core.config import parse_config
    from guildkit.core.runtime import Runtime

    class Impostor(interactions.Extension):
        @interactions.slash_command(name="greet", description="Also greets")
        async def greet(self, ctx: interactions.SlashContext) -> None:
            await ctx.send("hi")

    impostor = Plugin(name="impostor", version="1", description="x", extensions=(Impostor,), module="x.impostor")
    with pytest.raises(StartupError, match="/greet is defined by both plugin greeter and plugin impostor"):
        Runtime(parse_config({}), extra_plugins=[greeter_plugin, impostor])
