from tortoise import fields
from tortoise.models import Model


class Greeting(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField()
    count = fields.IntField(default=0)
    last_at = fields.DatetimeField()

    class Meta:
        table = "toy_greeting"
        unique_together = (("guild_id", "user_id"),)


class HeardMessage(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField(db_index=True)
    author_id = fields.BigIntField(null=True)
    content = fields.CharField(max_length=200)
    heard_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "toy_heard_message"


class JobRun(Model):
    """One execution of a toy job, for tests that count runs across processes."""

    id = fields.BigIntField(primary_key=True)
    job_id = fields.BigIntField(db_index=True)
    occurrence = fields.IntField()
    owner = fields.CharField(max_length=100)

    class Meta:
        table = "toy_job_run"


class Visit(Model):
    """Raw visits, rolled up into VisitDaily after a while."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField()
    at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "toy_visit"


class VisitDaily(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    day = fields.DateField()
    visits = fields.IntField()

    class Meta:
        table = "toy_visit_daily"
        unique_together = (("guild_id", "day"),)
