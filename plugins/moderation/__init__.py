"""Moderation: one case pipeline, expiring warning points, temporary punishments that always end,
manual actions captured from the audit log."""

from datetime import timedelta

from guildkit.core.permissions import PermissionLevel
from guildkit.core.plugin import Plugin, RetentionPolicy

from . import hooks, hookspecs, jobs
from .api import ModerationAPI
from .commands import EXTENSIONS
from .commands.format import describe_error
from .commands.options import MODERATOR_PERMISSIONS
from .listeners import ModerationListeners
from .settings import ModerationSettings

MODERATOR = PermissionLevel("moderator", "moderators", MODERATOR_PERMISSIONS)

plugin = Plugin(
    name="moderation",
    version="1.0.0",
    description="Warnings with expiring points, timeouts, kicks, bans and tempbans as numbered cases, a mod-log",
    models="guildkit.plugins.moderation.models",
    settings=ModerationSettings,
    api=ModerationAPI,
    describe_error=describe_error,
    enabled_by_default=False,
    intents=("GUILD_MODERATION", "GUILD_MEMBERS"),
    extensions=(*EXTENSIONS, ModerationListeners),
    hooks=hooks,
    hookspecs=hookspecs,
    jobs=jobs.KINDS,
    permission_levels=(MODERATOR,),
    user_data_kept={
        "Case": "moderation cases are the server's audit record and are kept forever",
        "CaseEdit": "edits of a case's reason are part of its audit record",
        "Warning": "warnings count toward escalation until they expire, and are deleted after the hard-delete age",
        "TempPunishment": "a running temporary ban or timeout must still end on time",
        "ChannelLock": "a locked channel must be unlocked with the permissions it had",
    },
    retention=(
        RetentionPolicy(
            name="cases",
            model="Case",
            time_field="created_at",
            keep=None,
            action="keep",
            description="moderation cases: an append-only audit record",
        ),
        RetentionPolicy(
            name="case_edits",
            model="CaseEdit",
            time_field="at",
            keep=None,
            action="keep",
            description="reason edits of cases",
        ),
        RetentionPolicy(
            # delete_after = given + the guild's warning_delete_days (365 by default).
            name="warnings",
            model="Warning",
            time_field="delete_after",
            keep=timedelta(0),
            action="delete",
            description="warnings, deleted after the server's hard-delete age",
        ),
    ),
)
