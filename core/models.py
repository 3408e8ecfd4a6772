"""The core's own tables: feature flags, settings overrides, the audit log and the user registry."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


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
