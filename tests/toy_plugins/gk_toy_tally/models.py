from tortoise import fields
from tortoise.models import Model


class SeenMessage(Model):
    """One MESSAGE_CREATE handled, and by which process (its scheduler owner)."""

    id = fields.BigIntField(primary_key=True)
    message_id = fields.BigIntField(db_index=True)
    guild_id = fields.BigIntField()
    owner = fields.CharField(max_length=100)

    class Meta:
        table = "tally_seen_message"


class TallyRun(Model):
    """One execution of a tally job, and by which process."""

    id = fields.BigIntField(primary_key=True)
    job_id = fields.BigIntField(db_index=True)
    guild_id = fields.BigIntField(null=True)
    owner = fields.CharField(max_length=100)

    class Meta:
        table = "tally_run"
