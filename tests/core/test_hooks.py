"""The hook registry: plugin hookspecs, error isolation, per-guild gating."""

import asyncio
import re
from collections.abc import Generator
from types import ModuleType
from typing import Any

import gk_toy_echo
import gk_toy_greeter.hooks as greeter_hooks
import pytest

from guildkit.core.config import parse_config
from guildkit.core.errors import StartupError
from guildkit.core.hooks import HookRegistry
from guildkit.core.hookspecs import hookimpl, hookspec
from guildkit.core.runtime import Runtime

GUILD = 77
OTHER_GUILD = 78


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


# -- pluggy's machinery, on a bare registry with small real plugins ----------------------------


@hookspec(firstresult=True)
def demo_pick(guild_id: int, user_id: int) -> str | None:
    """A firstresult hook: the first plugin with an answer decides."""


@hookspec
def demo_collect(guild_id: int, user_id: int) -> str | None:
    """A normal hook: every plugin may answer."""


DEMO_SPECS = ModuleType("demo_specs")
DEMO_SPECS.demo_pick = demo_pick  # type: ignore[attr-defined]
DEMO_SPECS.demo_collect = demo_collect  # type: ignore[attr-defined]


class Answers:
    """A plugin answering both demo hooks with a fixed word, and recording that it was asked."""

    def __init__(self, word: str | None, asked: list[str]) -> None:
        self.word = word
        self.asked = asked

    @hookimpl
    def demo_pick(self, user_id: int) -> str | None:
        self.asked.append(f"pick:{self.word}")
        return self.word

    @hookimpl
    def demo_collect(self, user_id: int) -> str | None:
        self.asked.append(f"collect:{self.word}")
        return self.word


class AnswersFirst:
    def __init__(self, word: str | None, asked: list[str]) -> None:
        self.word = word
        self.asked = asked

    @hookimpl(tryfirst=True)
    def demo_pick(self, user_id: int) -> str | None:
        self.asked.append(f"pick:{self.word}")
        return self.word


class AsyncAnswers:
    def __init__(self, word: str, asked: list[str]) -> None:
        self.word = word
        self.asked = asked

    @hookimpl
    async def demo_collect(self, user_id: int) -> str:
        self.asked.append(f"start:{self.word}")
        await asyncio.sleep(0)
        self.asked.append(f"end:{self.word}")
        return f"{self.word}:{user_id}"


class BrokenSync:
    @hookimpl
    def demo_collect(self, user_id: int) -> str:
        raise RuntimeError("sync implementation broke")

    @hookimpl
    def demo_pick(self, user_id: int) -> str:
        raise RuntimeError("sync pick broke")


class BrokenAsync:
    @hookimpl
    async def demo_collect(self, user_id: int) -> str:
        await asyncio.sleep(0)
        raise RuntimeError("async implementation broke")


class AsyncPick:
    @hookimpl
    async def demo_pick(self, user_id: int) -> str:
        return "too late"


def demo_registry(plugins: dict[str, object], disabled: set[tuple[int, str]] | None = None) -> HookRegistry:
    """A registry with the demo hookspecs, ``plugins`` registered in order and gated by ``disabled``."""
    hooks = HookRegistry()
    hooks.add_hookspecs(DEMO_SPECS)
    off = disabled if disabled is not None else set()

    async def is_enabled(guild_id: int, plugin_name: str) -> bool:
        return (guild_id, plugin_name) not in off

    hooks.is_enabled = is_enabled
    hooks.gated_names = frozenset(plugins)
    for name, plugin in plugins.items():
        hooks.register(name, plugin)
    return hooks


