"""Hooks the economy plugin offers to other plugins."""

from guildkit.core.hookspecs import hookspec


@hookspec
def economy_balance_changed(
    runtime, guild_id: int, user_id: int, delta: int, wallet: int, bank: int, kind: str, reason: str | None
) -> None:
    """Fires after a ledger entry and its balance update were committed, once per member touched
    (a transfer fires for both). ``delta`` is the change of wallet + bank (0 for deposits and
    withdrawals), ``wallet`` and ``bank`` the balances right after, ``kind`` the ledger kind (daily,
    work, pay, buy, game, admin, levelup, ...). A duplicate call with a used idempotency key, which
    changes nothing, does not fire."""


@hookspec
def economy_item_used(runtime, guild_id: int, user_id: int, item_id: int, item_name: str) -> None:
    """Fires after a member used one consumable shop item (``/use``), once it left their inventory."""
