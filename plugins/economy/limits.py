"""Bounds of every value a member or manager types, from the columns that store them.

Slash options declare them (``max_length``, ``min_value``/``max_value``) so Discord refuses what
cannot be stored; the services check them again for callers that are not Discord.
"""

from guildkit.core.inputs import DISCORD_NUMBER_BOUND

#: ``ShopItem.name`` and ``ShopItem.key`` are 50 characters.
ITEM_NAME_MAX = 50
#: ``ShopItem.description`` and ``ShopItem.use_message``; ledger notes (``LedgerEntry.reason``).
TEXT_MAX = 200
#: An amount typed as text: ``1,500,000``, ``2k``, ``all``.
AMOUNT_TEXT_MAX = 40
#: Amounts are BIGINT; Discord carries integers up to 2^53.
AMOUNT_MAX = DISCORD_NUMBER_BOUND
#: ``ShopItem.stock`` and ``per_member_limit`` are 32-bit INT; refunds and restocks add to them,
#: so they stay well below 2^31.
COUNT_MAX = 1_000_000_000
#: Most of one item bought in one purchase.
QUANTITY_MAX = 1000
#: Pages of /transactions, /richest, /eco history (clamped to the last page anyway).
PAGE_MAX = 100_000
#: A role's pay bonus in percent.
BONUS_PERCENT_MAX = 1000
