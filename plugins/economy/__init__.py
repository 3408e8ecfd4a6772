"""Economy: a ledger-backed wallet and bank, daily and work, transfers, a shop and a coin flip."""

from datetime import timedelta

from guildkit.core.plugin import Plugin, RetentionPolicy

from . import hooks, hookspecs, jobs, service
from .api import EconomyAPI
from .commands import EXTENSIONS
from .commands.format import describe_error
from .settings import EconomySettings
from .state import EconomyState

plugin = Plugin(
    name="economy",
    version="1.0.0",
    description="Wallet and bank with an append-only ledger, daily and work, pay, shop, coin flip",
    models="guildkit.plugins.economy.models",
    settings=EconomySettings,
    enabled_by_default=False,
    extensions=EXTENSIONS,
    hooks=hooks,
    hookspecs=hookspecs,
    state=EconomyState,
    api=EconomyAPI,
    describe_error=describe_error,
    jobs=jobs.KINDS,
    user_data_kept={
        "ClaimMarker": (
            "that you already received the starting balance, and the day of your last /daily and time of your "
            "last /work, so that deleting your data cannot pay them again; removed 90 days after the deletion"
        ),
    },
    retention=(
        RetentionPolicy(
            name="ledger",
            model="LedgerEntry",
            time_field="at",
            keep=timedelta(days=90),
            action="aggregate",
            rollup="LedgerDaily",
            aggregate=service.archive_entries,
            description="ledger entries, summed per member, day and kind into the archive",
        ),
        RetentionPolicy(
            name="claim_markers",
            model="ClaimMarker",
            time_field="deleted_at",
            keep=timedelta(days=90),
            action="delete",
            description="what a member who deleted their data was already paid (starting balance, last daily)",
        ),
    ),
)
