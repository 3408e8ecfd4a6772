"""Feature flags and settings against a real database (SQLite file and PostgreSQL)."""

import pytest

from guildkit.core.config import parse_config
from guildkit.core.errors import ConfigError, UserError
from guildkit.core.models import AuditLog, FeatureFlag
from guildkit.core.runtime import Runtime
from guildkit.core.settings import SettingsService

GUILD, OTHER, CHANNEL, ADMIN = 1001, 1002, 5005, 42


async def test_default_then_row_decides(runtime: Runtime) -> None:
    assert await runtime.flags.is_enabled(GUILD, "greeter") is False  # the plugin's default
    await runtime.set_plugin_enabled(GUILD, "greeter", True, ADMIN)
    assert await runtime.flags.is_enabled(GUILD, "greeter") is True
    assert await runtime.flags.is_enabled(OTHER, "greeter") is False
    row = await FeatureFlag.get(guild_id=GUILD, name="greeter")
    assert row.enabled and row.changed_by == ADMIN


async def test_bot_toml_default_applies_without_row(gk_database_url: str, greeter_plugin) -> None:
    config = parse_config({"database": {"url": gk_database_url}, "plugins": {"greeter": {"enabled_by_default": True}}})
    runtime = Runtime(config, extra_plugins=[greeter_plugin])
    await runtime.open_database()
    try:
        assert await runtime.flags.is_enabled(GUILD, "greeter") is True
        await runtime.set_plugin_enabled(GUILD, "greeter", False, ADMIN)
        assert await runtime.flags.is_enabled(GUILD, "greeter") is False
    finally:
        await runtime.close_database()


async def test_sub_feature_needs_its_plugin(runtime: Runtime) -> None:
    await runtime.set_plugin_enabled(GUILD, "greeter.fancy", True, ADMIN)
    assert await runtime.flags.is_enabled(GUILD, "greeter.fancy") is False  # plugin still off
    await runtime.set_plugin_enabled(GUILD, "greeter", True, ADMIN)
    assert await runtime.flags.is_enabled(GUILD, "greeter.fancy") is True


async def test_every_toggle_is_audited_and_no_op_writes_nothing(runtime: Runtime) -> None:
    await runtime.set_plugin_enabled(GUILD, "greeter", True, ADMIN)
    again = await runtime.set_plugin_enabled(GUILD, "greeter", True, ADMIN)
    await runtime.set_plugin_enabled(GUILD, "greeter", False, ADMIN + 1)
    assert not again.changed
    rows = await AuditLog.filter(guild_id=GUILD).order_by("id")
    assert [(r.action, r.target, r.before, r.after, r.actor_id) for r in rows] == [
        ("plugin.enable", "greeter", "false", "true", ADMIN),
        ("plugin.disable", "greeter", "true", "false", ADMIN + 1),
    ]


async def test_audit_rows_cannot_be_changed(runtime: Runtime) -> None:
    await runtime.set_plugin_enabled(GUILD, "greeter", True, ADMIN)
    row = await AuditLog.get(guild_id=GUILD)
    row.actor_id = 7
    with pytest.raises(PermissionError):
        await row.save()
    with pytest.raises(PermissionError):
        await row.delete()
    assert (await AuditLog.get(guild_id=GUILD)).actor_id == ADMIN


async def test_unknown_flag_is_refused(runtime: Runtime) -> None:
    with pytest.raises(UserError, match=r"no plugin or feature called `greeter\.turbo`"):
        await runtime.set_plugin_enabled(GUILD, "greeter.turbo", True, ADMIN)
    assert await FeatureFlag.filter(guild_id=GUILD).count() == 0


