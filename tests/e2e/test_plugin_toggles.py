"""/plugins through the real client: visibility per guild, the gate, audit, dependencies."""

import gk_toy_greeter.models as greeter_models
import pytest

from guildkit.core.models import AuditLog, FeatureFlag
from guildkit.core.testing.emulator.driver import CommandNotFound, CommandNotPermitted
from guildkit.core.testing.harness import eventually


async def test_plugins_list_shows_what_is_on_here(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    reply = await admin.slash("plugins list")
    assert reply.ephemeral
    assert "⚪ off  **greeter** 1.2.0 — Greets members and counts greetings" in reply.text
    await admin.slash("plugins enable", name="greeter")
    assert "🟢 on   **greeter** 1.2.0" in (await admin.slash("plugins list")).text


async def test_enable_and_disable_resync_only_that_guilds_commands(gk, command_names) -> None:
    emulator = gk.emulator
    guild = await gk.guild("Here", plugins=[])
    other = await gk.guild("Elsewhere", plugins=[])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    assert "greet" not in command_names(emulator, guild)
    with pytest.raises(CommandNotFound):
        await alice.slash("greet")
    puts_here, puts_other = emulator.bulk_overwrites(guild), emulator.bulk_overwrites(other)

    reply = await admin.slash("plugins enable", name="greeter")
    assert reply.ephemeral and "**greeter** is now enabled in this server." in reply.content
    assert emulator.bulk_overwrites(guild) == puts_here + 1  # one bulk overwrite
    assert "greet" in command_names(emulator, guild)
    assert "greet" not in command_names(emulator, other)
    assert emulator.bulk_overwrites(other) == puts_other
    assert "Hello, alice!" in (await alice.slash("greet")).content

    again = await admin.slash("plugins enable", name="greeter")
    assert "already enabled" in again.content
    assert emulator.bulk_overwrites(guild) == puts_here + 1  # nothing changed, nothing synced

    await admin.slash("plugins disable", name="greeter")
    # Kept (and gated) for the grace period, so switching back costs no command creates...
    assert "disabled in this server" in (await alice.slash("greet")).content
    assert emulator.bulk_overwrites(guild) == puts_here + 1
    gk.clock.advance(hours=24)

    async def removed() -> bool:
        return "greet" not in command_names(emulator, guild)

    await eventually(removed)  # ...then removed by one bulk overwrite
    assert emulator.bulk_overwrites(guild) == puts_here + 2


async def test_every_toggle_is_audited_with_its_actor(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    await admin.slash("plugins enable", name="greeter")
    await admin.slash("plugins enable", name="greeter.fancy")
    await admin.slash("plugins disable", name="greeter")
    rows = await AuditLog.filter(guild_id=guild.id).order_by("id").values_list("action", "target", "actor_id")
    assert rows == [
        ("plugin.enable", "greeter", admin.id),
        ("plugin.enable", "greeter.fancy", admin.id),
        ("plugin.disable", "greeter", admin.id),
    ]


async def test_sub_feature_switch_changes_behaviour(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    assert "✨" not in (await admin.slash("greet")).content
    await admin.slash("plugins enable", name="greeter.fancy")
    assert (await admin.slash("greet")).content.startswith("✨ Hello, ada!")


async def test_unknown_plugin_name_is_a_clear_ephemeral_error(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    reply = await admin.slash("plugins enable", name="karaoke")
    assert reply.ephemeral
    assert "There is no plugin or feature called `karaoke`. See `/plugins list`." in reply.content
    assert await FeatureFlag.filter(guild_id=guild.id).count() == 0


async def test_enabling_a_plugin_whose_dependency_is_off_says_so(echo_installed, gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    reply = await admin.slash("plugins enable", name="echo")
    assert "**echo** needs **greeter**, which is off here. Enable it first with `/plugins enable greeter`." in (
        reply.content
    )
    assert not await gk.bot.flags.own_value(guild.id, "echo")
    await admin.slash("plugins enable", name="greeter")
    assert "now enabled" in (await admin.slash("plugins enable", name="echo")).content
    assert (await admin.slash("echo", text="hi there")).content == "hi there"


async def test_plugins_info(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    text = (await admin.slash("plugins info", name="greeter")).text
    assert "greeter 1.2.0" in text and "Greets members" in text
    assert "fancy: off" in text and "/greet" in text and "/config show greeter" in text


async def test_members_without_manage_server_cannot_toggle(gk) -> None:
    guild = await gk.guild(plugins=[])
    bob = await guild.member("bob")
    with pytest.raises(CommandNotPermitted):  # Discord hides it: default_member_permissions
        await bob.slash("plugins enable", name="greeter")
    # A server owner can open the command to everyone in Discord's settings; the core checks again.
    for command in gk.emulator.world.scope_commands(None).values():
        command.data["default_member_permissions"] = None
    reply = await bob.slash("plugins enable", name="greeter")
    assert reply.ephemeral and "You need the **Manage Server** permission" in reply.content
    assert await FeatureFlag.filter(guild_id=guild.id).count() == 0


async def test_autocomplete_offers_plugins_and_features(gk) -> None:
    guild = await gk.guild(plugins=[])
    admin = await guild.member("ada", admin=True)
    choices = await admin.autocomplete("plugins enable", "name", "gree")
    assert [c["value"] for c in choices] == ["greeter", "greeter.fancy"]


async def test_disabled_plugin_listeners_are_not_called(gk) -> None:
    on = await gk.guild("On", plugins=["greeter"])
    off = await gk.guild("Off", plugins=[])
    alice_off = await off.member("alice")
    alice_on = await on.member("alice")
    await alice_off.say("hello from the quiet server")
    await alice_on.say("hello from the busy server")

    async def heard_on() -> list[str]:
        return await greeter_models.HeardMessage.filter(guild_id=on.id).values_list("content", flat=True)

    assert await eventually(heard_on) == ["hello from the busy server"]
    await alice_off.slash("timezone")  # a full round trip after the quiet server's event
    assert await greeter_models.HeardMessage.filter(guild_id=off.id).count() == 0


async def test_global_scope_registers_everything_and_the_gate_refuses(gk, command_names) -> None:
    await gk.start(bot={"command_scope": "global"})
    guild = await gk.guild(plugins=[])
    assert {"greet", "plugins", "config", "timezone"} <= command_names(gk.emulator)  # global scope
    assert "greet" not in command_names(gk.emulator, guild)
    alice = await guild.member("alice")
    reply = await alice.slash("greet")
    assert reply.ephemeral
    assert reply.content == (
        "The **greeter** plugin is disabled in this server. "
        "A server manager can turn it on with `/plugins enable greeter`."
    )
    assert await greeter_models.Greeting.filter(guild_id=guild.id).count() == 0


async def test_buttons_of_a_plugin_switched_off_later_are_refused(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    greeting = await admin.slash("greet")
    assert "👋 from ada" in (await greeting.click("Wave")).content
    await admin.slash("plugins disable", name="greeter")
    refused = await greeting.click("Wave")
    assert refused.ephemeral and "disabled in this server" in refused.content


async def test_guild_joined_later_gets_default_on_plugins(gk, command_names) -> None:
    await gk.start(plugins={"greeter": {"enabled_by_default": True}})
    guild = await gk.guild("New")  # the bot is added after startup
    assert "greet" in command_names(gk.emulator, guild)


async def test_restart_with_unchanged_commands_does_not_resync(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    before = gk.emulator.bulk_overwrites(guild)
    await gk.restart()
    alice = await guild.member("alice")
    assert "Hello, alice!" in (await alice.slash("greet")).content
    assert gk.emulator.bulk_overwrites(guild) == before


async def test_ready_made_guild_and_member_fixtures(gk_guild, gk_member, gk_admin) -> None:
    assert "Your timezone" in (await gk_member.slash("timezone")).content
    assert "Plugins" in (await gk_admin.slash("plugins list")).text
    with pytest.raises(CommandNotPermitted):
        await gk_member.slash("plugins list")
