"""The hook registry: plugin hookspecs, error isolation, per-guild gating."""

from typing import Any

import gk_toy_echo
import gk_toy_greeter.hooks as greeter_hooks
import pytest

from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime

GUILD = 77


@pytest.fixture
def gk_plugins(greeter_plugin: Any, echo_installed: None) -> list[Any]:
    return [greeter_plugin]


async def test_failing_hook_is_logged_and_others_still_run(runtime: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    greeter_hooks.seen.clear()
    await runtime.set_plugin_enabled(GUILD, "greeter", True, None)
    # echo's plugin_enabled raises; greeter's must still have run.
    assert ("enabled", GUILD, "greeter") in greeter_hooks.seen
    assert any("hook plugin_enabled of plugin echo" in r.getMessage() and r.exc_info for r in caplog.records)


async def test_plugin_defined_hook_reaches_enabled_plugins_only(runtime: Runtime) -> None:
    gk_toy_echo.greeted.clear()
    await runtime.hooks.call("greeter_greeted", guild_id=GUILD, user_id=5, count=1)
    assert gk_toy_echo.greeted == []  # echo is off in this guild
    await runtime.set_plugin_enabled(GUILD, "greeter", True, None)
    await runtime.set_plugin_enabled(GUILD, "echo", True, None)
    await runtime.hooks.call("greeter_greeted", guild_id=GUILD, user_id=5, count=2)
    assert gk_toy_echo.greeted == [(GUILD, 5, 2)]


async def test_enabling_needs_dependencies_and_disabling_needs_dependants_off(runtime: Runtime) -> None:
    from guildkit.core.errors import UserError

    with pytest.raises(UserError, match=r"\*\*echo\*\* needs \*\*greeter\*\*, which is off here"):
        await runtime.set_plugin_enabled(GUILD, "echo", True, None)
    await runtime.set_plugin_enabled(GUILD, "greeter", True, None)
    await runtime.set_plugin_enabled(GUILD, "echo", True, None)
    with pytest.raises(UserError, match=r"\*\*echo\*\* need \*\*greeter\*\* and are on here"):
        await runtime.set_plugin_enabled(GUILD, "greeter", False, None)
    assert await runtime.flags.is_enabled(GUILD, "greeter")


def test_unknown_hook_name_is_an_error(greeter_plugin: Any) -> None:
    runtime = Runtime(parse_config({}), extra_plugins=[greeter_plugin])
    assert runtime.hooks.has_hook("greeter_greeted")
    assert not runtime.hooks.has_hook("nosuchplugin_event")
