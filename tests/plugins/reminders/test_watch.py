"""/watch: reminding members who have not reacted, chunked mentions, reconciliation after a
restart, completion, pause/stop and the log."""

from __future__ import annotations

import pytest

from guildkit.core.testing.emulator.driver.errors import CommandNotPermitted
from guildkit.core.testing.harness import eventually
from guildkit.plugins.reminders.models import ReminderLog, Watch, WatchReaction

from .conftest import settle


def link(guild, message) -> str:
    return f"https://discord.com/channels/{guild.id}/{message.channel_id}/{message.id}"


def rounds(guild) -> list:
    return [m for m in guild.bot_messages("general") if m.content.startswith("🔔")]


async def _at_least(guild, count: int):
    found = rounds(guild)
    return found if len(found) >= count else None


async def test_members_who_have_not_reacted_are_reminded_until_everyone_has(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    post = await admin.say("Read the rules and react ✅")
    added = await admin.slash("watch add", message=link(guild, post), interval="1h", emojis="✅", title="Rules")
    assert "Watch **#" in added.content
    await alice.react(post, "✅")
    await eventually(lambda: WatchReaction.filter(user_id=alice.id).exists())
    gk.clock.advance(hours=1)
    [first] = await eventually(lambda: _at_least(guild, 1))
    await settle()  # the round is recorded and the next one scheduled before the clock moves on
    assert bob.mention in first.content and admin.mention in first.content
    assert alice.mention not in first.content
    assert set(first.pinged_ids) == {bob.id, admin.id, guild.owner.id}  # everyone who can see #general
    await bob.react(post, "👍")  # not the required emoji
    await admin.react(post, "✅")
    await guild.owner.react(post, "✅")
    gk.clock.advance(hours=1)
    second = (await eventually(lambda: _at_least(guild, 2)))[1]
    await settle()
    assert second.pinged_ids == [bob.id]
    await bob.react(post, "✅")
    gk.clock.advance(hours=1)
    await settle()
    assert len(rounds(guild)) == 2
    assert (await Watch.get(message_id=post.id)).status == "complete"
    log = await admin.slash("watch log")
    text = log.embeds[0]["description"]
    assert text.count("sent") == 2 and "3 notified" in text and "1 notified" in text


async def test_reactions_missed_while_down_are_reconciled_from_discord(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    post = await admin.say("Vote")
    await admin.slash("watch add", message=link(guild, post), interval="30m")
    await admin.react(post, "🎉")
    await eventually(lambda: WatchReaction.filter(user_id=admin.id).exists())
    await gk.stop()
    await alice.react(post, "👍")  # the bot is offline: no event reaches it
    await admin.unreact(post, "🎉")
    await guild.owner.react(post, "👍")
    await gk.start()
    assert await WatchReaction.filter(user_id=alice.id).count() == 0
    gk.clock.advance(minutes=30)
    [first] = await eventually(lambda: _at_least(guild, 1))
    assert first.pinged_ids == [admin.id]  # alice's offline reaction counted, ada's removal too
    assert await WatchReaction.filter(user_id=alice.id).count() == 1
    assert await WatchReaction.filter(user_id=admin.id).count() == 0


async def test_a_round_is_chunked_under_discords_limits(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    for n in range(130):
        await guild.member(f"m{n}")
    post = await admin.say("Everyone react")
    await admin.slash("watch add", message=link(guild, post), interval="1h")
    gk.clock.advance(hours=1)
    await settle()
    messages = rounds(guild)
    assert len(messages) >= 2
    assert all(len(m.content) <= 2000 and len(m.pinged_ids) <= 100 for m in messages)
    pinged = [u for m in messages for u in m.pinged_ids]
    assert len(pinged) == len(set(pinged)) == 132  # 130 members, ada and the owner
    assert (await ReminderLog.get(watch__message_id=post.id)).members_notified == 132


async def test_role_and_channel_visibility_limit_who_is_reminded(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    team = guild.add_role("Team")
    alice = await guild.member("alice", roles=[team])
    bob = await guild.member("bob", roles=[team])
    await guild.member("carol")
    await guild.channel("general").set_permissions(bob, deny=["VIEW_CHANNEL"])
    post = await admin.say("Team check-in")
    await admin.slash("watch add", message=link(guild, post), interval="1h", role=team)
    gk.clock.advance(hours=1)
    [first] = await eventually(lambda: _at_least(guild, 1))
    assert first.pinged_ids == [alice.id]


async def test_pause_resume_stop_and_only_managers(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    post = await admin.say("Check")
    with pytest.raises(CommandNotPermitted):  # Discord hides it; the command checks again too
        await alice.slash("watch add", message=link(guild, post), interval="1h")
    await admin.slash("watch add", message=link(guild, post), interval="1h")
    watch = await Watch.get(message_id=post.id)
    await admin.slash("watch pause", id=watch.id)
    gk.clock.advance(hours=2)
    await settle()
    assert rounds(guild) == []
    await admin.slash("watch resume", id=watch.id)
    gk.clock.advance(hours=1)
    await eventually(lambda: _at_least(guild, 1))
    await settle()
    listing = await admin.slash("watch list")
    assert f"#{watch.id}" in listing.embeds[0]["description"]
    await admin.slash("watch stop", id=watch.id)
    gk.clock.advance(hours=3)
    await settle()
    assert len(rounds(guild)) == 1
    bad = await admin.slash("watch add", message="https://example.com/nope", interval="1h")
    assert bad.ephemeral and "not a message link" in bad.content
