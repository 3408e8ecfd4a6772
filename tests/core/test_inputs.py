"""Input limits at the edge: declared option limits, control characters, quoting input back,
error replies that fit, and admin templates that cannot expand."""

from __future__ import annotations

import logging
import time
from typing import Any

import interactions
import pytest
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.commands import core_extensions
from guildkit.core.config import parse_config
from guildkit.core.discovery import installed_plugins
from guildkit.core.errors import StartupError, UserError
from guildkit.core.inputs import (
    TemplateError,
    check_template,
    option_limit_problems,
    quote,
    render_template,
    template_fields,
)
from guildkit.core.models import AuditLog, SettingValue
from guildkit.core.plugin import Plugin
from guildkit.core.runtime import Runtime


class Unbounded(interactions.Extension):
    @interactions.slash_command(name="unbounded", description="No limits")
    @slash_option("text", "Text", opt_type=OptionType.STRING, required=True)
    @slash_option("count", "Count", opt_type=OptionType.INTEGER, required=True, min_value=1)
    async def unbounded(self, ctx: SlashContext, text: str, count: int) -> None:
        await ctx.send(text * count)


class Wordy(interactions.Extension):
    @interactions.slash_command(name="wordy", description="Refuses at length")
    @slash_option("text", "Text", opt_type=OptionType.STRING, required=True, max_length=100)
    async def wordy(self, ctx: SlashContext, text: str) -> None:
        raise UserError(f"{quote(text)} is not accepted: " + "because " * 1000)


wordy = Plugin(name="wordy", version="1.0", description="Long refusals", extensions=(Wordy,), module=__name__)


@pytest.fixture
def gk_plugins(greeter_plugin: Any) -> list[Any]:
    return [greeter_plugin, wordy]


# -- declared limits ------------------------------------------------------------------------


def test_an_option_without_limits_is_named() -> None:
    assert option_limit_problems(Unbounded) == [
        "/unbounded: option text has no max_length (Discord would send up to 6,000 characters)",
        "/unbounded: option count has no min_value/max_value",
    ]


def test_a_builtin_plugin_without_limits_does_not_start(tmp_path: Any) -> None:
    config = parse_config({"database": {"url": f"sqlite://{tmp_path / 'x.db'}"}})
    builtin = Plugin(
        name="sloppy", version="1", description="x", extensions=(Unbounded,), module="guildkit.plugins.sloppy"
    )
    with pytest.raises(StartupError) as refused:
        Runtime(config, extra_plugins=[builtin])
    assert "plugin sloppy: /unbounded: option text has no max_length" in str(refused.value)
    assert "plugin sloppy: /unbounded: option count has no min_value/max_value" in str(refused.value)


def test_a_third_party_plugin_without_limits_starts_with_a_warning(tmp_path: Any, caplog: Any) -> None:
    config = parse_config({"database": {"url": f"sqlite://{tmp_path / 'x.db'}"}})
    third = Plugin(name="sloppy", version="1", description="x", extensions=(Unbounded,), module="sloppy_bot_plugin")
    with caplog.at_level(logging.WARNING, logger="guildkit.inputs"):
        Runtime(config, extra_plugins=[third])
    assert "plugin sloppy: 2 option(s) without limits" in caplog.text
    assert "/unbounded: option text has no max_length" in caplog.text


def test_the_cores_commands_declare_every_limit() -> None:
    problems = [problem for extension in core_extensions() for problem in option_limit_problems(extension)]
    assert problems == []


@pytest.mark.parametrize("plugin", list(installed_plugins([]).values()), ids=lambda plugin: plugin.name)
def test_every_builtin_plugin_declares_every_limit(plugin: Plugin) -> None:
    problems = [problem for extension in plugin.extensions for problem in option_limit_problems(extension)]
    assert problems == []


