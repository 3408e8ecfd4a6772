"""/remind end to end: times read in the member's zone and shown back, ambiguity asked with
buttons, past and unreadable times refused with examples, delivery with only the author mentioned."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from guildkit.core.testing.harness import eventually
from guildkit.plugins.reminders.models import Reminder

from .conftest import posts, settle, unix

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def shown_time(content: str) -> int:
    match = re.search(r"<t:(\d+):F>", content)
    assert match, content
    assert f"<t:{match.group(1)}:R>" in content  # absolute and relative
    return int(match.group(1))


async def test_remind_shows_the_time_back_and_delivers_with_only_the_author_mentioned(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    reply = await alice.slash("remind", when="in 2h30m", message=f"stretch, and tell {bob.mention}")
    assert shown_time(reply.content) == unix(gk.clock.now() + timedelta(hours=2, minutes=30))
    assert "UTC" in reply.content  # the zone used
    gk.clock.advance(hours=2, minutes=29)
    await settle()
    assert posts(guild) == []
    gk.clock.advance(minutes=1)

    async def delivered():
        return guild.bot_messages("general")

    [message] = await eventually(delivered)
    assert alice.mention in message.content and "stretch" in message.content
    assert message.mention_ids == [alice.id, bob.id]
    assert message.pinged_ids == [alice.id]  # bob is named in the text, but only the author is pinged
    assert [b["label"] for row in message.components for b in row["components"]] == [
        "Snooze 10 min",
        "Snooze 1 h",
        "Tomorrow",
        "Done",
    ]


# Base: the test clock starts Monday 2026-01-05 12:00 UTC (13:00 in Berlin, 07:00 in New York).
PHRASES = [
    # (phrase, zone, expected local wall-clock time)
    ("in 2h30m", BERLIN, datetime(2026, 1, 5, 15, 30)),
    ("90 minutes", BERLIN, datetime(2026, 1, 5, 14, 30)),
    ("in 3 days", BERLIN, datetime(2026, 1, 8, 13, 0)),
    ("tomorrow 9am", BERLIN, datetime(2026, 1, 6, 9, 0)),
    ("tomorrow at 9", BERLIN, datetime(2026, 1, 6, 9, 0)),
    ("next friday 17:00", BERLIN, datetime(2026, 1, 9, 17, 0)),
    ("24 dec 18:00", BERLIN, datetime(2026, 12, 24, 18, 0)),
    ("2026-12-24 18:00", BERLIN, datetime(2026, 12, 24, 18, 0)),
    ("3pm", BERLIN, datetime(2026, 1, 5, 15, 0)),
    ("noon", BERLIN, datetime(2026, 1, 6, 12, 0)),
    ("at 17:45", BERLIN, datetime(2026, 1, 5, 17, 45)),
    ("friday", BERLIN, datetime(2026, 1, 9, 9, 0)),
    ("24/12", BERLIN, datetime(2026, 12, 24, 9, 0)),
    ("march 30 10:00", BERLIN, datetime(2026, 3, 30, 10, 0)),  # after the spring change: UTC+2
    ("tomorrow 9am", NEW_YORK, datetime(2026, 1, 6, 9, 0)),
    ("8am", NEW_YORK, datetime(2026, 1, 5, 8, 0)),
    ("in 2 hours", NEW_YORK, datetime(2026, 1, 5, 9, 0)),
    ("next friday 17:00", NEW_YORK, datetime(2026, 1, 9, 17, 0)),
    ("2026-07-04 12:00", NEW_YORK, datetime(2026, 7, 4, 12, 0)),  # summer time: UTC-4
    ("nov 2 9:00", NEW_YORK, datetime(2026, 11, 2, 9, 0)),  # after the fall change: UTC-5
    ("in 1 week", NEW_YORK, datetime(2026, 1, 12, 7, 0)),
    ("sunday 10:00", NEW_YORK, datetime(2026, 1, 11, 10, 0)),
]


async def test_twenty_phrases_in_two_zones_are_read_in_the_members_zone(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    for phrase, zone, local in PHRASES:
        reply = await alice.slash("remind", when=phrase, message="x", timezone=zone.key)
        expected = local.replace(tzinfo=zone)
        assert shown_time(reply.content) == unix(expected), (phrase, zone.key, reply.content)
        assert zone.key in reply.content
        await Reminder.filter(user_id=alice.id).delete()  # stay under the per-member limit


async def test_the_stored_timezone_is_used_unless_overridden(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    await alice.slash("timezone", zone="America/New_York")
    reply = await alice.slash("remind", when="tomorrow 9am", message="coffee")
    assert shown_time(reply.content) == unix(datetime(2026, 1, 6, 9, 0, tzinfo=NEW_YORK))
    assert "America/New_York" in reply.content
    reply = await alice.slash("remind", when="tomorrow 9am", message="coffee", timezone="Asia/Tokyo")
    assert shown_time(reply.content) == unix(datetime(2026, 1, 6, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo")))


async def test_an_ambiguous_date_is_asked_with_buttons_not_guessed(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    reply = await alice.slash("remind", when="1/2", message="pay rent", locale="de")
    assert "could mean" in reply.content
    assert [b["label"] for b in reply.buttons] == ["1 February 2026 09:00", "2 January 2027 09:00"]
    assert await Reminder.filter(status="active").count() == 0  # nothing scheduled yet
    chosen = await reply.click("2 January 2027 09:00")
    assert shown_time(chosen.content) == unix(datetime(2027, 1, 2, 9, 0, tzinfo=UTC))
    assert (await Reminder.get(user_id=alice.id)).status == "active"
    # A US member's own order comes first.
    us = await alice.slash("remind", when="3/4", message="x", locale="en-US")
    assert next(b["label"] for b in us.buttons).startswith("4 March")


async def test_a_weekday_said_on_that_weekday_is_asked(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    reply = await alice.slash("remind", when="monday 17:00", message="gym")  # it is Monday 12:00 UTC
    labels = [b["label"] for b in reply.buttons]
    assert labels == ["today 17:00", "next week, 12 January 17:00"]
    chosen = await reply.click("today 17:00")
    assert shown_time(chosen.content) == unix(datetime(2026, 1, 5, 17, 0, tzinfo=UTC))


async def test_past_and_unreadable_times_say_why_with_examples(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    past = await alice.slash("remind", when="2020-01-01 10:00", message="x")
    assert past.ephemeral and "has passed" in past.content and "`tomorrow 9am`" in past.content
    junk = await alice.slash("remind", when="when pigs fly", message="x")
    assert junk.ephemeral and "could not read" in junk.content and "`in 2h30m`" in junk.content
    bad_every = await alice.slash("remind", when="in 1h", message="x", every="blue moon")
    assert "could not read every" in bad_every.content and "`month on the 31st`" in bad_every.content
    too_often = await alice.slash("remind", when="in 1h", message="x", every="1 minute")
    assert "too often" in too_often.content
    assert await Reminder.all().count() == 0


async def test_limits_per_member_and_per_server(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    await admin.slash("config set", plugin="reminders", key="max_per_member", value="2")
    await admin.slash("config set", plugin="reminders", key="max_per_guild", value="3")
    for _ in range(2):
        assert "set for" in (await alice.slash("remind", when="in 1h", message="x")).content
    refused = await alice.slash("remind", when="in 1h", message="x")
    assert refused.ephemeral and "2 active reminders" in refused.content
    assert "set for" in (await bob.slash("remind", when="in 1h", message="x")).content
    full = await bob.slash("remind", when="in 1h", message="x")
    assert "This server already has 3 active reminders" in full.content


async def test_a_channel_that_is_not_writable_falls_back_to_a_dm(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    await alice.slash("remind", when="in 10 minutes", message="water the plants")
    await guild.channel("general").set_permissions(guild.bot_role, deny=["SEND_MESSAGES"])
    gk.clock.advance(minutes=10)

    async def dm():
        return alice.dms()

    [message] = await eventually(dm)
    assert "water the plants" in message.content and "can no longer post" in message.content
    assert guild.bot_messages("general") == [] or all("water" not in m.content for m in guild.bot_messages("general"))


async def test_when_neither_channel_nor_dm_works_the_reminder_is_marked_failed(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    alice.close_dms()
    await alice.slash("remind", when="in 10 minutes", message="call mum")
    await guild.channel("general").set_permissions(guild.bot_role, deny=["SEND_MESSAGES"])
    gk.clock.advance(minutes=10)
    await settle()
    listing = await alice.slash("reminders list")
    text = listing.embeds[0]["description"]
    assert "failed" in text and "cannot post in the channel" in text and "DM was refused" in text


async def test_delivery_by_dm_when_the_server_says_so(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await admin.slash("config set", plugin="reminders", key="delivery", value="dm")
    reply = await alice.slash("remind", when="in 5 minutes", message="quiet")
    assert "by DM" in reply.content
    gk.clock.advance(minutes=5)

    async def dm():
        return alice.dms()

    [message] = await eventually(dm)
    assert message.content.startswith("⏰ Reminder: quiet")


async def test_an_ambiguous_until_is_asked_with_buttons_not_guessed(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    reply = await alice.slash(
        "remind", when="in 1 hour", message="stand-up", every="day at 9", until="1/2", locale="de"
    )
    assert "could mean" in reply.content and "`1/2`" in reply.content
    assert [b["label"] for b in reply.buttons] == ["until 1 February 2026 09:00", "until 2 January 2027 09:00"]
    assert await Reminder.filter(status="active").count() == 0  # nothing scheduled before the answer
    chosen = await reply.click("until 1 February 2026 09:00")
    assert "set for" in chosen.content
    assert f"until <t:{unix(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))}:F>" in chosen.content
    row = await Reminder.get(user_id=alice.id)
    assert (row.status, row.until) == ("active", datetime(2026, 2, 1, 9, 0, tzinfo=UTC))


async def test_an_ambiguous_time_and_end_are_asked_one_after_the_other(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    reply = await alice.slash("remind", when="1/2", message="rent", every="week", until="3/4", locale="de")
    assert [b["label"] for b in reply.buttons] == ["1 February 2026 09:00", "2 January 2027 09:00"]
    asked = await reply.click("1 February 2026 09:00")
    assert "The end" in asked.content and "could mean" in asked.content
    assert [b["label"] for b in asked.buttons] == ["until 3 April 2026 09:00", "until 4 March 2026 09:00"]
    assert await Reminder.filter(status="active").count() == 0
    done = await asked.click("until 4 March 2026 09:00")
    assert shown_time(done.content) == unix(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    row = await Reminder.get(user_id=alice.id)
    assert (row.status, row.until) == ("active", datetime(2026, 3, 4, 9, 0, tzinfo=UTC))
    # A time after every reading of the end is refused, saying why.
    again = await alice.slash("remind", when="1/2", message="rent", every="week", until="3/4", locale="de")
    refused = await again.click("2 January 2027 09:00")
    assert refused.ephemeral and "is before the first reminder" in refused.content
    assert await Reminder.filter(status="active").count() == 1


async def test_an_ambiguous_new_time_in_an_edit_is_asked_and_the_rest_changed_at_once(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    await alice.slash("remind", when="in 2 hours", message="old text")
    row = await Reminder.get(user_id=alice.id)
    reply = await alice.slash("reminders edit", id=row.id, when="1/2", message="new text", locale="de")
    assert "could mean" in reply.content
    assert [b["label"] for b in reply.buttons] == ["1 February 2026 09:00", "2 January 2027 09:00"]
    edited = await Reminder.get(id=row.id)
    assert (edited.message, edited.next_at) == ("new text", row.next_at)  # the time waits for the pick
    chosen = await reply.click("2 January 2027 09:00")
    assert shown_time(chosen.content) == unix(datetime(2027, 1, 2, 9, 0, tzinfo=UTC))
    assert (await Reminder.get(id=row.id)).next_at == datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
    gk.clock.advance(hours=2)
    await settle()
    assert posts(guild) == []  # the old time is void
    # A weekday said on that weekday is asked too (it is Monday).
    weekday = await alice.slash("reminders edit", id=row.id, when="monday 17:00")
    assert [b["label"] for b in weekday.buttons] == ["today 17:00", "next week, 12 January 17:00"]
    today = await weekday.click("today 17:00")
    assert shown_time(today.content) == unix(datetime(2026, 1, 5, 17, 0, tzinfo=UTC))
