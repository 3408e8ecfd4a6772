"""The core's own tables: feature flags, settings overrides, the audit log and the user registry."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from guildkit.core import model_comments

model_comments.install()  # before the first model class below


class FeatureFlag(Model):
    """Whether a plugin (``leveling``) or sub-feature (``leveling.voice_xp``) is on in a guild.

    No row means the default from bot.toml, else the plugin's declared default.
    """

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    name = fields.CharField(max_length=100)
    enabled = fields.BooleanField()
    changed_by = fields.BigIntField(null=True)
    changed_at = fields.DatetimeField()

    class Meta:
        table = "gk_feature_flag"
        unique_together = (("guild_id", "name"),)


class SettingValue(Model):
    """A guild's (channel_id = 0) or a channel's override of one plugin setting.

    Values are JSON text encoded by the settings service: Tortoise's JSONField takes a bare
    ``str`` for already-encoded JSON, so a text setting like ``Hello`` would not round-trip.
    """

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    plugin = fields.CharField(max_length=64)
    key = fields.CharField(max_length=64)
    channel_id = fields.BigIntField(default=0)
    value = fields.TextField()
    changed_by = fields.BigIntField(null=True)
    changed_at = fields.DatetimeField()

    class Meta:
        table = "gk_setting_value"
        unique_together = (("guild_id", "plugin", "key", "channel_id"),)


class AuditLog(Model):
    """Append-only record of every flag and settings change. Rows are never updated or deleted."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    actor_id = fields.BigIntField(null=True)
    action = fields.CharField(max_length=32)
    target = fields.CharField(max_length=200)
    #: JSON text, like SettingValue.value.
    before = fields.TextField(null=True)
    after = fields.TextField(null=True)
    at = fields.DatetimeField()

    class Meta:
        table = "gk_audit_log"

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._saved_in_db:
            await super().save(*args, **kwargs)
            return
        raise PermissionError("the audit log is append-only")

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        raise PermissionError("the audit log is append-only")


class UserProfile(Model):
    """The core user registry: who a user is and the preferences several plugins share."""

    id = fields.BigIntField(primary_key=True, generated=False)
    display_name = fields.CharField(max_length=100)
    first_seen = fields.DatetimeField()
    last_seen = fields.DatetimeField()
    timezone = fields.CharField(max_length=64, default="UTC")
    locale = fields.CharField(max_length=16, default="en-US")

    class Meta:
        table = "gk_user"


class ScheduledJob(Model):
    """Work a plugin (or the core) scheduled: runs once per occurrence, survives restarts.

    ``status``: pending -> running (claimed with a lease) -> done | failed | skipped; ``held``
    while the job's plugin is disabled in its guild. Recurring jobs go back to pending with the
    next ``due_at`` and ``occurrence`` + 1.
    """

    id = fields.BigIntField(primary_key=True)
    plugin = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=64)
    guild_id = fields.BigIntField(null=True)
    #: JSON text (see SettingValue for why not JSONField).
    payload = fields.TextField()
    due_at = fields.DatetimeField()
    status = fields.CharField(max_length=16, default="pending")
    attempts = fields.IntField(default=0)
    occurrence = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    lease_owner = fields.CharField(max_length=64, null=True)
    lease_until = fields.DatetimeField(null=True)
    #: The scheduler's idempotency key: scheduling twice with one key makes one job.
    key = fields.CharField(max_length=200, null=True, unique=True)
    #: None, "every:<seconds>" or "cron:<expression>@<IANA zone>".
    recurrence = fields.CharField(max_length=120, null=True)
    created_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "gk_job"
        indexes = (("status", "due_at"), ("plugin", "guild_id", "status"))


class CommandUsageHour(Model):
    """Uses of one command in one guild during one UTC hour: counts and answer times, no users.

    ``guild_id`` is 0 for direct messages: NULLs never conflict in a unique constraint, so the
    upsert that adds to a row would insert a new one each time instead.
    """

    id = fields.BigIntField(primary_key=True)
    #: The start of the UTC hour.
    hour = fields.DatetimeField()
    guild_id = fields.BigIntField()
    command = fields.CharField(max_length=100)
    plugin = fields.CharField(max_length=64)
    uses = fields.IntField()
    failures = fields.IntField()
    latency_ms_total = fields.BigIntField()
    latency_ms_max = fields.IntField()

    class Meta:
        table = "gk_command_usage_hour"
        # guild_id first: /stats reads one guild since some hour; retention reads hour alone.
        unique_together = (("guild_id", "hour", "command"),)
        indexes = (("hour",),)


class PermissionRole(Model):
    """A role a server attached to a permission level (moderator, dj...) with the permissions command."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    level = fields.CharField(max_length=32)
    role_id = fields.BigIntField()
    added_by = fields.BigIntField(null=True)

    class Meta:
        table = "gk_permission_role"
        unique_together = (("guild_id", "level", "role_id"),)


class CommandSyncState(Model):
    """Per guild: the application command creates spent today, and any sync still waiting.

    Discord allows 200 creates per guild per day; the count survives restarts so the bot never
    sends a bulk overwrite that would exceed it. ``pending`` names the plugins that are on but
    whose commands Discord does not have yet; a core job retries at ``retry_at``.
    """

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(unique=True)
    #: The UTC day ``creates`` counts; a new day starts from zero.
    quota_day = fields.DateField()
    creates = fields.IntField(default=0)
    #: Comma-separated plugin names whose commands wait for a sync; empty when in sync.
    pending = fields.TextField(default="")
    retry_at = fields.DatetimeField(null=True)
    #: Why the last sync could not finish, as the admin reads it.
    reason = fields.TextField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "gk_command_sync"
