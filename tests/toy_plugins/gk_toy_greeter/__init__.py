"""A toy plugin shaped like the built-in ones, used by the core's tests."""

from datetime import timedelta

from guildkit.core.plugin import Plugin, RetentionPolicy

from . import hooks, hookspecs, jobs, service
from .commands import GreeterCommands
from .settings import GreeterSettings

plugin = Plugin(
    name="greeter",
    version="1.2.0",
    description="Greets members and counts greetings",
    models="gk_toy_greeter.models",
    settings=GreeterSettings,
    features={"fancy": False},
    intents=("MESSAGE_CONTENT",),
    extensions=(GreeterCommands,),
    hooks=hooks,
    hookspecs=hookspecs,
    jobs=jobs.KINDS,
    retention=(
        RetentionPolicy(name="greetings", model="Greeting", time_field="last_at", keep=None, action="keep"),
        RetentionPolicy(
            name="heard",
            model="HeardMessage",
            time_field="heard_at",
            keep=timedelta(days=7),
            action="anonymise",
            anonymise_fields=("author_id",),
        ),
        RetentionPolicy(
            name="visits",
            model="Visit",
            time_field="at",
            keep=timedelta(days=30),
            action="aggregate",
            rollup="VisitDaily",
            aggregate=service.roll_up_visits,
        ),
    ),
)
