"""Accounts: opening them, their cached ids, reading balances, amounts members type, the leaderboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.pagination import clamp_page, page_count

from ..errors import AmountNotPositive, AmountTooLarge, InvalidOrder, NotAnAmount
from ..models import Account, ClaimMarker, LedgerEntry
from ..settings import EconomySettings
from ..state import EconomyState

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

PLUGIN = "economy"


@dataclass(frozen=True)
class AccountSnapshot:
    """A member's account as read: ``id`` is the account id."""

    id: int
    guild_id: int
    user_id: int | None
    wallet: int
    bank: int
    daily_streak: int
    last_daily: date | None

    @property
    def total(self) -> int:
        return self.wallet + self.bank

    @classmethod
    def of(cls, row: Account) -> AccountSnapshot:
        return cls(row.id, row.guild_id, row.user_id, row.wallet, row.bank, row.daily_streak, row.last_daily)


async def settings_for(runtime: Runtime, guild_id: int, channel_id: int | None = None) -> EconomySettings:
    return await runtime.settings.get(guild_id, PLUGIN, channel_id)


async def open_in(conn: BaseDBAsyncClient, guild_id: int, user_id: int, settings: EconomySettings) -> Account:
    """Open the member's account inside the caller's transaction: with the starting balance (a
    ``start`` ledger entry), or, after a /privacy delete, from the kept :class:`ClaimMarker`
    (nothing paid again). Rolled back with the caller's change, so a refused operation opens
    nothing. Raises IntegrityError if another command opened it first."""
    now = clock.now()
    marker = await ClaimMarker.get_or_none(guild_id=guild_id, user_id=user_id).using_db(conn)
    start = 0 if marker is not None else settings.starting_balance
    created = await Account.create(
        guild_id=guild_id,
        user_id=user_id,
        wallet=start,
        created_at=now,
        last_daily=marker.last_daily if marker else None,
        last_work_at=marker.last_work_at if marker else None,
        using_db=conn,
    )
    if start:
        await LedgerEntry.create(
            guild_id=guild_id,
            account_id=created.id,
            wallet_delta=start,
            bank_delta=0,
            kind="start",
            reason="starting balance",
            at=now,
            using_db=conn,
        )
    if marker is not None:  # the account carries it from now on
        await ClaimMarker.filter(id=marker.id).using_db(conn).delete()
    return created


async def open_account(
    runtime: Runtime, guild_id: int, user_id: int, settings: EconomySettings | None = None
) -> Account:
    """The member's account row, opened (see :func:`open_in`) on first use."""
    found = await Account.get_or_none(guild_id=guild_id, user_id=user_id)
    if found is not None:
        return found
    settings = settings or await settings_for(runtime, guild_id)
    try:
        async with in_transaction(runtime.database.connection_name) as conn:
            return await open_in(conn, guild_id, user_id, settings)
    except IntegrityError:  # opened concurrently by another command
        return await Account.get(guild_id=guild_id, user_id=user_id)


async def account(
    runtime: Runtime, guild_id: int, user_id: int, settings: EconomySettings | None = None
) -> AccountSnapshot:
    """The member's account (opening it if needed)."""
    return AccountSnapshot.of(await open_account(runtime, guild_id, user_id, settings))


async def account_id(runtime: Runtime, guild_id: int, user_id: int, settings: EconomySettings | None = None) -> int:
    """The member's account id (opening the account if needed), from the bot's cache when possible."""
    cache = runtime.state(EconomyState).account_ids
    found = cache.get((guild_id, user_id))
    if found is None:
        found = cache[(guild_id, user_id)] = (await open_account(runtime, guild_id, user_id, settings)).id
    return found


async def existing_account_id(runtime: Runtime, guild_id: int, user_id: int) -> int | None:
    """The member's account id if they have an account (cached), without opening one."""
    cache = runtime.state(EconomyState).account_ids
    found = cache.get((guild_id, user_id))
    if found is None:
        found = await Account.filter(guild_id=guild_id, user_id=user_id).first().values_list("id", flat=True)
        if found is not None:
            cache[(guild_id, user_id)] = found
    return found


async def peek(guild_id: int, user_id: int) -> AccountSnapshot | None:
    """The account without opening one."""
    row = await Account.get_or_none(guild_id=guild_id, user_id=user_id)
    return AccountSnapshot.of(row) if row is not None else None


def check_amount(amount: int, settings: EconomySettings) -> int:
    if amount <= 0:
        raise AmountNotPositive(amount)
    if amount > settings.max_balance:
        raise AmountTooLarge(amount, settings.max_balance)
    return amount


def parse_amount(text: str | int, available: int | None = None) -> int:
    """``"1,500"``, ``"2k"``, or ``"all"`` / ``"half"`` (these need ``available``) as a whole number."""
    if isinstance(text, int):
        return text
    cleaned = text.strip().lower().replace(",", "").replace("_", "").replace(" ", "")
    if cleaned in ("all", "max", "everything") and available is not None:
        return available
    if cleaned in ("half",) and available is not None:
        return available // 2
    multiplier = 1
    if cleaned[-1:] in ("k", "m"):
        multiplier = 1_000 if cleaned[-1] == "k" else 1_000_000
        cleaned = cleaned[:-1]
    try:
        return int(cleaned) * multiplier
    except ValueError:
        raise NotAnAmount(text) from None


# -- the leaderboard --------------------------------------------------------------------------------

ORDERS = ("wallet", "bank", "total")


@dataclass(frozen=True)
class RankRow:
    rank: int
    user_id: int
    #: The amount ranked by (wallet, bank or total).
    value: int
    total: int


@dataclass(frozen=True)
class LeaderboardPage:
    rows: list[RankRow]
    page: int
    pages: int


async def leaderboard(guild_id: int, by: str, page: int, size: int) -> LeaderboardPage:
    """One page (1-based, clamped) of members with an account, richest first."""
    if by not in ORDERS:
        raise InvalidOrder(by, ORDERS)
    base = Account.filter(guild_id=guild_id, user_id__isnull=False)
    pages = page_count(await base.count(), size)
    page = clamp_page(page, pages)
    query = base.annotate(total=F("wallet") + F("bank")).order_by(f"-{by}", "id")
    rows = await query.offset((page - 1) * size).limit(size).values("user_id", "wallet", "bank", "total")
    start = (page - 1) * size
    ranked = [RankRow(start + i + 1, r["user_id"], r[by], r["total"]) for i, r in enumerate(rows)]
    return LeaderboardPage(ranked, page, pages)
