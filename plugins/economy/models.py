"""Economy tables: accounts, the append-only ledger and its daily archive, the shop and inventories.

Money amounts are whole numbers of the guild's currency. Every change of ``Account.wallet`` or
``Account.bank`` has a ``LedgerEntry`` written in the same transaction, so for every account
``wallet == sum(entries.wallet_delta) + sum(archive.wallet_delta)`` (and the same for ``bank``).
Ids that point at other rows are plain columns (no foreign keys): retention moves old ledger rows
to the archive and a guild purge removes rows table by table, neither may trip over a constraint.
"""

from tortoise import fields
from tortoise.models import Model


class Account(Model):
    """A member's money in one guild. ``user_id`` is NULL once the member deleted their data: the
    balance stays (it is what the ledger adds up to) but belongs to nobody."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField(null=True)
    wallet = fields.BigIntField(default=0)
    bank = fields.BigIntField(default=0)
    created_at = fields.DatetimeField()
    #: The member's local calendar day of their last daily claim, and how many days in a row.
    last_daily = fields.DateField(null=True)
    daily_streak = fields.IntField(default=0)
    last_work_at = fields.DatetimeField(null=True)
    last_game_at = fields.DatetimeField(null=True)

    class Meta:
        table = "economy_account"
        unique_together = (("guild_id", "user_id"),)
        indexes = (("guild_id", "wallet"), ("guild_id", "bank"))


class LedgerEntry(Model):
    """One change of one account's balances. Never updated; archived into ``LedgerDaily``."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    account_id = fields.BigIntField(db_index=True)
    wallet_delta = fields.BigIntField()
    bank_delta = fields.BigIntField()
    #: start, daily, work, pay, deposit, withdraw, buy, refund, game, admin, levelup, reward, charge
    kind = fields.CharField(max_length=20)
    reason = fields.CharField(max_length=200, null=True)
    #: Who caused it: the member, an admin, or NULL for the bot itself.
    actor_id = fields.BigIntField(null=True)
    #: The other member of a transfer.
    counterparty_id = fields.BigIntField(null=True)
    #: The entry this one belongs to (the debit of a transfer, the purchase of a refund).
    related_id = fields.BigIntField(null=True)
    #: A retried operation with the same key is a no-op returning the first result.
    idempotency_key = fields.CharField(max_length=120, null=True)
    at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "economy_ledger"
        unique_together = (("guild_id", "idempotency_key"),)


class LedgerDaily(Model):
    """Ledger entries older than the retention period, summed per account, UTC day and kind."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    account_id = fields.BigIntField(db_index=True)
    day = fields.DateField()
    kind = fields.CharField(max_length=20)
    wallet_delta = fields.BigIntField()
    bank_delta = fields.BigIntField()
    entries = fields.IntField()

    class Meta:
        table = "economy_ledger_daily"
        unique_together = (("account_id", "day", "kind"),)


class ShopItem(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    name = fields.CharField(max_length=50)
    #: ``name`` lowercased: names are unique per guild whatever their case.
    key = fields.CharField(max_length=50)
    description = fields.CharField(max_length=200, default="")
    price = fields.BigIntField()
    #: Items left; NULL means unlimited.
    stock = fields.IntField(null=True)
    sold = fields.IntField(default=0)
    #: Role granted through Discord on purchase.
    role_id = fields.BigIntField(null=True)
    #: The manager who attached the role: a role with dangerous permissions is granted only while
    #: they still hold those permissions (core/roles.py). NULL once they deleted their data.
    role_set_by = fields.BigIntField(null=True)
    #: How many one member may buy in total; NULL means no limit.
    per_member_limit = fields.IntField(null=True)
    consumable = fields.BooleanField(default=False)
    #: What using it answers for a consumable item.
    use_message = fields.CharField(max_length=200, default="")
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "economy_shop_item"
        unique_together = (("guild_id", "key"),)


class InventoryItem(Model):
    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    account_id = fields.BigIntField()
    item_id = fields.BigIntField()
    quantity = fields.IntField(default=0)
    #: Bought in total (for the per-member limit); using an item does not lower it.
    bought = fields.IntField(default=0)

    class Meta:
        table = "economy_inventory"
        unique_together = (("account_id", "item_id"),)


class RoleBonus(Model):
    """Extra pay on work and daily for members with a role, in percent."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    role_id = fields.BigIntField()
    percent = fields.IntField()

    class Meta:
        table = "economy_role_bonus"
        unique_together = (("guild_id", "role_id"),)


class ClaimMarker(Model):
    """Kept per server after a member deleted their data (privacy delete): they already received the starting
    balance, and when they last claimed /daily and worked. A new account opened afterwards starts
    from it (no second starting balance, no second daily that day), so deleting cannot mint money.
    Removed when that account opens, or by retention 90 days after the deletion."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField()
    last_daily = fields.DateField(null=True)
    last_work_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "economy_claim_marker"
        unique_together = (("guild_id", "user_id"),)