async def test_firstresult_hook_returns_the_first_answer_in_pluggy_order() -> None:
    asked: list[str] = []
    disabled: set[tuple[int, str]] = set()
    hooks = demo_registry(
        {
            "early": Answers("early", asked),
            "late": Answers("late", asked),  # registered last: called first among the plain ones
            "first": AnswersFirst("first", asked),
            "silent": AnswersFirst(None, asked),
        },
        disabled,
    )
    assert await hooks.call("demo_pick", guild_id=GUILD, user_id=1) == "first"
    assert asked == ["pick:None", "pick:first"]  # pluggy stopped at the first answer

    asked.clear()
    disabled.add((GUILD, "first"))
    assert await hooks.call("demo_pick", guild_id=GUILD, user_id=1) == "late"
    assert asked == ["pick:None", "pick:late"]
    # Another guild, where nothing is off, still gets the tryfirst answer.
    assert await hooks.call("demo_pick", guild_id=OTHER_GUILD, user_id=1) == "first"

    disabled.update({(GUILD, "early"), (GUILD, "late")})
    assert await hooks.call("demo_pick", guild_id=GUILD, user_id=1) is None


async def test_failing_firstresult_implementation_counts_as_no_answer(caplog: pytest.LogCaptureFixture) -> None:
    hooks = demo_registry({"fine": Answers("fine", []), "broken": BrokenSync()})
    assert await hooks.call("demo_pick", guild_id=GUILD, user_id=1) == "fine"
    assert any("in hook demo_pick of plugin broken" in record.getMessage() for record in caplog.records)


async def test_normal_hook_returns_the_answers_in_call_order_with_async_ones_awaited() -> None:
    asked: list[str] = []
    disabled: set[tuple[int, str]] = set()
    hooks = demo_registry(
        {"one": AsyncAnswers("one", asked), "none": Answers(None, asked), "two": AsyncAnswers("two", asked)},
        disabled,
    )
    assert await hooks.call("demo_collect", guild_id=GUILD, user_id=9) == ["two:9", "one:9"]
    # Awaited one after the other, in pluggy's order.
    assert asked == ["collect:None", "start:two", "end:two", "start:one", "end:one"]
    disabled.add((GUILD, "two"))
    assert await hooks.call("demo_collect", guild_id=GUILD, user_id=9) == ["one:9"]


async def test_failing_sync_and_async_implementations_are_logged_and_the_others_still_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hooks = demo_registry({"fine": Answers("fine", []), "broken-sync": BrokenSync(), "broken-async": BrokenAsync()})
    assert await hooks.call("demo_collect", guild_id=GUILD, user_id=1) == ["fine"]
    for plugin_name, text in (
        ("broken-sync", "sync implementation broke"),
        ("broken-async", "async implementation broke"),
    ):
        [record] = [r for r in caplog.records if f"hook demo_collect of plugin {plugin_name}" in r.getMessage()]
        assert re.search(r"error_id=[0-9a-f]{8} in hook demo_collect", record.getMessage())
        assert record.exc_info is not None and str(record.exc_info[1]) == text


async def test_new_style_wrapper_sees_the_results_and_can_replace_them() -> None:
    seen: list[list[str]] = []

    class Shout:
        @hookimpl(wrapper=True)
        def demo_collect(self, user_id: int) -> Generator[None, list[str], list[str]]:
            results = yield
            seen.append(list(results))
            return [word.upper() for word in results]

    disabled: set[tuple[int, str]] = set()
    hooks = demo_registry({"a": Answers("a", []), "b": Answers("b", []), "shout": Shout()}, disabled)
    assert await hooks.call("demo_collect", guild_id=GUILD, user_id=1) == ["B", "A"]
    assert seen == [["b", "a"]]
    disabled.add((GUILD, "shout"))  # a disabled plugin's wrapper is left out too
    assert await hooks.call("demo_collect", guild_id=GUILD, user_id=1) == ["b", "a"]


async def test_old_style_hookwrapper_sees_the_outcome_and_can_force_a_result() -> None:
    seen: list[Any] = []

    class Override:
        @hookimpl(hookwrapper=True)
        def demo_pick(self, user_id: int) -> Generator[None, Any, None]:
            outcome = yield
            seen.append(outcome.get_result())
            if user_id == 0:
                outcome.force_result("nobody")

    hooks = demo_registry({"a": Answers("a", []), "override": Override()})
    assert await hooks.call("demo_pick", guild_id=GUILD, user_id=5) == "a"
    assert await hooks.call("demo_pick", guild_id=GUILD, user_id=0) == "nobody"
    assert seen == ["a", "a"]


