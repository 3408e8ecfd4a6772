"""The shop and inventories: items with stock, per-member limits, consumables and role items.

A purchase changes stock, the wallet and the inventory in one transaction, locking the item row,
then the account, then the inventory row (the same order for every purchase)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from guildkit.core import clock

from ..errors import (
    CannotAfford,
    CostOverMaximum,
    DuplicateItem,
    InvalidItem,
    InvalidQuantity,
    ItemNotFound,
    ItemNotSold,
    LimitReached,
    NoneOwned,
    NotUsable,
    OutOfStock,
    RoleItemQuantity,
)
from ..limits import COUNT_MAX, ITEM_NAME_MAX, QUANTITY_MAX, TEXT_MAX
from ..models import Account, InventoryItem, LedgerEntry, ShopItem
from ..settings import EconomySettings
from ..state import EconomyState
from . import sqlite_batch
from .accounts import existing_account_id, open_in, peek, settings_for
from .ledger import Receipt, announce_change, with_retries

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

#: Most of one item bought in one purchase.
MAX_QUANTITY = QUANTITY_MAX


@dataclass(frozen=True)
class Item:
    """A shop item as read. ``stock`` None is unlimited, ``per_member_limit`` None is no limit."""

    id: int
    name: str
    description: str
    price: int
    stock: int | None
    sold: int
    role_id: int | None
    per_member_limit: int | None
    consumable: bool
    use_message: str
    active: bool
    role_set_by: int | None = None

    @classmethod
    def of(cls, row: ShopItem) -> Item:
        return cls(
            row.id,
            row.name,
            row.description,
            row.price,
            row.stock,
            row.sold,
            row.role_id,
            row.per_member_limit,
            row.consumable,
            row.use_message,
            row.active,
            row.role_set_by,
        )


def item_key(name: str) -> str:
    return " ".join(name.split()).lower()


async def add_item(
    guild_id: int,
    name: str,
    price: int,
    *,
    description: str = "",
    stock: int | None = None,
    role_id: int | None = None,
    role_set_by: int | None = None,
    per_member_limit: int | None = None,
    consumable: bool = False,
    use_message: str = "",
    settings: EconomySettings,
) -> Item:
    name = " ".join(name.split())
    if not name or len(name) > ITEM_NAME_MAX:
        raise InvalidItem("name")
    if price < 0 or price > settings.max_balance:
        raise InvalidItem("price", max_price=settings.max_balance)
    if stock is not None and not 0 <= stock <= COUNT_MAX:
        raise InvalidItem("stock")
    if per_member_limit is not None and not 1 <= per_member_limit <= COUNT_MAX:
        raise InvalidItem("limit")
    if role_id is not None and consumable:
        raise InvalidItem("role_consumable")
    key = item_key(name)
    existing = await ShopItem.get_or_none(guild_id=guild_id, key=key)
    if existing is not None and existing.active:
        raise DuplicateItem(existing.name)
    values = {
        "name": name,
        "description": description[:TEXT_MAX],
        "price": price,
        "stock": stock,
        "role_id": role_id,
        "role_set_by": role_set_by if role_id is not None else None,
        "per_member_limit": per_member_limit,
        "consumable": consumable,
        "use_message": use_message[:TEXT_MAX],
        "active": True,
    }
    if existing is not None:  # re-adding a removed item keeps its id (inventories point at it)
        await ShopItem.filter(id=existing.id).update(**values)
        return Item.of(await ShopItem.get(id=existing.id))
    try:
        return Item.of(await ShopItem.create(guild_id=guild_id, key=key, created_at=clock.now(), **values))
    except IntegrityError:
        raise DuplicateItem(name) from None


async def _find_row(guild_id: int, name: str, *, active_only: bool = True) -> ShopItem:
    key = item_key(name)
    if not key or len(key) > ITEM_NAME_MAX:  # no item has such a name (and the column would refuse it)
        raise ItemNotFound(name)
    query = ShopItem.filter(guild_id=guild_id, key=key)
    if active_only:
        query = query.filter(active=True)
    item = await query.first()
    if item is None:
        raise ItemNotFound(name)
    return item


async def find_item(guild_id: int, name: str, *, active_only: bool = True) -> Item:
    return Item.of(await _find_row(guild_id, name, active_only=active_only))


async def remove_item(guild_id: int, name: str) -> Item:
    """Stop selling an item; members keep what they bought."""
    item = await find_item(guild_id, name)
    await ShopItem.filter(id=item.id).update(active=False)
    return item


async def restock(guild_id: int, name: str, amount: int | None) -> Item:
    """Set the stock (None: unlimited)."""
    item = await find_item(guild_id, name)
    if amount is not None and not 0 <= amount <= COUNT_MAX:
        raise InvalidItem("stock")
    await ShopItem.filter(id=item.id).update(stock=amount)
    return Item.of(await ShopItem.get(id=item.id))


async def shop_items(guild_id: int) -> list[Item]:
    return [Item.of(row) for row in await ShopItem.filter(guild_id=guild_id, active=True).order_by("price", "key")]


async def search_items(guild_id: int, typed: str, *, user_id: int | None = None) -> list[str]:
    """Names for autocomplete: shop items, or (with ``user_id``) items the member holds."""
    typed = typed.strip().lower()
    if user_id is None:
        names = await ShopItem.filter(guild_id=guild_id, active=True).order_by("key").values_list("name", flat=True)
    else:
        acct = await peek(guild_id, user_id)
        if acct is None:
            return []
        ids = await InventoryItem.filter(account_id=acct.id, quantity__gt=0).values_list("item_id", flat=True)
        names = await ShopItem.filter(id__in=list(ids)).order_by("key").values_list("name", flat=True)
    return [name for name in names if typed in name.lower()][:25]


@dataclass(frozen=True)
class Purchase:
    receipt: Receipt
    item: Item
    quantity: int
    #: How many of the item the member holds after the purchase.
    owned: int
    #: For a role item: what grants its role, and the durable job stored with the sale to do it.
    grant: RoleGrant | None = None
    grant_job_id: int | None = None

    @property
    def cost(self) -> int:
        return -self.receipt.wallet_delta


#: The job kind that grants a purchased role (see ``economy/jobs.py``).
GRANT_ROLE_JOB = "grant_role"
#: When the stored grant job runs if the command's own attempt did not settle it (the bot died
#: after the sale, or Discord did not answer): the command normally grants within a second.
GRANT_RETRY_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class RoleGrant:
    """What the grant job needs to give a purchased role, or to undo the purchase."""

    guild_id: int
    user_id: int
    account_id: int
    item_id: int
    item_name: str
    role_id: int
    #: Who attached the role to the item (core/roles.py checks them again at grant time).
    role_set_by: int | None
    entry_id: int
    cost: int
    quantity: int
    channel_id: int | None

    def payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, payload: dict[str, Any]) -> RoleGrant:
        return cls(**payload)


async def buy(
    runtime: Runtime, guild_id: int, user_id: int, name: str, quantity: int = 1, *, channel_id: int | None = None
) -> Purchase:
    """Buy ``quantity`` of an item: stock, the per-member limit, the wallet and the inventory
    change in one transaction, or nothing does. For a role item the same transaction stores the
    job that grants the role (``Purchase.grant_job_id``), so a crash after the sale cannot lose
    it; ``channel_id`` is where the job tells the member if Discord refuses for good."""
    settings = await settings_for(runtime, guild_id)
    if quantity < 1 or quantity > MAX_QUANTITY:
        raise InvalidQuantity(quantity, 1, MAX_QUANTITY)
    item = await find_item(guild_id, name)
    if item.role_id is not None and quantity != 1:
        raise RoleItemQuantity(item.name)
    cost = item.price * quantity
    if cost > settings.max_balance:
        raise CostOverMaximum(cost, settings.max_balance)
    acct_id = await existing_account_id(runtime, guild_id, user_id)  # None: opened with the purchase

    async def once() -> Purchase:
        if acct_id is not None and item.role_id is None and sqlite_batch.available(runtime):
            return await _buy_sqlite(runtime, guild_id, user_id, acct_id, item, quantity, cost)
        return await _buy_once(runtime, guild_id, user_id, acct_id, item, quantity, cost, settings, channel_id)

    try:
        return await with_retries(once)
    except IntegrityError:
        if acct_id is not None:
            raise
        acct_id = await existing_account_id(runtime, guild_id, user_id)  # opened concurrently
        return await with_retries(once)


async def _buy_once(
    runtime: Runtime,
    guild_id: int,
    user_id: int,
    acct_id: int | None,
    item: Item,
    quantity: int,
    cost: int,
    settings: EconomySettings,
    channel_id: int | None,
) -> Purchase:
    now = clock.now()
    reason = f"{quantity} x {item.name}"
    job_id = None
    grant = None
    async with in_transaction(runtime.database.connection_name) as conn:
        opened = acct_id is None
        if acct_id is None:
            acct_id = (await open_in(conn, guild_id, user_id, settings)).id
        # Fixed order for every purchase: the item row, then the account, then the inventory row.
        # Prepared SQL with RETURNING: no read-backs (see ledger.py).
        postgres = runtime.database.dialect == "postgres"
        sold = await conn.execute_query_dict(_sql(postgres, _SELL), [quantity, item.id])
        if not sold:
            fresh = await ShopItem.get(id=item.id).using_db(conn)
            if not fresh.active:
                raise ItemNotSold(item.name)
            raise OutOfStock(item.name, fresh.stock or 0)
        # Written even for a free item: a role grant refers to it, and a refund is keyed by it.
        [entry] = await conn.execute_query_dict(
            _sql(postgres, _BUY_ENTRY),
            [
                guild_id,
                acct_id,
                -cost,
                reason[:200],
                user_id,
                LedgerEntry._meta.fields_map["at"].to_db_value(now, None),
            ],
        )
        entry_id = int(entry["id"])
        paid = await conn.execute_query_dict(_sql(postgres, _PAY), [cost, acct_id])
        if not paid:
            current = await Account.get(id=acct_id).using_db(conn)
            raise CannotAfford(cost, current.wallet, item.name, quantity)
        wallet, bank = int(paid[0]["wallet"]), int(paid[0]["bank"])
        limit = item.per_member_limit
        held = None
        if limit is None or quantity <= limit:
            held = await conn.execute_query_dict(_sql(postgres, _HOLD), [guild_id, acct_id, item.id, quantity, limit])
        if not held:
            existing = await InventoryItem.get_or_none(account_id=acct_id, item_id=item.id).using_db(conn)
            raise LimitReached(item.name, limit or 0, existing.bought if existing else 0)
        owned = int(held[0]["quantity"])
        if item.role_id is not None:
            grant = RoleGrant(
                guild_id,
                user_id,
                acct_id,
                item.id,
                item.name,
                item.role_id,
                item.role_set_by,
                entry_id,
                cost,
                quantity,
                channel_id,
            )
            job = await runtime.scheduler.schedule(
                "economy",
                GRANT_ROLE_JOB,
                now + GRANT_RETRY_AFTER,
                guild_id=guild_id,
                payload=grant.payload(),
                using_db=conn,
            )
            job_id = job.id
    if opened:
        runtime.state(EconomyState).account_ids[(guild_id, user_id)] = acct_id
    receipt = Receipt(entry_id, acct_id, user_id, wallet, bank, -cost, 0, "buy")
    if cost:
        await announce_change(runtime, guild_id, receipt, reason)
    return Purchase(receipt, item, quantity, owned, grant, job_id)


async def _buy_sqlite(
    runtime: Runtime, guild_id: int, user_id: int, acct_id: int, item: Item, quantity: int, cost: int
) -> Purchase:
    """:func:`_buy_once` for an item without a role, bought from an existing account on SQLite:
    the same statements, BEGIN to COMMIT in one hand-over to SQLite's thread (``sqlite_batch``)."""
    reason = f"{quantity} x {item.name}"
    at = LedgerEntry._meta.fields_map["at"].to_db_value(clock.now(), None)
    limit = item.per_member_limit

    def work(db: sqlite3.Connection) -> tuple[int, int, int, int]:
        if not db.execute(_SELL, [quantity, item.id]).fetchall():
            raise sqlite_batch.ConditionFailed(0)
        [(entry_id,)] = db.execute(_BUY_ENTRY, [guild_id, acct_id, -cost, reason[:200], user_id, at]).fetchall()
        paid = db.execute(_PAY, [cost, acct_id]).fetchall()
        if not paid:
            raise sqlite_batch.ConditionFailed(1)
        if limit is not None and quantity > limit:
            raise sqlite_batch.ConditionFailed(2)
        held = db.execute(_HOLD, [guild_id, acct_id, item.id, quantity, limit]).fetchall()
        if not held:
            raise sqlite_batch.ConditionFailed(2)
        return int(entry_id), int(paid[0][0]), int(paid[0][1]), int(held[0][0])

    try:
        entry_id, wallet, bank, owned = await sqlite_batch.run(runtime, work)
    except sqlite_batch.ConditionFailed as failed:  # rolled back; say why from what is there now
        if failed.index == 0:
            fresh = await ShopItem.get(id=item.id)
            if not fresh.active:
                raise ItemNotSold(item.name) from None
            raise OutOfStock(item.name, fresh.stock or 0) from None
        if failed.index == 1:
            current = await Account.get(id=acct_id)
            raise CannotAfford(cost, current.wallet, item.name, quantity) from None
        existing = await InventoryItem.get_or_none(account_id=acct_id, item_id=item.id)
        raise LimitReached(item.name, limit or 0, existing.bought if existing else 0) from None
    receipt = Receipt(entry_id, acct_id, user_id, wallet, bank, -cost, 0, "buy")
    if cost:
        await announce_change(runtime, guild_id, receipt, reason)
    return Purchase(receipt, item, quantity, owned)


