"""/reminders list|delete|edit|pause|resume, recurrence across DST, and the snooze buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from guildkit.core.testing.harness import eventually
from guildkit.plugins.reminders.models import Reminder, ReminderLog

from .conftest import settle

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


async def deliveries(guild, text: str) -> list:
    return [m for m in guild.bot_messages("general") if text in m.content]


async def run_until(gk, guild, moment: datetime, text: str, count: int) -> list:
    """Advance the clock to ``moment`` and wait for ``count`` deliveries containing ``text``."""
    gk.clock.set(moment)

    async def enough():
        found = await deliveries(guild, text)
        return found if len(found) >= count else None

    return await eventually(enough)


async def test_day_at_9_stays_at_9_across_the_spring_dst_change(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    gk.clock.set(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    reply = await alice.slash(
        "remind", when="tomorrow 9am", message="standup", every="day at 9", timezone="Europe/Berlin"
    )
    assert "Repeats every **day at 9**" in reply.content
    row = await Reminder.get(user_id=alice.id)
    seen = []
    for day in (28, 29, 30):  # Berlin moves to summer time in the night to Sunday 29 March
        nine = datetime(2026, 3, day, 9, 0, tzinfo=BERLIN)
        await run_until(gk, guild, nine, "standup", len(seen) + 1)
        await settle()
        seen.append((await Reminder.get(id=row.id)).next_at)
    assert [s.astimezone(BERLIN).hour for s in seen] == [9, 9, 9]
    assert [s.astimezone(UTC).hour for s in seen] == [7, 7, 7]  # 29 and 30 March are summer time
    assert seen[0].astimezone(BERLIN).day == 29
    logs = await ReminderLog.filter(reminder_id=row.id).order_by("occurrence")
    assert [(log.status, log.late_seconds) for log in logs] == [("sent", 0)] * 3


async def test_monday_10_stays_at_10_across_the_autumn_dst_change(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    gk.clock.set(datetime(2026, 10, 25, 12, 0, tzinfo=UTC))  # a Sunday; New York falls back on 1 November
    await alice.slash(
        "remind", when="monday 10:00", message="report", every="monday 10:00", timezone="America/New_York"
    )
    row = await Reminder.get(user_id=alice.id)
    assert row.next_at.astimezone(UTC) == datetime(2026, 10, 26, 14, 0, tzinfo=UTC)  # EDT, UTC-4
    await run_until(gk, guild, datetime(2026, 10, 26, 14, 0, tzinfo=UTC), "report", 1)
    await settle()
    row = await Reminder.get(id=row.id)
    assert row.next_at.astimezone(UTC) == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # EST, UTC-5: still 10:00
    delivered = await run_until(gk, guild, datetime(2026, 11, 2, 15, 0, tzinfo=UTC), "report", 2)
    assert len(delivered) == 2


async def test_month_on_the_31st_uses_the_last_day_of_short_months(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    await alice.slash("remind", when="2026-01-31 09:00", message="invoices", every="month on the 31st")
    row = await Reminder.get(user_id=alice.id)
    dates = []
    for _ in range(3):
        await run_until(gk, guild, row.next_at, "invoices", len(dates) + 1)
        await settle()
        dates.append(row.next_at.date().isoformat())
        row = await Reminder.get(id=row.id)
    assert dates == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert row.next_at.date().isoformat() == "2026-04-30"


async def test_other_friday_and_until_end_the_repetition(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    await alice.slash("remind", when="friday 5pm", message="payday", every="other friday 5pm", until="2026-01-24")
    row = await Reminder.get(user_id=alice.id)
    assert row.next_at == datetime(2026, 1, 9, 17, 0, tzinfo=UTC)
    await run_until(gk, guild, row.next_at, "payday", 1)
    await settle()
    row = await Reminder.get(id=row.id)
    assert row.next_at == datetime(2026, 1, 23, 17, 0, tzinfo=UTC)  # two weeks later
    await run_until(gk, guild, row.next_at, "payday", 2)
    await settle()
    row = await Reminder.get(id=row.id)
    assert row.status == "ended" and row.next_at is None


async def test_list_pause_resume_edit_delete(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    for n in range(10):
        await alice.slash("remind", when=f"in {n + 1}h", message=f"task {n}")
    listing = await alice.slash("reminders list")
    assert listing.ephemeral and "task 0" in listing.embeds[0]["description"]
    assert "task 9" not in listing.embeds[0]["description"]
    page2 = await listing.click("Next")
    assert "task 9" in page2.embeds[0]["description"]
    first = await Reminder.get(message="task 0")
    assert "no reminder" in (await bob.slash("reminders delete", id=first.id)).content  # not bob's
    await alice.slash("reminders pause", id=first.id)
    gk.clock.advance(hours=2)
    await settle()
    assert await deliveries(guild, "task 0") == []
    resumed = await alice.slash("reminders resume", id=first.id)
    assert "set for" in resumed.content

    async def sent():
        return await deliveries(guild, "task 0")

    await eventually(sent)  # its time passed while paused: delivered at once
    second = await Reminder.get(message="task 5")  # due at 6 h; it is 2 h now
    edited = await alice.slash("reminders edit", id=second.id, when="in 5 hours", message="task five, later")
    assert "set for" in edited.content
    assert (await Reminder.get(id=second.id)).next_at == gk.clock.now() + timedelta(hours=5)
    gk.clock.advance(hours=4)
    await settle()
    assert await deliveries(guild, "task 5") == [] and await deliveries(guild, "task five") == []  # old time void
    await alice.slash("reminders delete", id=second.id)
    assert not await Reminder.filter(id=second.id).exists()


async def test_snooze_buttons_remind_again_and_done_clears_them(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    await alice.slash("remind", when="in 1 minute", message="tea")
    gk.clock.advance(minutes=1)
    [message] = await eventually(lambda: deliveries(guild, "tea"))
    refused = await bob.click_on(message, "Snooze 10 min")
    assert refused.ephemeral and "Only the member who set" in refused.content
    snoozed = await alice.click_on(message, "Snooze 10 min")
    assert snoozed.ephemeral and "remind you again" in snoozed.content
    await eventually(lambda: _true(message.components == []))  # the buttons are gone from the delivered message
    gk.clock.advance(minutes=10)
    second = (await eventually(lambda: _at_least(guild, "tea", 2)))[1]
    await alice.click_on(second, "Tomorrow")
    row = await Reminder.get(user_id=alice.id)
    assert row.next_at == gk.clock.now() + timedelta(days=1)
    gk.clock.advance(days=1)
    third = (await eventually(lambda: _at_least(guild, "tea", 3)))[2]
    await alice.click_on(third, "Done")
    assert third.components == []

    async def recorded():
        return (await Reminder.get(user_id=alice.id)).status == "delivered"

    await eventually(recorded)  # Done changes nothing: the delivery stays recorded


async def _at_least(guild, text: str, count: int):
    found = await deliveries(guild, text)
    return found if len(found) >= count else None


async def _true(value: bool) -> bool:
    return value


async def test_list_shows_active_by_next_time_then_paused_then_failed(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    alice.close_dms()
    # Failed twice over (channel closed, DMs closed), the second failure is the newer one.
    await alice.slash("remind", when="in 10 minutes", message="zz failed first")
    await alice.slash("remind", when="in 20 minutes", message="aa failed second")
    await guild.channel("general").set_permissions(guild.bot_role, deny=["SEND_MESSAGES"])
    gk.clock.advance(minutes=10)
    await settle()
    gk.clock.advance(minutes=10)
    await settle()
    await guild.channel("general").set_permissions(guild.bot_role, allow=["SEND_MESSAGES"])
    # Names chosen so that no alphabetical or id order matches the expected one.
    await alice.slash("remind", when="in 3 hours", message="bb active later")
    paused_early = await alice.slash("remind", when="in 30 minutes", message="cc paused")
    await alice.slash("remind", when="in 1 hour", message="dd active sooner")
    paused_id = int(paused_early.content.split("**#")[1].split("**")[0])
    await alice.slash("reminders pause", id=paused_id)
    listing = await alice.slash("reminders list")
    text = listing.embeds[0]["description"]
    order = ["dd active sooner", "bb active later", "cc paused", "aa failed second", "zz failed first"]
    assert [text.index(name) for name in order] == sorted(text.index(name) for name in order), text
