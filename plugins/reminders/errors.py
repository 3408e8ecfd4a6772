"""The reminders plugin's refusals: data, not wording.

``commands/format.describe_error`` words them for members (timestamps, examples, mentions); the
``str()`` of each is plain text for logs, the import command and callers without Discord.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from guildkit.core.durations import format_duration
from guildkit.core.errors import DomainError

#: What /remind accepts, shown when a phrase is not understood.
WHEN_EXAMPLES = ("in 2h30m", "90 minutes", "tomorrow 9am", "next friday 17:00", "24 dec 18:00", "2026-12-24 18:00")
EVERY_EXAMPLES = ("90 minutes", "2 weeks", "day at 9", "monday 10:00", "month on the 31st", "other friday 5pm")


class RemindersError(DomainError):
    """Base of the plugin's refusals; subclasses set attributes and word ``__str__``."""

    def __init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:  # pragma: no cover - every subclass words itself
        return "The reminder was refused."


class UnparseableTime(RemindersError):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()

    def __str__(self) -> str:
        return f"I could not read {self.text[:60]!r} as a time. Try: {', '.join(WHEN_EXAMPLES)}."


class TimeInPast(RemindersError):
    def __init__(self, text: str, at: datetime) -> None:
        self.text, self.at = text, at
        super().__init__()

    def __str__(self) -> str:
        return f"{self.text[:60]!r} is {self.at.isoformat()}, which is in the past. Try: {', '.join(WHEN_EXAMPLES)}."


class UnparseableRecurrence(RemindersError):
    def __init__(self, text: str, why: str = "") -> None:
        self.text, self.why = text, why
        super().__init__()

    def __str__(self) -> str:
        why = f" ({self.why})" if self.why else ""
        return f"I could not read every {self.text[:60]!r} as a repetition{why}. Try: {', '.join(EVERY_EXAMPLES)}."


class RecurrenceTooFrequent(RemindersError):
    def __init__(self, every: timedelta, minimum: timedelta) -> None:
        self.every, self.minimum = every, minimum
        super().__init__()

    def __str__(self) -> str:
        return (
            f"Every {format_duration(self.every)} is too often; the shortest here is {format_duration(self.minimum)}."
        )


class UntilBeforeStart(RemindersError):
    def __init__(self, until: datetime, first: datetime) -> None:
        self.until, self.first = until, first
        super().__init__()

    def __str__(self) -> str:
        return f"The end ({self.until.isoformat()}) is before the first reminder ({self.first.isoformat()})."


class UnknownTimezone(RemindersError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__()

    def __str__(self) -> str:
        return f"{self.name[:60]!r} is not a timezone I know; use a name like Europe/Berlin."


class TooManyReminders(RemindersError):
    """``scope`` is ``member`` or ``server``."""

    def __init__(self, scope: str, limit: int) -> None:
        self.scope, self.limit = scope, limit
        super().__init__()

    def __str__(self) -> str:
        if self.scope == "member":
            return f"You already have {self.limit} active reminders here, the most allowed. Delete one first."
        return f"This server already has {self.limit} active reminders, the most allowed."


class ReminderNotFound(RemindersError):
    def __init__(self, reminder_id: int) -> None:
        self.reminder_id = reminder_id
        super().__init__()

    def __str__(self) -> str:
        return f"You have no reminder #{self.reminder_id} here."


class ReminderNotChangeable(RemindersError):
    """Pausing a paused reminder, resuming a finished one, and so on."""

    def __init__(self, reminder_id: int, status: str, action: str) -> None:
        self.reminder_id, self.status, self.action = reminder_id, status, action
        super().__init__()

    def __str__(self) -> str:
        return f"Reminder #{self.reminder_id} is {self.status}; it cannot be {self.action}."


class NotYourReminder(RemindersError):
    def __str__(self) -> str:
        return "Only the member who set this reminder can use its buttons."


class BadMessageLink(RemindersError):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()

    def __str__(self) -> str:
        return f"{self.text[:80]!r} is not a message link of this server (right-click a message, Copy Message Link)."


class MessageUnreachable(RemindersError):
    def __init__(self, message_id: int) -> None:
        self.message_id = message_id
        super().__init__()

    def __str__(self) -> str:
        return f"I cannot read message {self.message_id}: it is gone, or I cannot see its channel."


class AlreadyWatched(RemindersError):
    def __init__(self, watch_id: int) -> None:
        self.watch_id = watch_id
        super().__init__()

    def __str__(self) -> str:
        return f"That message is already watched (watch #{self.watch_id})."


class WatchNotFound(RemindersError):
    def __init__(self, watch_id: int) -> None:
        self.watch_id = watch_id
        super().__init__()

    def __str__(self) -> str:
        return f"There is no watch #{self.watch_id} in this server."


class WatchNotChangeable(RemindersError):
    def __init__(self, watch_id: int, status: str, action: str) -> None:
        self.watch_id, self.status, self.action = watch_id, status, action
        super().__init__()

    def __str__(self) -> str:
        return f"Watch #{self.watch_id} is {self.status}; it cannot be {self.action}."


class TooManyWatches(RemindersError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__()

    def __str__(self) -> str:
        return f"This server already runs {self.limit} watches, the most allowed. Stop one first."


class BadEmojis(RemindersError):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()

    def __str__(self) -> str:
        return f"{self.text[:60]!r} is not a list of emojis (write them separated by spaces, at most 20)."


class ImportRefused(RemindersError):
    """A legacy JSON file with a bad record; nothing was written."""

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__()

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}. Nothing was imported."
