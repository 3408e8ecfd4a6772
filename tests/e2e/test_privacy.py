"""/privacy export and delete through the real client, checked against every table."""

import json

from gk_toy_greeter.models import Visit

from guildkit.core.models import AuditLog, CommandUsageHour, UserProfile
from guildkit.core.privacy import find_user_data
from guildkit.core.testing.harness import eventually


async def make_some_data(gk, guild, member) -> None:
    await member.slash("greet")
    await member.slash("timezone", zone="Asia/Tokyo")
    await member.say("hello from me")
    await Visit.create(guild_id=guild.id, user_id=member.id, at=gk.clock.now())

    async def heard():
        await gk.bot.usage.flush()  # the server's command counts, written as they would be anyway
        return await find_user_data(member.id)

    await eventually(heard)


async def test_export_gives_everything_grouped_by_plugin(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    await make_some_data(gk, guild, alice)
    reply = await alice.slash("privacy export")
    assert reply.ephemeral
    [attachment] = reply.attachments
    assert attachment.filename == f"my-data-{alice.id}.json"
    data = json.loads(attachment.data)
    assert data["core"]["profile"]["timezone"] == "Asia/Tokyo"
    # Commands are counted per server and hour without who used them: nothing to export.
    assert set(data["core"]) == {"profile", "admin_actions"}
    assert await CommandUsageHour.filter(guild_id=guild.id, command="greet").exists()
    greeter = data["plugins"]["greeter"]
    assert greeter["greetings"][0]["count"] == 1
    assert greeter["messages_heard"][0]["content"] == "hello from me"
    assert greeter["visits"] == 1


async def test_delete_removes_everything_not_declared_kept(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice", admin=True)
    bob = await guild.member("bob")
    await make_some_data(gk, guild, alice)
    await make_some_data(gk, guild, bob)
    await alice.slash("plugins enable", name="greeter.fancy")  # an audited admin action

    prompt = await alice.slash("privacy delete")
    assert prompt.ephemeral and "cannot be undone" in prompt.content
    done = await prompt.click("Delete my data")
    assert done.content.startswith("Your data was deleted.")
    assert "**core**: the record of plugin switches" in done.content

    leftovers = await find_user_data(alice.id)
    assert {(item.app, item.model) for item in leftovers} == {("core", "AuditLog")}
    await gk.bot.usage.flush()
    [greet] = await CommandUsageHour.filter(guild_id=guild.id, command="greet")
    assert greet.uses == 2  # the server's command counts stay: they name no one
    assert await AuditLog.filter(actor_id=alice.id).count() == 1
    assert await find_user_data(bob.id)  # other members keep their data
    assert await UserProfile.filter(id=bob.id).exists()


async def test_cancel_deletes_nothing(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    await make_some_data(gk, guild, alice)
    before = await find_user_data(alice.id)
    prompt = await alice.slash("privacy delete")
    assert (await prompt.click("Cancel")).content == "Nothing was deleted."
    assert await find_user_data(alice.id) == before
