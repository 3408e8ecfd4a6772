"""Economy domain logic over the models: no Discord types, no Discord markup. Functions return
dataclasses and raise the errors of ``economy/errors.py``.

- ``accounts``: opening accounts, cached ids, amounts as typed, the leaderboard
- ``ledger``: the one commit path of every balance change, credit and debit
- ``transfers``: /pay, deposits and withdrawals
- ``earning``: /daily, /work, role bonuses on both, level-up rewards
- ``games``: /coinflip
- ``shop``: items, purchases, refunds, inventories
- ``admin``: setting wallets, role bonuses, a member's ledger, the audit
- ``privacy``: retention's archive, /privacy export and delete
"""

from guildkit.core.errors import UserError

from ..errors import InsufficientFunds
from .accounts import (
    ORDERS,
    AccountSnapshot,
    LeaderboardPage,
    RankRow,
    account,
    account_id,
    check_amount,
    existing_account_id,
    leaderboard,
    open_account,
    parse_amount,
    peek,
    settings_for,
)
from .admin import (
    HISTORY_PAGE_SIZE,
    Bonus,
    Entry,
    HistoryPage,
    Mismatch,
    audit,
    history,
    role_bonuses,
    set_role_bonus,
    set_wallet,
)
from .earning import DailyResult, WorkResult, claim_daily, reward_level_up, role_bonus_percent, work
from .games import SIDES, FlipResult, coinflip
from .ledger import Move, Receipt, commit, credit, debit
from .privacy import KEPT_SENTENCE, archive_entries, delete_user, export_user
from .shop import (
    GRANT_RETRY_AFTER,
    GRANT_ROLE_JOB,
    Holding,
    Item,
    Purchase,
    RoleGrant,
    Used,
    add_item,
    buy,
    find_item,
    inventory,
    refund,
    refunded,
    remove_item,
    restock,
    search_items,
    shop_items,
    use_item,
)
from .transfers import bank_move, transfer

__all__ = [
    "GRANT_RETRY_AFTER",
    "GRANT_ROLE_JOB",
    "HISTORY_PAGE_SIZE",
    "KEPT_SENTENCE",
    "ORDERS",
    "SIDES",
    "AccountSnapshot",
    "Bonus",
    "DailyResult",
    "Entry",
    "FlipResult",
    "HistoryPage",
    "Holding",
    "InsufficientFunds",
    "Item",
    "LeaderboardPage",
    "Mismatch",
    "Move",
    "Purchase",
    "RankRow",
    "Receipt",
    "RoleGrant",
    "Used",
    "UserError",
    "WorkResult",
    "account",
    "account_id",
    "add_item",
    "archive_entries",
    "audit",
    "bank_move",
    "buy",
    "check_amount",
    "claim_daily",
    "coinflip",
    "commit",
    "credit",
    "debit",
    "delete_user",
    "existing_account_id",
    "export_user",
    "find_item",
    "history",
    "inventory",
    "leaderboard",
    "open_account",
    "parse_amount",
    "peek",
    "refund",
    "refunded",
    "remove_item",
    "restock",
    "reward_level_up",
    "role_bonus_percent",
    "role_bonuses",
    "search_items",
    "set_role_bonus",
    "set_wallet",
    "settings_for",
    "shop_items",
    "transfer",
    "use_item",
    "work",
]