# The statements of a purchase, with ``?N`` placeholders (``$N`` on PostgreSQL).
_SELL = (
    "UPDATE economy_shop_item SET stock = stock - ?1, sold = sold + ?1 "
    "WHERE id = ?2 AND active AND (stock IS NULL OR stock >= ?1) RETURNING id"
)
_BUY_ENTRY = (
    "INSERT INTO economy_ledger (guild_id, account_id, wallet_delta, bank_delta, kind, reason, actor_id, at) "
    "VALUES (?1, ?2, ?3, 0, 'buy', ?4, ?5, ?6) RETURNING id"
)
_PAY = "UPDATE economy_account SET wallet = wallet - ?1 WHERE id = ?2 AND wallet >= ?1 RETURNING wallet, bank"
#: Adds to the member's holding unless that would pass the per-member limit (?5, NULL: none).
_HOLD = (
    "INSERT INTO economy_inventory (guild_id, account_id, item_id, quantity, bought) VALUES (?1, ?2, ?3, ?4, ?4) "
    "ON CONFLICT (account_id, item_id) DO UPDATE SET quantity = economy_inventory.quantity + excluded.quantity, "
    "bought = economy_inventory.bought + excluded.bought "
    "WHERE CAST(?5 AS INTEGER) IS NULL OR economy_inventory.bought + excluded.bought <= CAST(?5 AS INTEGER) "
    "RETURNING quantity"
)
_PREPARED: dict[tuple[bool, str], str] = {}