async def test_settings_precedence(runtime: Runtime) -> None:
    settings = runtime.settings
    assert (await settings.get(GUILD, "greeter")).greeting == "Hello"  # schema default
    assert (await settings.get(GUILD, "greeter")).max_greetings == 5  # bot.toml
    await settings.set(GUILD, "greeter", "max_greetings", "8", channel_id=None, actor_id=ADMIN)
    await settings.set(GUILD, "greeter", "max_greetings", "20", channel_id=CHANNEL, actor_id=ADMIN)
    assert (await settings.get(GUILD, "greeter")).max_greetings == 8  # guild value
    assert (await settings.get(GUILD, "greeter", CHANNEL)).max_greetings == 20  # channel wins
    assert (await settings.get(GUILD, "greeter", CHANNEL + 1)).max_greetings == 8
    assert (await settings.get(OTHER, "greeter")).max_greetings == 5
    await settings.reset(GUILD, "greeter", "max_greetings", channel_id=CHANNEL, actor_id=ADMIN)
    assert (await settings.get(GUILD, "greeter", CHANNEL)).max_greetings == 8
    actions = await AuditLog.filter(guild_id=GUILD).order_by("id").values_list("action", "target")
    assert actions == [
        ("config.set", "greeter.max_greetings"),
        ("config.set", f"greeter.max_greetings@{CHANNEL}"),
        ("config.reset", f"greeter.max_greetings@{CHANNEL}"),
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("max_greetings", "lots", "`max_greetings` must be a whole number at least 1 and at most 100"),
        ("max_greetings", "0", "at least 1"),
        ("style", "loud", "`style` must be one of `plain`, `fancy`"),
        ("greting", "Hi", "`greeter` has no setting `greting`. Settings: `greeting`"),
    ],
)
async def test_invalid_values_name_key_and_allowed_values(runtime: Runtime, key: str, value: str, message: str) -> None:
    with pytest.raises(UserError, match=message.replace("(", r"\(")):
        await runtime.settings.set(GUILD, "greeter", key, value, channel_id=None, actor_id=ADMIN)
    assert await runtime.settings.overrides(GUILD, "greeter") == {}
    assert await AuditLog.filter(guild_id=GUILD).count() == 0


async def test_settings_cache_is_invalidated_by_writes(runtime: Runtime) -> None:
    before = await runtime.settings.get(GUILD, "greeter")
    assert before.greeting == "Hello"
    await runtime.settings.set(GUILD, "greeter", "greeting", "Howdy", channel_id=None, actor_id=ADMIN)
    assert (await runtime.settings.get(GUILD, "greeter")).greeting == "Howdy"


def test_bot_toml_plugin_settings_are_validated(greeter_plugin) -> None:
    config = parse_config({"plugins": {"greeter": {"settings": {"max_greetings": 1000}}}})
    with pytest.raises(ConfigError, match=r"`plugins\.greeter\.settings\.max_greetings`"):
        SettingsService({"greeter": greeter_plugin}, config)
    config = parse_config({"plugins": {"greeter": {"settings": {"colour": "red"}}}})
    with pytest.raises(ConfigError, match=r"unknown key `plugins\.greeter\.settings\.colour`"):
        SettingsService({"greeter": greeter_plugin}, config)


async def test_explicit_choice_survives_a_later_change_of_the_default(gk_database_url: str, greeter_plugin) -> None:
    on_by_default = parse_config(
        {"database": {"url": gk_database_url}, "plugins": {"greeter": {"enabled_by_default": True}}}
    )
    runtime = Runtime(on_by_default, extra_plugins=[greeter_plugin])
    await runtime.open_database()
    try:
        change = await runtime.set_plugin_enabled(GUILD, "greeter", True, ADMIN)
        assert not change.changed  # it was already on
        assert await AuditLog.filter(guild_id=GUILD, action="plugin.enable").count() == 1
    finally:
        await runtime.close_database()
    off_by_default = parse_config({"database": {"url": gk_database_url}})
    runtime = Runtime(off_by_default, extra_plugins=[greeter_plugin])
    await runtime.open_database()
    try:
        assert await runtime.flags.is_enabled(GUILD, "greeter")  # the admin's choice, kept
        assert not await runtime.flags.is_enabled(OTHER, "greeter")  # the new default elsewhere
    finally:
        await runtime.close_database()
