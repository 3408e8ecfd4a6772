"""Economy: a ledger-backed wallet and bank, daily and work, transfers, a shop and a coin flip."""

from datetime import timedelta

from guildkit.core.plugin import Plugin, RetentionPolicy

from . import hooks, hookspecs, service
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
    ),
)
