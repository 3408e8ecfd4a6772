"""/timer: a countdown delivered like a reminder."""

from __future__ import annotations

from datetime import timedelta

from guildkit.core.testing.harness import eventually

from .conftest import settle, unix


async def test_timer_counts_down_and_pings_its_owner(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    reply = await alice.slash("timer", duration="25m", label="pomodoro")
    assert f"<t:{unix(gk.clock.now() + timedelta(minutes=25))}:R>" in reply.content
    gk.clock.advance(minutes=24)
    await settle()
    assert guild.bot_messages("general") == []
    gk.clock.advance(minutes=1)

    async def rang():
        return guild.bot_messages("general")

    [message] = await eventually(rang)
    assert message.content.startswith("⏰ Timer for") and "pomodoro" in message.content
    assert message.pinged_ids == [alice.id]


async def test_timer_refuses_what_is_not_a_duration(gk) -> None:
    guild = await gk.guild(plugins=["reminders"])
    alice = await guild.member("alice")
    reply = await alice.slash("timer", duration="soon")
    assert reply.ephemeral and "not a duration" in reply.content
    short = await alice.slash("timer", duration="2s")
    assert "too short" in short.content
