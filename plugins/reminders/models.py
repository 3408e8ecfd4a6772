"""The reminders plugin's tables: personal reminders, reaction watches (seed 002's events), the
reactions seen on watched messages, and the reminder log."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

#: Reminder.status values. ``active`` has a pending delivery job; ``delivered``/``failed``/
#: ``skipped``/``ended`` are final (retention deletes them 30 days after ``finished_at``).
ACTIVE, PAUSED, DELIVERED, FAILED, SKIPPED, ENDED = "active", "paused", "delivered", "failed", "skipped", "ended"
FINISHED_STATUSES = (DELIVERED, FAILED, SKIPPED, ENDED)
#: Statuses that count against the per-member and per-guild limits.
LIVE_STATUSES = (ACTIVE, PAUSED)


class Reminder(Model):
    """A member's reminder: once, or recurring by interval or calendar rule in its own zone."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    user_id = fields.BigIntField(db_index=True)
    #: Where it is delivered; None delivers by DM.
    channel_id = fields.BigIntField(null=True)
    message = fields.CharField(max_length=1500)
    #: IANA zone the times and the recurrence are taken in.
    zone = fields.CharField(max_length=64)
    #: None (once), ``every:SECONDS`` or ``rrule:RRULE`` (calendar rule stepped in ``zone``).
    recurrence = fields.CharField(max_length=200, null=True)
    #: The phrase the member typed for ``every``, shown back in lists.
    recurrence_text = fields.CharField(max_length=100, null=True)
    #: First occurrence: the anchor of a calendar rule (INTERVAL=2 counts from it).
    first_at = fields.DatetimeField()
    next_at = fields.DatetimeField(null=True)
    until = fields.DatetimeField(null=True)
    #: Counts deliveries (and skips); the key of the pending job includes it.
    occurrence = fields.IntField(default=0)
    status = fields.CharField(max_length=16, default=ACTIVE)
    failure_reason = fields.CharField(max_length=300, null=True)
    last_delivered_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    #: A countdown set with the timer command (same delivery).
    is_timer = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "reminders_reminder"
        indexes = (("guild_id", "status"), ("user_id", "status"))


class Watch(Model):
    """A watched message (seed 002's ``event``): members who have not reacted get reminded."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    channel_id = fields.BigIntField()
    message_id = fields.BigIntField(unique=True)
    title = fields.CharField(max_length=200)
    interval_minutes = fields.IntField()
    #: JSON list of emoji keys (a unicode emoji, or ``name:id`` for a custom one); empty = any.
    required_emojis = fields.JSONField(default=list)
    role_id = fields.BigIntField(null=True)
    paused = fields.BooleanField(default=False)
    #: ``watching``, ``complete`` (everyone reacted) or ``stopped``.
    status = fields.CharField(max_length=16, default="watching")
    created_by = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()
    last_reminder_at = fields.DatetimeField(null=True)
    stopped_at = fields.DatetimeField(null=True)
    #: When reactions were last read back from Discord (reconciliation).
    reconciled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "reminders_watch"


class WatchReaction(Model):
    """One member's reaction with one emoji on a watched message."""

    id = fields.BigIntField(primary_key=True)
    watch: fields.ForeignKeyRelation[Watch] = fields.ForeignKeyField(
        "reminders.Watch", related_name="reactions", on_delete=fields.CASCADE
    )
    user_id = fields.BigIntField(db_index=True)
    emoji = fields.CharField(max_length=100)
    reacted_at = fields.DatetimeField()

    class Meta:
        table = "reminders_watch_reaction"
        unique_together = (("watch", "user_id", "emoji"),)


class ReminderLog(Model):
    """Each delivery attempt of a watch reminder or a personal reminder: pending, sent or failed."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    watch: fields.ForeignKeyNullableRelation[Watch] = fields.ForeignKeyField(
        "reminders.Watch", related_name="log", null=True, on_delete=fields.SET_NULL
    )
    reminder_id = fields.BigIntField(null=True, db_index=True)
    #: The owner of a personal reminder (for privacy export and delete); None for watches.
    user_id = fields.BigIntField(null=True, db_index=True)
    occurrence = fields.IntField(default=0)
    scheduled_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    status = fields.CharField(max_length=16, default="pending")
    error = fields.CharField(max_length=300, null=True)
    members_notified = fields.IntField(default=0)
    #: How late the delivery was, in seconds (after downtime).
    late_seconds = fields.IntField(default=0)
    #: ``channel``, ``dm`` or None.
    delivered_via = fields.CharField(max_length=16, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "reminders_log"