async def test_hookcall_monitoring_sees_calls_made_through_the_registry() -> None:
    calls: list[tuple[str, list[str], dict[str, Any]]] = []
    outcomes: list[Any] = []
    disabled = {(GUILD, "b")}
    hooks = demo_registry({"a": Answers("a", []), "b": Answers("b", [])}, disabled)

    def before(hook_name: str, impls: list[Any], kwargs: dict[str, Any]) -> None:
        calls.append((hook_name, [impl.plugin_name for impl in impls], dict(kwargs)))

    def after(outcome: Any, hook_name: str, impls: list[Any], kwargs: dict[str, Any]) -> None:
        outcomes.append(outcome.get_result())

    undo = hooks.manager.add_hookcall_monitoring(before, after)
    assert await hooks.call("demo_collect", guild_id=GUILD, user_id=3) == ["a"]
    assert await hooks.call_each("demo_collect", guild_id=OTHER_GUILD, user_id=4) == {"b": "b", "a": "a"}
    undo()
    await hooks.call("demo_collect", guild_id=OTHER_GUILD, user_id=5)
    assert calls == [
        ("demo_collect", ["a"], {"guild_id": GUILD, "user_id": 3}),  # b is off in the guild
        ("demo_collect", ["b"], {"guild_id": OTHER_GUILD, "user_id": 4}),
        ("demo_collect", ["a"], {"guild_id": OTHER_GUILD, "user_id": 4}),
    ]
    assert outcomes == [["a"], ["b"], ["a"]]


async def test_call_each_answers_per_plugin(caplog: pytest.LogCaptureFixture) -> None:
    disabled: set[tuple[int, str]] = set()
    hooks = demo_registry(
        {
            "sync": Answers("s", []),
            "silent": Answers(None, []),
            "async": AsyncAnswers("x", []),
            "broken": BrokenAsync(),
        },
        disabled,
    )
    answers = await hooks.call_each("demo_collect", guild_id=OTHER_GUILD, user_id=2)
    assert answers == {"async": "x:2", "sync": "s"}
    assert list(answers) == ["async", "sync"]  # pluggy's call order: the last registered first
    assert any("hook demo_collect of plugin broken" in r.getMessage() for r in caplog.records)
    disabled.add((GUILD, "sync"))
    assert await hooks.call_each("demo_collect", guild_id=GUILD, user_id=2) == {"async": "x:2"}
    assert await hooks.call_each("demo_pick", guild_id=OTHER_GUILD, user_id=2) == {"sync": "s"}


def test_async_implementation_of_a_firstresult_hook_is_refused_at_startup() -> None:
    with pytest.raises(StartupError, match=r"'late-async'.*firstresult hook 'demo_pick'.*plain \(def\) function"):
        demo_registry({"fine": Answers("fine", []), "late-async": AsyncPick()})

    # Registered before the plugin declaring the hookspec was loaded: refused when it is.
    hooks = HookRegistry()
    hooks.register("early-async", AsyncPick())
    with pytest.raises(StartupError, match=r"'early-async'.*firstresult hook 'demo_pick'"):
        hooks.add_hookspecs(DEMO_SPECS)


async def test_ungated_hooks_reach_plugins_disabled_in_the_guild() -> None:
    heard: list[tuple[str, int]] = []

    class Listener:
        @hookimpl
        def plugin_enabled(self, guild_id: int, plugin: str) -> None:
            heard.append(("enabled", guild_id))

        @hookimpl
        async def guild_joined(self, guild_id: int) -> None:
            heard.append(("joined", guild_id))

        @hookimpl
        def demo_collect(self, guild_id: int) -> None:
            heard.append(("collect", guild_id))

    hooks = demo_registry({"listener": Listener()}, {(GUILD, "listener")})
    await hooks.call("plugin_enabled", guild_id=GUILD, runtime=None, plugin="other", actor_id=None)
    await hooks.call("guild_joined", guild_id=GUILD, runtime=None)
    await hooks.call("demo_collect", guild_id=GUILD, user_id=1)
    assert heard == [("enabled", GUILD), ("joined", GUILD)]