def _sql(postgres: bool, statement: str) -> str:
    """``statement`` in the dialect's placeholders (``$N`` for PostgreSQL), built once."""
    found = _PREPARED.get((postgres, statement))
    if found is None:
        found = _PREPARED[(postgres, statement)] = re.sub(r"\?(\d+)", r"$\1", statement) if postgres else statement
    return found


def refund_key(entry_id: int) -> str:
    return f"refund:buy:{entry_id}"


async def refund(runtime: Runtime, grant: RoleGrant, why: str) -> bool:
    """Undo a role purchase: money back (a ``refund`` ledger entry saying ``why``), stock back,
    inventory back. Keyed by the purchase's ledger entry: a second call (the command and the job
    both, or a job run again after a crash) changes nothing and returns False."""
    try:
        wallet, bank = await _refund_once(runtime, grant, why)
    except IntegrityError:
        return False  # refunded already (the unique key); the transaction was rolled back
    if grant.cost:
        receipt = Receipt(0, grant.account_id, grant.user_id, wallet, bank, grant.cost, 0, "refund")
        await announce_change(runtime, grant.guild_id, receipt, why)
    return True


async def _refund_once(runtime: Runtime, grant: RoleGrant, why: str) -> tuple[int, int]:
    async with in_transaction(runtime.database.connection_name) as conn:
        await LedgerEntry.create(
            guild_id=grant.guild_id,
            account_id=grant.account_id,
            wallet_delta=grant.cost,
            bank_delta=0,
            kind="refund",
            reason=why[:200],
            actor_id=None,
            related_id=grant.entry_id,
            idempotency_key=refund_key(grant.entry_id),
            at=clock.now(),
            using_db=conn,
        )
        await (
            ShopItem.filter(id=grant.item_id)
            .using_db(conn)
            .update(stock=F("stock") + grant.quantity, sold=F("sold") - grant.quantity)
        )
        if grant.cost:
            # A refund may exceed the maximum balance: it only gives back what was just paid.
            await Account.filter(id=grant.account_id).using_db(conn).update(wallet=F("wallet") + grant.cost)
        await (
            InventoryItem.filter(account_id=grant.account_id, item_id=grant.item_id)
            .using_db(conn)
            .update(quantity=F("quantity") - grant.quantity, bought=F("bought") - grant.quantity)
        )
        wallet, bank = await Account.filter(id=grant.account_id).using_db(conn).first().values_list("wallet", "bank")
    return wallet, bank


