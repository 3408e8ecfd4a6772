"""The shop and inventories: items with stock, per-member limits, consumables and role items.

A purchase changes stock, the wallet and the inventory in one transaction, locking the item row,
then the account, then the inventory row (the same order for every purchase)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.upsert import upsert

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
from ..models import Account, InventoryItem, LedgerEntry, ShopItem
from ..settings import EconomySettings
from .accounts import account_id, peek, settings_for
from .ledger import Receipt, announce_change, with_retries

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

#: Most of one item bought in one purchase.
MAX_QUANTITY = 1000


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
    per_member_limit: int | None = None,
    consumable: bool = False,
    use_message: str = "",
    settings: EconomySettings,
) -> Item:
    name = " ".join(name.split())
    if not name or len(name) > 50:
        raise InvalidItem("name")
    if price < 0 or price > settings.max_balance:
        raise InvalidItem("price", max_price=settings.max_balance)
    if stock is not None and stock < 0:
        raise InvalidItem("stock")
    if per_member_limit is not None and per_member_limit < 1:
        raise InvalidItem("limit")
    if role_id is not None and consumable:
        raise InvalidItem("role_consumable")
    key = item_key(name)
    existing = await ShopItem.get_or_none(guild_id=guild_id, key=key)
    if existing is not None and existing.active:
        raise DuplicateItem(existing.name)
    values = {
        "name": name,
        "description": description[:200],
        "price": price,
        "stock": stock,
        "role_id": role_id,
        "per_member_limit": per_member_limit,
        "consumable": consumable,
        "use_message": use_message[:200],
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
    query = ShopItem.filter(guild_id=guild_id, key=item_key(name))
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
    if amount is not None and amount < 0:
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

    @property
    def cost(self) -> int:
        return -self.receipt.wallet_delta


async def buy(runtime: Runtime, guild_id: int, user_id: int, name: str, quantity: int = 1) -> Purchase:
    """Buy ``quantity`` of an item: stock, the per-member limit, the wallet and the inventory
    change in one transaction, or nothing does."""
    settings = await settings_for(runtime, guild_id)
    if quantity < 1 or quantity > MAX_QUANTITY:
        raise InvalidQuantity(quantity, 1, MAX_QUANTITY)
    item = await find_item(guild_id, name)
    if item.role_id is not None and quantity != 1:
        raise RoleItemQuantity(item.name)
    cost = item.price * quantity
    if cost > settings.max_balance:
        raise CostOverMaximum(cost, settings.max_balance)
    acct_id = await account_id(runtime, guild_id, user_id, settings)
    return await with_retries(lambda: _buy_once(runtime, guild_id, user_id, acct_id, item, quantity, cost))


async def _buy_once(
    runtime: Runtime, guild_id: int, user_id: int, acct_id: int, item: Item, quantity: int, cost: int
) -> Purchase:
    now = clock.now()
    reason = f"{quantity} x {item.name}"
    async with in_transaction(runtime.database.connection_name) as conn:
        # Fixed order for every purchase: the item row, then the account, then the inventory row.
        sold = (
            await ShopItem.filter(id=item.id, active=True)
            .filter(Q(stock__isnull=True) | Q(stock__gte=quantity))
            .using_db(conn)
            .update(stock=F("stock") - quantity, sold=F("sold") + quantity)
        )
        if not sold:
            fresh = await ShopItem.get(id=item.id).using_db(conn)
            if not fresh.active:
                raise ItemNotSold(item.name)
            raise OutOfStock(item.name, fresh.stock or 0)
        entry = None
        if cost:
            entry = await LedgerEntry.create(
                guild_id=guild_id,
                account_id=acct_id,
                wallet_delta=-cost,
                bank_delta=0,
                kind="buy",
                reason=reason[:200],
                actor_id=user_id,
                related_id=None,
                at=now,
                using_db=conn,
            )
            paid = await Account.filter(id=acct_id, wallet__gte=cost).using_db(conn).update(wallet=F("wallet") - cost)
            if not paid:
                current = await Account.get(id=acct_id).using_db(conn)
                raise CannotAfford(cost, current.wallet, item.name, quantity)
        limit = item.per_member_limit
        added = limit is None or quantity <= limit
        if added:
            added = await upsert(
                InventoryItem,
                conflict=("account_id", "item_id"),
                values={"guild_id": guild_id, "account_id": acct_id, "item_id": item.id},
                update=[],
                increment={"quantity": quantity, "bought": quantity},
                at_most={"bought": limit} if limit is not None else None,
                connection=conn,
            )
        if not added:
            existing = await InventoryItem.get_or_none(account_id=acct_id, item_id=item.id).using_db(conn)
            raise LimitReached(item.name, limit or 0, existing.bought if existing else 0)
        row = await InventoryItem.get(account_id=acct_id, item_id=item.id).using_db(conn)
        wallet, bank = await Account.filter(id=acct_id).using_db(conn).first().values_list("wallet", "bank")
    receipt = Receipt(entry.id if entry else 0, acct_id, user_id, wallet, bank, -cost, 0, "buy")
    if cost:
        await announce_change(runtime, guild_id, receipt, reason)
    return Purchase(receipt, item, quantity, row.quantity)


async def refund(runtime: Runtime, guild_id: int, user_id: int, purchase: Purchase, why: str) -> None:
    """Undo a purchase: money back (a ``refund`` ledger entry with reason ``why``), stock back,
    inventory back."""
    cost = purchase.cost
    async with in_transaction(runtime.database.connection_name) as conn:
        await (
            ShopItem.filter(id=purchase.item.id)
            .using_db(conn)
            .update(stock=F("stock") + purchase.quantity, sold=F("sold") - purchase.quantity)
        )
        if cost:
            await LedgerEntry.create(
                guild_id=guild_id,
                account_id=purchase.receipt.account_id,
                wallet_delta=cost,
                bank_delta=0,
                kind="refund",
                reason=why[:200],
                actor_id=None,
                related_id=purchase.receipt.entry_id,
                at=clock.now(),
                using_db=conn,
            )
            # A refund may exceed the maximum balance: it only gives back what was just paid.
            await Account.filter(id=purchase.receipt.account_id).using_db(conn).update(wallet=F("wallet") + cost)
        await (
            InventoryItem.filter(account_id=purchase.receipt.account_id, item_id=purchase.item.id)
            .using_db(conn)
            .update(quantity=F("quantity") - purchase.quantity, bought=F("bought") - purchase.quantity)
        )
        wallet, bank = (
            await Account.filter(id=purchase.receipt.account_id).using_db(conn).first().values_list("wallet", "bank")
        )
    if cost:
        receipt = Receipt(0, purchase.receipt.account_id, user_id, wallet, bank, cost, 0, "refund")
        await announce_change(runtime, guild_id, receipt, why)


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
