"""Moderators by role: a role attached to the ``moderator`` level with `/permissions add` lets its
members moderate without any Discord permission; everyone else stays refused, also when the owner
opened the commands to everyone in Discord; the role hierarchy binds role-moderators too."""

from datetime import timedelta

import pytest

from guildkit.core.testing.emulator.driver import CommandNotPermitted
from guildkit.plugins.moderation.models import Case


async def test_a_role_attached_to_moderator_can_moderate_and_a_plain_member_cannot(gk) -> None:
    guild = await gk.guild(plugins=["moderation"])
    ada = await guild.member("ada", admin=True)
    helpers = guild.add_role("Helpers")  # no Discord permission at all
    hal = await guild.member("hal", roles=[helpers])
    bob = await guild.member("bob")
    carol = await guild.member("carol")

    attached = await ada.slash("permissions add", level="moderator", role=helpers)
    assert attached.ephemeral and "now count as **moderator**" in attached.content
    # Discord shows the commands only to members with a moderator permission until the server
    # owner opens them for the role (Server Settings → Integrations); here: for everyone.
    with pytest.raises(CommandNotPermitted):
        await bob.slash("warn", member=carol, reason="x")
    for command in gk.emulator.world.scope_commands(guild.id).values():
        command.data["default_member_permissions"] = None

    warned = await hal.slash("warn", member=bob, reason="spamming")
    assert "Case 1" in warned.content and not warned.ephemeral
    timed_out = await hal.slash("timeout", member=bob, duration="10m", reason="still spamming")
    assert "timed out" in timed_out.content
    assert bob.timed_out_until is not None
    assert abs(bob.timed_out_until - gk.clock.now() - timedelta(minutes=10)) < timedelta(seconds=5)

    for command, options in (
        ("warn", {"member": carol, "reason": "x"}),
        ("timeout", {"member": carol, "duration": "1h", "reason": "x"}),
        ("kick", {"member": carol, "reason": "x"}),
    ):
        refused = await bob.slash(command, **options)
        assert refused.ephemeral and refused.content.startswith("You need"), refused.content
        assert f"<@&{helpers.id}>" in refused.content  # tells who may
    assert carol.timed_out_until is None and carol.in_guild

    cases = await Case.filter(guild_id=guild.id).order_by("number").values_list("kind", "moderator_id", "target_id")
    assert cases == [("warn", hal.id, bob.id), ("timeout", hal.id, bob.id)]

    removed = await ada.slash("permissions remove", level="moderator", role=helpers)
    assert "no longer counts" in removed.content
    refused = await hal.slash("warn", member=carol, reason="x")
    assert refused.ephemeral and refused.content.startswith("You need")


async def test_the_hierarchy_binds_role_moderators(gk) -> None:
    guild = await gk.guild(plugins=["moderation"])
    ada = await guild.member("ada", admin=True)
    helpers = guild.add_role("Helpers")
    seniors = guild.add_role("Seniors")  # created later: right below the bot, above Helpers
    assert seniors.position > helpers.position
    hal = await guild.member("hal", roles=[helpers])
    peer = await guild.member("peer", roles=[helpers])
    senior = await guild.member("senior", roles=[seniors])
    await ada.slash("permissions add", level="moderator", role=helpers)
    for command in gk.emulator.world.scope_commands(guild.id).values():
        command.data["default_member_permissions"] = None

    for target in (senior, peer):
        for command, options in (
            ("warn", {"reason": "x"}),
            ("timeout", {"duration": "1h", "reason": "x"}),
            ("kick", {"reason": "x"}),
        ):
            refused = await hal.slash(command, member=target, **options)
            assert refused.ephemeral and "at or above your top role" in refused.content, refused.content
    refused = await hal.slash("ban", user=senior, reason="x")
    assert refused.ephemeral and "at or above your top role" in refused.content
    refused = await hal.slash("ban", user=guild.owner, reason="x")
    assert refused.ephemeral and "server owner" in refused.content
    assert senior.in_guild and peer.timed_out_until is None and not guild.bans
    assert await Case.filter(guild_id=guild.id).count() == 0  # a refusal takes no case number
