"""/config, /timezone and error replies through the real client."""

import logging
import re

import gk_toy_greeter.models as greeter_models
import pytest

from guildkit.core.models import AuditLog, SettingValue, UserProfile


@pytest.fixture
def gk_plugins(greeter_plugin, echo_installed):
    return [greeter_plugin]


async def test_config_set_changes_behaviour_with_channel_override(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    quiet = guild.add_channel("quiet")
    admin = await guild.member("ada", admin=True)
    reply = await admin.slash("config set", plugin="greeter", key="greeting", value="Hi")
    assert reply.ephemeral and reply.content == "`greeter.greeting` is now **Hi** for this server."
    reply = await admin.slash("config set", plugin="greeter", key="greeting", value="Psst", channel=quiet)
    assert reply.content == f"`greeter.greeting` is now **Psst** in <#{quiet.id}>."
    assert (await admin.slash("greet")).content.startswith("Hi, ada!")
    assert (await admin.slash("greet", in_channel=quiet)).content.startswith("Psst, ada!")

    shown = (await admin.slash("config show", plugin="greeter")).text
    assert "`greeting` = **Hi** *(set for this server)*" in shown
    assert f"channel overrides: <#{quiet.id}>: Psst" in shown
    assert "`max_greetings` = **10** *(default)*" in shown
    assert "allowed: a whole number at least 1 and at most 100" in shown

    reset = await admin.slash("config reset", plugin="greeter", key="greeting")
    assert reset.content == "Reset `greeter.greeting` to the default."
    assert (await admin.slash("greet")).content.startswith("Hello, ada!")
    assert (await admin.slash("greet", in_channel=quiet)).content.startswith("Psst, ada!")


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "max_greetings",
            "plenty",
            "`max_greetings` must be a whole number at least 1 and at most 100; `plenty` is not.",
        ),
        ("max_greetings", "-3", "`max_greetings` must be a whole number at least 1 and at most 100; `-3` is not."),
        ("style", "loud", "`style` must be one of `plain`, `fancy`; `loud` is not."),
        ("colour", "red", "`greeter` has no setting `colour`. Settings: `greeting`, `max_greetings`, `style`."),
    ],
)
async def test_invalid_config_is_refused_and_nothing_written(gk, key: str, value: str, expected: str) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    reply = await admin.slash("config set", plugin="greeter", key=key, value=value)
    assert reply.ephemeral and reply.content == expected
    assert await SettingValue.filter(guild_id=guild.id).count() == 0
    assert await AuditLog.filter(guild_id=guild.id).exclude(action__startswith="plugin.").count() == 0


async def test_config_of_a_plugin_without_settings(gk) -> None:
    guild = await gk.guild(plugins=["greeter", "echo"])
    admin = await guild.member("ada", admin=True)
    reply = await admin.slash("config show", plugin="echo")
    assert reply.ephemeral and reply.content == "The **echo** plugin has no settings."


async def test_config_autocomplete_lists_plugins_with_settings_and_their_keys(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    plugins = await admin.autocomplete("config set", "plugin", "")
    values = [c["value"] for c in plugins]
    assert "greeter" in values and "echo" not in values  # echo has no settings
    keys = await admin.autocomplete("config set", "key", "gr", plugin="greeter")
    assert [c["value"] for c in keys] == ["greeting", "max_greetings"]


async def test_timezone_set_show_and_autocomplete(gk) -> None:
    guild = await gk.guild(plugins=[])
    alice = await guild.member("alice")
    shown = await alice.slash("timezone")
    assert shown.ephemeral and "Your timezone is **UTC** (it is 12:00 there)" in shown.content
    choices = await alice.autocomplete("timezone", "zone", "berl")
    assert choices[0]["value"] == "Europe/Berlin"
    reply = await alice.slash("timezone", zone="europe/berlin")
    assert reply.content == "Your timezone is now **Europe/Berlin** (it is 13:00 there)."
    profile = await UserProfile.get(id=alice.id)
    assert profile.timezone == "Europe/Berlin" and profile.display_name == "alice"


async def test_unknown_timezone_suggests_and_writes_nothing(gk) -> None:
    guild = await gk.guild(plugins=[])
    alice = await guild.member("alice")
    reply = await alice.slash("timezone", zone="Berlin")
    assert reply.ephemeral
    assert reply.content == "`Berlin` is not a timezone I know. Did you mean `Europe/Berlin`?"
    assert await UserProfile.filter(id=alice.id, timezone="Berlin").count() == 0


async def test_plugin_user_error_is_shown_as_is(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    await admin.slash("config set", plugin="greeter", key="max_greetings", value="1")
    await admin.slash("greet")
    reply = await admin.slash("greet")
    assert reply.ephemeral
    assert reply.content == "You have been greeted 1 times already; the limit here is 1."
    assert (await greeter_models.Greeting.get(guild_id=guild.id, user_id=admin.id)).count == 1


async def test_crash_shows_an_error_id_and_logs_the_traceback_under_it(gk, caplog) -> None:
    guild = await gk.guild(plugins=["greeter", "echo"])
    alice = await guild.member("alice")
    with caplog.at_level(logging.ERROR, logger="guildkit.errors"):
        reply = await alice.slash("echo", text="crash")
    assert reply.ephemeral
    match = re.search(r"error id `([0-9a-f]{8})`", reply.content)
    assert match, reply.content
    assert "Traceback" not in reply.content and "RuntimeError" not in reply.content
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and "the echo chamber collapsed" in str(logged[0].exc_info[1])


async def test_users_are_registered_when_they_interact(gk) -> None:
    from guildkit.core.testing.harness import eventually

    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    await alice.slash("greet", locale="de")

    async def profile():
        return await UserProfile.get_or_none(id=alice.id)

    registered = await eventually(profile)
    assert registered.display_name == "alice" and registered.locale == "de"
    assert registered.first_seen == registered.last_seen == gk.clock.now()


async def test_the_test_clock_drives_what_the_bot_reads(gk) -> None:
    guild = await gk.guild(plugins=[])
    alice = await guild.member("alice")
    assert "(it is 12:00 there)" in (await alice.slash("timezone")).content
    gk.clock.advance(hours=2, minutes=30)
    assert "(it is 14:30 there)" in (await alice.slash("timezone")).content
