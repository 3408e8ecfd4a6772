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
