"""/privacy export and delete: reminders, their log, reactions on watched messages, and watches
a member created (those stay, without their creator: they belong to the server)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models import Reminder, ReminderLog, Watch, WatchReaction
from .delivery import cancel_occurrence

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def export_user(user_id: int) -> dict[str, Any] | None:
    reminders = (
        await Reminder.filter(user_id=user_id)
        .order_by("id")
        .values(
            "id",
            "guild_id",
            "channel_id",
            "message",
            "zone",
            "recurrence_text",
            "next_at",
            "until",
            "status",
            "failure_reason",
            "created_at",
            "finished_at",
        )
    )
    log = (
        await ReminderLog.filter(user_id=user_id)
        .order_by("id")
        .values("reminder_id", "scheduled_at", "sent_at", "status", "error", "delivered_via")
    )
    reactions = (
        await WatchReaction.filter(user_id=user_id)
        .order_by("id")
        .values("watch__guild_id", "watch__message_id", "emoji", "reacted_at")
    )
    watches = await Watch.filter(created_by=user_id).order_by("id").values("id", "guild_id", "message_id", "title")
    if not (reminders or log or reactions or watches):
        return None

    def clean(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{key: _iso(value) for key, value in row.items()} for row in rows]

    return {
        "reminders": clean(reminders),
        "reminder_log": clean(log),
        "watch_reactions": clean(reactions),
        "watches_created": clean(watches),
    }


async def delete_user(runtime: Runtime, user_id: int) -> str | None:
    for reminder in await Reminder.filter(user_id=user_id, next_at__not_isnull=True):
        await cancel_occurrence(runtime, reminder)
    await Reminder.filter(user_id=user_id).delete()
    await ReminderLog.filter(user_id=user_id).delete()
    await WatchReaction.filter(user_id=user_id).delete()
    await Watch.filter(created_by=user_id).update(created_by=None)
    return None
