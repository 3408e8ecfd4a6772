"""Reminders: personal reminders in natural language with DST-safe recurrence, timers, and
reaction-watch reminders (seed 002), delivered exactly once through the core scheduler."""

from datetime import timedelta

from guildkit.core.plugin import Plugin, RetentionPolicy

from . import hooks
from .api import RemindersAPI
from .cli import app as cli
from .commands import EXTENSIONS
from .commands.format import describe_error
from .jobs import JOBS
from .listeners import RemindersListeners
from .models import FINISHED_STATUSES
from .settings import RemindersSettings
from .state import RemindersState

plugin = Plugin(
    name="reminders",
    version="1.0.0",
    description="Reminders in plain words, repeating in your timezone, timers, and reaction-watch reminders",
    models="guildkit.plugins.reminders.models",
    settings=RemindersSettings,
    enabled_by_default=False,
    extensions=(*EXTENSIONS, RemindersListeners),
    hooks=hooks,
    state=RemindersState,
    api=RemindersAPI,
    describe_error=describe_error,
    jobs=JOBS,
    cli=cli,
    retention=(
        RetentionPolicy(
            name="finished_reminders",
            model="Reminder",
            time_field="finished_at",
            keep=timedelta(days=30),
            only={"status__in": FINISHED_STATUSES},
            description="reminders that were delivered, failed, skipped or ended",
        ),
        RetentionPolicy(
            name="unchosen_drafts",
            model="Reminder",
            time_field="created_at",
            keep=timedelta(days=1),
            only={"status": "draft"},
            description="/remind answers whose ambiguous time was never chosen",
        ),
        RetentionPolicy(
            name="reminder_log",
            model="ReminderLog",
            time_field="created_at",
            keep=timedelta(days=90),
            description="the reminder log (sent, failed, members notified)",
        ),
        RetentionPolicy(
            name="stopped_watches",
            model="Watch",
            time_field="stopped_at",
            keep=timedelta(days=30),
            only={"status__in": ("stopped", "complete")},
            description="stopped or completed watches with their reactions",
        ),
    ),
)
