"""Helpers for the reminders tests: the bot's deliveries, and waiting for them."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from guildkit.core.models import ScheduledJob
from guildkit.core.testing.harness import eventually
from guildkit.plugins.reminders.models import Reminder


def posts(guild: Any, channel: str = "general") -> list[str]:
    """What the bot posted in a channel (not interaction replies), oldest first."""
    return [m.content for m in guild.bot_messages(channel) if not getattr(m, "interaction", None)]


def unix(at: datetime) -> int:
    return int(at.timestamp())


async def settle() -> None:
    """Let the scheduler run what the clock made due: wait until no job is running or due now."""
    from guildkit.core import clock

    async def idle() -> bool:
        now = clock.now()
        busy = await ScheduledJob.filter(status="running").exists()
        due = await ScheduledJob.filter(status="pending", due_at__lte=now).exists()
        return not busy and not due

    await asyncio.sleep(0.05)
    await eventually(idle, within=10)


async def reminder(reminder_id: int) -> Reminder:
    return await Reminder.get(id=reminder_id)
