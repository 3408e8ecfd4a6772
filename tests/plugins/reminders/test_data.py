"""Retention (one-shot reminders 30 days after delivery, the log 90 days, stopped watches and
their reactions 30 days) and /privacy export and delete covering all of it."""

from __future__ import annotations

import json
from datetime import timedelta

from guildkit.core.privacy import find_user_data
from guildkit.core.testing.harness import eventually
from guildkit.plugins.reminders.models import Reminder, ReminderLog, Watch, WatchReaction

from .conftest import settle


async def _setup(gk):
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await alice.slash("remind", when="in 1 minute", message="once")
    await alice.slash("remind", when="in 1 hour", message="every day", every="day")
    post = await admin.say("react please")
    await admin.slash(
        "watch add", message=f"https://discord.com/channels/{guild.id}/{post.channel_id}/{post.id}", interval="1h"
    )
    await alice.react(post, "👍")
    await eventually(lambda: WatchReaction.filter(user_id=alice.id).exists())
    gk.clock.advance(minutes=1)
    await eventually(lambda: Reminder.filter(status="delivered").exists())
    return guild, admin, alice, post


async def test_retention_keeps_what_it_says_and_no_longer(gk) -> None:
    _guild, admin, _alice, post = await _setup(gk)
    watch = await Watch.get(message_id=post.id)
    await admin.slash("watch stop", id=watch.id)
    gk.clock.advance(days=29)
    await settle()
    await gk.bot.retention.run()
    assert await Reminder.filter(status="delivered").exists()
    assert await WatchReaction.filter(watch_id=watch.id).exists()
    gk.clock.advance(days=2)
    await gk.bot.retention.run()
    assert not await Reminder.filter(status="delivered").exists()  # 30 days after delivery
    assert await Reminder.filter(message="every day").exists()  # a live one stays
    assert not await Watch.filter(id=watch.id).exists()
    assert not await WatchReaction.filter(watch_id=watch.id).exists()
    assert await ReminderLog.filter(created_at__lt=gk.clock.now() - timedelta(days=30)).exists()
    gk.clock.advance(days=60)
    await gk.bot.retention.run()
    assert not await ReminderLog.filter(created_at__lt=gk.clock.now() - timedelta(days=90)).exists()


async def test_privacy_export_and_delete_cover_reminders_log_and_reactions(gk) -> None:
    _guild, admin, alice, post = await _setup(gk)
    reply = await alice.slash("privacy export")
    data = json.loads(reply.attachments[0].data)["plugins"]["reminders"]
    assert {r["message"] for r in data["reminders"]} == {"once", "every day"}
    assert data["reminder_log"][0]["status"] == "sent"
    assert data["watch_reactions"][0]["emoji"] == "👍"
    prompt = await alice.slash("privacy delete")
    await prompt.click("Delete my data")
    assert not await Reminder.filter(user_id=alice.id).exists()
    assert not await ReminderLog.filter(user_id=alice.id).exists()
    assert not await WatchReaction.filter(user_id=alice.id).exists()
    assert [item for item in await find_user_data(alice.id) if item.app == "reminders"] == []
    admin_export = json.loads((await admin.slash("privacy export")).attachments[0].data)["plugins"]["reminders"]
    assert admin_export["watches_created"][0]["message_id"] == post.id