# -- control characters ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Hi\x00there", "Hi\x1bthere", "\x7f"])
async def test_control_characters_are_refused_before_plugin_code(gk, bad: str) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    reply = await admin.slash("config set", plugin="greeter", key="greeting", value=bad)
    assert reply.ephemeral
    assert reply.content == (
        "The option `value` contains an invisible control character (such as NUL) that cannot be stored. "
        "Type it again without it."
    )
    assert await SettingValue.filter(guild_id=guild.id).count() == 0
    assert await AuditLog.filter(guild_id=guild.id).exclude(action__startswith="plugin.").count() == 0
    # Line breaks and tabs are text, not control characters here.
    reply = await admin.slash("config set", plugin="greeter", key="greeting", value="Hi\tthere")
    assert "is now" in reply.content


async def test_a_control_character_in_a_core_command_of_a_member(gk) -> None:
    guild = await gk.guild(plugins=[])
    alice = await guild.member("alice")
    reply = await alice.slash("timezone", zone="Europe/Berlin\x00")
    assert reply.ephemeral and "The option `zone` contains an invisible control character" in reply.content


# -- quoting and error replies --------------------------------------------------------------


def test_quote_shortens_and_neutralises_backticks() -> None:
    assert quote("plenty") == "`plenty`"
    assert quote("a" * 500, limit=10) == "`" + "a" * 9 + "…`"
    assert "`" not in quote("x`` @everyone")[1:-1]
    assert quote("") == "`(empty)`"
    assert quote("a\x00b") == "`a?b`"


async def test_an_error_reply_longer_than_discord_allows_is_cut(gk) -> None:
    guild = await gk.guild(plugins=["wordy"])
    alice = await guild.member("alice")
    reply = await alice.slash("wordy", text="x" * 100)
    assert reply.ephemeral and len(reply.content) == 2000 and reply.content.endswith("…")
    assert reply.content.startswith("`" + "x" * 100 + "` is not accepted")


async def test_unknown_plugin_names_are_quoted_short(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    reply = await admin.slash("plugins info", name="z" * 100)
    assert reply.ephemeral and reply.content == f"There is no plugin called `{'z' * 39}…`. See `/plugins list`."


# -- templates ------------------------------------------------------------------------------

FIELDS = ("member", "level")


@pytest.mark.parametrize(
    ("template", "refusal"),
    [
        ("{level:>30000000}", "The template formats {level} as `{level:>30000000}`"),
        ("{level!r}", "The template formats {level} as `{level!r:}`"),
        ("{xp}", "The template uses `{xp}`; it can use `{level}`, `{member}`."),
        ("{member.__class__}", "The template uses `{member.__class__}`"),
        ("{0}", "The template uses `{0}`"),
        ("{level", "The template has an unmatched `{` or `}`"),
        ("x" * 1001, "The template is 1,001 characters long; the most is 1,000."),
    ],
)
def test_templates_refused_at_configuration_time(template: str, refusal: str) -> None:
    with pytest.raises(TemplateError) as refused:
        check_template(template, FIELDS)
    assert str(refused.value).startswith(refusal)


def test_templates_render_bounded_whatever_is_stored() -> None:
    assert check_template("GG {member}, level {level:,}!", FIELDS) == "GG {member}, level {level:,}!"
    assert render_template("GG {member}, level {level:,}!", {"member": "Ann", "level": 12345}) == (
        "GG Ann, level 12,345!"
    )
    started = time.perf_counter()
    stored_before_checks = render_template("{level:>30000000}{level:>30000000}", {"level": 5}, max_length=100)
    assert time.perf_counter() - started < 0.1
    assert len(stored_before_checks) <= 100
    long_name = render_template("{member} " * 50, {"member": "N" * 5000}, max_length=1900)
    assert len(long_name) == 1900 and long_name.endswith("…")
    assert render_template("{unknown} {member}", {"member": "Ann"}) == "{unknown} Ann"


def test_template_fields_name_what_a_template_shows() -> None:
    assert template_fields("🎉 {mention} reached level **{level}**!") == {"mention", "level"}
    assert template_fields("{user:,} and {{user}}") == {"user"}  # a doubled brace is text
    assert template_fields("{level") == frozenset()  # does not parse: shown as typed, no fields
