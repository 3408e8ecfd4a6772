"""Moderation tables: cases (append-only, kept forever), their reason edits, warnings with points,
active temporary punishments and channel locks."""

from tortoise import fields
from tortoise.models import Model


class CaseCounter(Model):
    """The last case number handed out in a guild; bumped with one atomic upsert per case."""

    guild_id = fields.BigIntField(primary_key=True)
    last_number = fields.IntField(default=0)

    class Meta:
        table = "moderation_case_counter"


class Case(Model):
    """One moderation action. Append-only: only its outcome, DM result and mod-log message are
    filled in after it was opened; reason edits are CaseEdit rows."""

    id = fields.IntField(primary_key=True)
    guild_id = fields.BigIntField()
    number = fields.IntField()
    kind = fields.CharField(max_length=16)
    target_id = fields.BigIntField()
    target_name = fields.CharField(max_length=100)
    moderator_id = fields.BigIntField()
    moderator_name = fields.CharField(max_length=100)
    reason = fields.TextField(null=True)
    points = fields.IntField(null=True)
    duration_seconds = fields.BigIntField(null=True)
    expires_at = fields.DatetimeField(null=True)
    #: pending (opened, action not done yet), done, or failed (Discord refused: see failure).
    status = fields.CharField(max_length=10, default="pending")
    failure = fields.TextField(null=True)
    #: none (not sent), sent, refused (50007: DMs closed), failed (another error).
    dm = fields.CharField(max_length=10, default="none")
    #: command, manual (done in Discord's UI), escalation, expiry, api.
    source = fields.CharField(max_length=12, default="command")
    #: Idempotency: the interaction, audit-log entry, job occurrence or API key that opened it.
    key = fields.CharField(max_length=100, unique=True)
    audit_entry_id = fields.BigIntField(null=True)
    #: The warning case whose points triggered this escalation.
    cause_number = fields.IntField(null=True)
    modlog_message_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "moderation_case"
        unique_together = (("guild_id", "number"),)
        indexes = (("guild_id", "target_id"), ("guild_id", "moderator_id"))


class CaseEdit(Model):
    """A change of a case's reason, made with the case reason command: the history stays."""

    id = fields.IntField(primary_key=True)
    guild_id = fields.BigIntField()
    number = fields.IntField()
    editor_id = fields.BigIntField()
    old_reason = fields.TextField(null=True)
    new_reason = fields.TextField()
    at = fields.DatetimeField()

    class Meta:
        table = "moderation_case_edit"
        indexes = (("guild_id", "number"),)


class Warning(Model):
    """Points of one warning. Counts while not pardoned and before expires_at; deleted after
    delete_after (both from the guild's settings when it was given)."""

    id = fields.IntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField()
    moderator_id = fields.BigIntField()
    number = fields.IntField()
    reason = fields.TextField(null=True)
    points = fields.IntField()
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    delete_after = fields.DatetimeField()
    pardoned_at = fields.DatetimeField(null=True)
    pardoned_by = fields.BigIntField(null=True)

    class Meta:
        table = "moderation_warning"
        unique_together = (("guild_id", "number"),)
        indexes = (("guild_id", "user_id"),)


class TempPunishment(Model):
    """A temporary ban or timeout still running; removed when it ends or is lifted early."""

    id = fields.IntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField()
    kind = fields.CharField(max_length=10)  # ban, timeout
    number = fields.IntField()
    expires_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "moderation_temp_punishment"
        unique_together = (("guild_id", "user_id", "kind"),)


class ChannelLock(Model):
    """A locked channel and the @everyone overwrite it had before, restored on unlock."""

    id = fields.IntField(primary_key=True)
    guild_id = fields.BigIntField()
    channel_id = fields.BigIntField(unique=True)
    had_overwrite = fields.BooleanField()
    allow = fields.BigIntField(default=0)
    deny = fields.BigIntField(default=0)
    locked_by = fields.BigIntField()
    until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "moderation_channel_lock"