async def refunded(grant: RoleGrant) -> bool:
    return await LedgerEntry.filter(guild_id=grant.guild_id, idempotency_key=refund_key(grant.entry_id)).exists()


@dataclass(frozen=True)
class Holding:
    item: Item
    quantity: int


async def inventory(guild_id: int, user_id: int) -> list[Holding]:
    acct = await peek(guild_id, user_id)
    if acct is None:
        return []
    rows = await InventoryItem.filter(account_id=acct.id, quantity__gt=0)
    items = {i.id: Item.of(i) for i in await ShopItem.filter(id__in=[r.item_id for r in rows])}
    holdings = (Holding(items[r.item_id], r.quantity) for r in rows if r.item_id in items)
    return sorted(holdings, key=lambda h: item_key(h.item.name))


@dataclass(frozen=True)
class Used:
    item: Item
    #: How many the member holds after using one.
    left: int


async def use_item(runtime: Runtime, guild_id: int, user_id: int, name: str) -> Used:
    """Use one consumable item (fires ``economy_item_used``)."""
    item = await find_item(guild_id, name, active_only=False)
    if not item.consumable:
        raise NotUsable(item.name)
    acct = await peek(guild_id, user_id)
    used = 0
    if acct is not None:
        used = await InventoryItem.filter(account_id=acct.id, item_id=item.id, quantity__gte=1).update(
            quantity=F("quantity") - 1
        )
    if not used or acct is None:
        raise NoneOwned(item.name)
    left = await InventoryItem.filter(account_id=acct.id, item_id=item.id).first().values_list("quantity", flat=True)
    await runtime.hooks.call(
        "economy_item_used", guild_id=guild_id, runtime=runtime, user_id=user_id, item_id=item.id, item_name=item.name
    )
    return Used(item, int(left or 0))
