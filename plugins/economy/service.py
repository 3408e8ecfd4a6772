"""Economy domain logic over the models: no Discord types. Also the API other plugins call.

Every balance change goes through :func:`_commit`: one transaction that inserts the ledger entry
and applies a conditional ``UPDATE ... SET wallet = wallet + d WHERE wallet >= -d`` (no
read-modify-write), touching account rows in id order so PostgreSQL cannot deadlock two transfers.
A unique ``(guild_id, idempotency_key)`` makes a retried operation return the first result.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import weakref
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cachetools import LRUCache
from tortoise.exceptions import IntegrityError, OperationalError, TransactionManagementError
from tortoise.expressions import F, Q
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.errors import UserError

from .models import Account, InventoryItem, LedgerDaily, LedgerEntry, RoleBonus, ShopItem
from .settings import EconomySettings

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.economy")

PLUGIN = "economy"
#: Serialisation failures and deadlocks are retried this many times before giving up.
RETRIES = 5
_rng = random.SystemRandom()

Pocket = str  # "wallet" | "bank"


class InsufficientFunds(UserError):
    """Raised when a wallet (or bank) holds less than asked; nothing was written."""


@dataclass(frozen=True)
class Receipt:
    """What one committed operation did to one account."""

    entry_id: int
    account_id: int
    user_id: int | None
    wallet: int
    bank: int
    wallet_delta: int
    bank_delta: int
    kind: str
    #: True when the idempotency key had been used: nothing changed, the first result is returned.
    duplicate: bool = False

    @property
    def delta(self) -> int:
        return self.wallet_delta + self.bank_delta

    @property
    def total(self) -> int:
        return self.wallet + self.bank


@dataclass(frozen=True)
class Move:
    """One account's part of an operation."""

    account_id: int
    user_id: int | None
    wallet: int = 0
    bank: int = 0
    #: Extra conditions and updates applied in the same UPDATE (cooldowns, daily streak).
    where: Q | None = None
    set: dict[str, Any] | None = None
    counterparty_id: int | None = None


def fmt(settings: EconomySettings, amount: int) -> str:
    return f"{settings.currency_symbol} **{amount:,}** {settings.currency_name}"


async def settings_for(runtime: Runtime, guild_id: int, channel_id: int | None = None) -> EconomySettings:
    return await runtime.settings.get(guild_id, PLUGIN, channel_id)


# -- accounts --------------------------------------------------------------------------------


async def account(runtime: Runtime, guild_id: int, user_id: int, settings: EconomySettings | None = None) -> Account:
    """The member's account, opened with the starting balance (a ledger entry) on first use."""
    found = await Account.get_or_none(guild_id=guild_id, user_id=user_id)
    if found is not None:
        return found
    settings = settings or await settings_for(runtime, guild_id)
    now = clock.now()
    try:
        async with in_transaction(runtime.database.connection_name) as conn:
            created = await Account.create(
                guild_id=guild_id, user_id=user_id, wallet=settings.starting_balance, created_at=now, using_db=conn
            )
            if settings.starting_balance:
                await LedgerEntry.create(
                    guild_id=guild_id,
                    account_id=created.id,
                    wallet_delta=settings.starting_balance,
                    bank_delta=0,
                    kind="start",
                    reason="starting balance",
                    at=now,
                    using_db=conn,
                )
        return created
    except IntegrityError:  # opened concurrently by another command
        return await Account.get(guild_id=guild_id, user_id=user_id)


#: Per runtime: (guild_id, user_id) -> account id. Ids never change; an account only disappears
#: with a guild purge (a failed update then clears this) or loses its user on /privacy delete.
_account_ids: weakref.WeakKeyDictionary[Any, LRUCache[tuple[int, int], int]] = weakref.WeakKeyDictionary()


def _ids(runtime: Runtime) -> LRUCache[tuple[int, int], int]:
    cache = _account_ids.get(runtime)
    if cache is None:
        cache = _account_ids[runtime] = LRUCache(maxsize=50_000)
    return cache


def forget_accounts(runtime: Runtime) -> None:
    _ids(runtime).clear()


async def account_id(runtime: Runtime, guild_id: int, user_id: int, settings: EconomySettings | None = None) -> int:
    """The member's account id (opening the account if needed), from a cache when possible."""
    cache = _ids(runtime)
    found = cache.get((guild_id, user_id))
    if found is None:
        found = cache[(guild_id, user_id)] = (await account(runtime, guild_id, user_id, settings)).id
    return found


async def peek(guild_id: int, user_id: int) -> Account | None:
    """The account without opening one."""
    return await Account.get_or_none(guild_id=guild_id, user_id=user_id)


def _is_retryable(error: BaseException) -> bool:
    text = str(error).lower()
    return "deadlock" in text or "could not serialize" in text or "database is locked" in text


async def _commit(
    runtime: Runtime,
    guild_id: int,
    moves: Sequence[Move],
    *,
    kind: str,
    reason: str | None,
    actor_id: int | None,
    key: str | None,
    max_balance: int,
    failure: Any,
) -> list[Receipt]:
    """Apply ``moves`` and their ledger entries in one transaction, or nothing.

    ``failure(move, account)`` is awaited when a move's conditional update matches no row; it must
    raise a UserError saying why (the transaction is rolled back). Returns one receipt per move,
    in the order given; with a used ``key``, the receipts of the first run with ``duplicate=True``.
    """
    # No lookup of the key first: the unique index answers a duplicate, which is rare.
    key = key[:120] if key is not None else None
    for attempt in range(RETRIES):
        try:
            return await _commit_once(
                runtime,
                guild_id,
                moves,
                kind=kind,
                reason=reason,
                actor_id=actor_id,
                key=key,
                max_balance=max_balance,
                failure=failure,
            )
        except IntegrityError:
            if key is not None and (first := await _receipts_for_key(guild_id, key, kind)):
                return first  # the same operation committed concurrently
            raise
        except (OperationalError, TransactionManagementError) as error:
            if not _is_retryable(error) or attempt == RETRIES - 1:
                raise
            await asyncio.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")


async def _commit_once(
    runtime: Runtime,
    guild_id: int,
    moves: Sequence[Move],
    *,
    kind: str,
    reason: str | None,
    actor_id: int | None,
    key: str | None,
    max_balance: int,
    failure: Any,
) -> list[Receipt]:
    now = clock.now()
    receipts: dict[int, Receipt] = {}
    async with in_transaction(runtime.database.connection_name) as conn:
        entries: list[LedgerEntry] = []
        # Ledger first: a concurrent duplicate of the same key waits on the unique index here,
        # before it touches any account.
        for index, move in enumerate(moves):
            entries.append(
                await LedgerEntry.create(
                    guild_id=guild_id,
                    account_id=move.account_id,
                    wallet_delta=move.wallet,
                    bank_delta=move.bank,
                    kind=kind,
                    reason=reason[:200] if reason else None,
                    actor_id=actor_id,
                    counterparty_id=move.counterparty_id,
                    related_id=entries[0].id if index else None,
                    idempotency_key=key if index == 0 else None,
                    at=now,
                    using_db=conn,
                )
            )
        # Accounts in id order: two transfers between the same members lock them the same way.
        for index in sorted(range(len(moves)), key=lambda i: moves[i].account_id):
            move = moves[index]
            query = Account.filter(id=move.account_id)
            if move.wallet < 0:
                query = query.filter(wallet__gte=-move.wallet)
            if move.bank < 0:
                query = query.filter(bank__gte=-move.bank)
            if move.wallet + move.bank > 0:
                query = query.filter(wallet__lte=(max_balance - move.wallet - move.bank) - F("bank"))
            if move.where is not None:
                query = query.filter(move.where)
            changes: dict[str, Any] = dict(move.set or {})
            if move.wallet:
                changes["wallet"] = F("wallet") + move.wallet
            if move.bank:
                changes["bank"] = F("bank") + move.bank
            if not changes:
                continue
            updated = await query.using_db(conn).update(**changes)
            if not updated:
                current = await Account.get_or_none(id=move.account_id).using_db(conn)
                if current is None:
                    forget_accounts(runtime)
                await failure(move, current)
                raise UserError("That did not work; nothing was changed. Try again.")
        # Read back inside the transaction: the rows are ours until it commits.
        rows = await Account.filter(id__in=[m.account_id for m in moves]).using_db(conn).values("id", "wallet", "bank")
        after = {row["id"]: (row["wallet"], row["bank"]) for row in rows}
        for index, move in enumerate(moves):
            wallet, bank = after[move.account_id]
            receipts[index] = Receipt(
                entries[index].id, move.account_id, move.user_id, wallet, bank, move.wallet, move.bank, kind
            )
    result = [receipts[i] for i in range(len(moves))]
    for receipt in result:
        if receipt.user_id is not None:
            await runtime.hooks.call(
                "economy_balance_changed",
                guild_id=guild_id,
                runtime=runtime,
                user_id=receipt.user_id,
                delta=receipt.delta,
                wallet=receipt.wallet,
                bank=receipt.bank,
                kind=kind,
                reason=reason,
            )
    return result


async def _receipts_for_key(guild_id: int, key: str, kind: str) -> list[Receipt]:
    first = await LedgerEntry.get_or_none(guild_id=guild_id, idempotency_key=key)
    if first is None:
        return []
    entries = [first, *await LedgerEntry.filter(related_id=first.id, kind=first.kind).order_by("id")]
    receipts = []
    for entry in entries:
        acct = await Account.get(id=entry.account_id)
        receipts.append(
            Receipt(
                entry.id,
                entry.account_id,
                acct.user_id,
                acct.wallet,
                acct.bank,
                entry.wallet_delta,
                entry.bank_delta,
                entry.kind,
                duplicate=True,
            )
        )
    return receipts


def _check_amount(amount: int, settings: EconomySettings) -> int:
    if amount <= 0:
        raise UserError("The amount must be a positive whole number.")
    if amount > settings.max_balance:
        raise UserError(f"The amount can be at most {amount_text(settings, settings.max_balance)}.")
    return amount


def amount_text(settings: EconomySettings, amount: int) -> str:
    return f"{settings.currency_symbol} {amount:,} {settings.currency_name}"


def parse_amount(text: str | int, available: int | None = None) -> int:
    """``"1,500"``, ``"2k"``, or ``"all"`` (needs ``available``) as a whole number."""
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
        raise UserError(f"`{text}` is not an amount. Use a whole number like `250`, or `all`.") from None


def _funds_failure(settings: EconomySettings, who: str = "You") -> Any:
    async def failure(move: Move, current: Account | None) -> None:
        if current is None:
            raise UserError("That account no longer exists; nothing was changed.")
        if move.wallet < 0 and current.wallet < -move.wallet:
            have = "have" if who == "You" else "has"
            raise InsufficientFunds(
                f"{who} {have} only {amount_text(settings, current.wallet)} in the wallet; "
                f"that needs {amount_text(settings, -move.wallet)}."
            )
        if move.bank < 0 and current.bank < -move.bank:
            have = "have" if who == "You" else "has"
            raise InsufficientFunds(
                f"{who} {have} only {amount_text(settings, current.bank)} in the bank; "
                f"that needs {amount_text(settings, -move.bank)}."
            )
        if (
            move.wallet + move.bank > 0
            and current.wallet + current.bank + move.wallet + move.bank > settings.max_balance
        ):
            raise UserError(
                f"That would take {'your' if who == 'You' else 'their'} balance over the maximum of "
                f"{amount_text(settings, settings.max_balance)}; nothing was changed."
            )

    return failure


# -- balances, admin, the API for other plugins -----------------------------------------------


async def balance(runtime: Runtime, guild_id: int, user_id: int) -> Account:
    return await account(runtime, guild_id, user_id)


async def credit(
    runtime: Runtime,
    guild_id: int,
    user_id: int,
    amount: int,
    *,
    kind: str,
    reason: str | None,
    actor_id: int | None = None,
    key: str | None = None,
    settings: EconomySettings | None = None,
) -> Receipt:
    settings = settings or await settings_for(runtime, guild_id)
    _check_amount(amount, settings)
    acct_id = await account_id(runtime, guild_id, user_id, settings)
    [receipt] = await _commit(
        runtime,
        guild_id,
        [Move(acct_id, user_id, wallet=amount)],
        kind=kind,
        reason=reason,
        actor_id=actor_id,
        key=key,
        max_balance=settings.max_balance,
        failure=_funds_failure(settings),
    )
    return receipt


async def debit(
    runtime: Runtime,
    guild_id: int,
    user_id: int,
    amount: int,
    *,
    kind: str,
    reason: str | None,
    actor_id: int | None = None,
    key: str | None = None,
    pocket: Pocket = "wallet",
    settings: EconomySettings | None = None,
    who: str = "You",
) -> Receipt:
    settings = settings or await settings_for(runtime, guild_id)
    _check_amount(amount, settings)
    acct_id = await account_id(runtime, guild_id, user_id, settings)
    move = Move(acct_id, user_id, wallet=-amount) if pocket == "wallet" else Move(acct_id, user_id, bank=-amount)
    [receipt] = await _commit(
        runtime,
        guild_id,
        [move],
        kind=kind,
        reason=reason,
        actor_id=actor_id,
        key=key,
        max_balance=settings.max_balance,
        failure=_funds_failure(settings, who),
    )
    return receipt


async def credit_bank(
    runtime: Runtime,
    guild_id: int,
    user_id: int,
    amount: int,
    *,
    reason: str | None,
    actor_id: int | None,
    settings: EconomySettings | None = None,
) -> Receipt:
    """Admin: put money straight into the bank."""
    settings = settings or await settings_for(runtime, guild_id)
    _check_amount(amount, settings)
    acct_id = await account_id(runtime, guild_id, user_id, settings)
    [receipt] = await _commit(
        runtime,
        guild_id,
        [Move(acct_id, user_id, bank=amount)],
        kind="admin",
        reason=reason,
        actor_id=actor_id,
        key=None,
        max_balance=settings.max_balance,
        failure=_funds_failure(settings, "They"),
    )
    return receipt


async def set_wallet(
    runtime: Runtime, guild_id: int, user_id: int, amount: int, *, reason: str | None, actor_id: int | None
) -> Receipt:
    """Admin: set the wallet to ``amount`` (a ledger entry of the difference)."""
    settings = await settings_for(runtime, guild_id)
    if amount < 0:
        raise UserError("A balance cannot be negative.")
    acct = await account(runtime, guild_id, user_id, settings)
    if amount + acct.bank > settings.max_balance:
        raise UserError(f"That would go over the maximum balance of {amount_text(settings, settings.max_balance)}.")
    for _ in range(RETRIES):
        current = await Account.get(id=acct.id)
        delta = amount - current.wallet
        if delta == 0:
            raise UserError(f"The wallet already holds {amount_text(settings, amount)}.")
        move = Move(acct.id, user_id, wallet=delta, where=Q(wallet=current.wallet))

        async def changed(move: Move, now: Account | None) -> None:
            raise _Changed

        try:
            [receipt] = await _commit(
                runtime,
                guild_id,
                [move],
                kind="admin",
                reason=reason,
                actor_id=actor_id,
                key=None,
                max_balance=settings.max_balance,
                failure=changed,
            )
            return receipt
        except _Changed:
            continue
    raise UserError("The balance kept changing; try again.")


class _Changed(Exception):
    pass


async def transfer(
    runtime: Runtime,
    guild_id: int,
    from_user: int,
    to_user: int,
    amount: int,
    *,
    note: str | None = None,
    key: str | None = None,
    to_is_bot: bool = False,
) -> tuple[Receipt, Receipt]:
    """Move ``amount`` from one member's wallet to another's; both entries or neither."""
    settings = await settings_for(runtime, guild_id)
    if from_user == to_user:
        raise UserError("You cannot pay yourself.")
    if to_is_bot:
        raise UserError("Bots have no wallet; pay a member instead.")
    _check_amount(amount, settings)
    payer = await account_id(runtime, guild_id, from_user, settings)
    payee = await account_id(runtime, guild_id, to_user, settings)
    payee_failure = _funds_failure(settings, "They")
    payer_failure = _funds_failure(settings)

    async def failure(move: Move, current: Account | None) -> None:
        await (payer_failure if move.account_id == payer else payee_failure)(move, current)

    debit_receipt, credit_receipt = await _commit(
        runtime,
        guild_id,
        [
            Move(payer, from_user, wallet=-amount, counterparty_id=to_user),
            Move(payee, to_user, wallet=amount, counterparty_id=from_user),
        ],
        kind="pay",
        reason=note,
        actor_id=from_user,
        key=key,
        max_balance=settings.max_balance,
        failure=failure,
    )
    return debit_receipt, credit_receipt


async def bank_move(
    runtime: Runtime, guild_id: int, user_id: int, amount_text_: str | int, *, deposit: bool
) -> Receipt:
    settings = await settings_for(runtime, guild_id)
    acct = await account(runtime, guild_id, user_id, settings)
    amount = parse_amount(amount_text_, acct.wallet if deposit else acct.bank)
    if amount <= 0 and isinstance(amount_text_, str) and amount_text_.strip().lower() in ("all", "max", "half"):
        raise UserError(f"Your {'wallet' if deposit else 'bank'} is empty.")
    _check_amount(amount, settings)
    move = (
        Move(acct.id, user_id, wallet=-amount, bank=amount)
        if deposit
        else Move(acct.id, user_id, wallet=amount, bank=-amount)
    )
    [receipt] = await _commit(
        runtime,
        guild_id,
        [move],
        kind="deposit" if deposit else "withdraw",
        reason=None,
        actor_id=user_id,
        key=None,
        max_balance=settings.max_balance,
        failure=_funds_failure(settings),
    )
    return receipt


# -- earning ----------------------------------------------------------------------------------


async def role_bonus_percent(guild_id: int, role_ids: Sequence[int]) -> int:
    """The largest bonus among the member's roles (bonuses do not stack)."""
    if not role_ids:
        return 0
    bonuses = await RoleBonus.filter(guild_id=guild_id, role_id__in=list(role_ids)).values_list("percent", flat=True)
    return max(bonuses, default=0)


def with_bonus(amount: int, percent: int) -> int:
    return amount + amount * percent // 100


@dataclass(frozen=True)
class DailyResult:
    receipt: Receipt
    amount: int
    streak: int
    bonus_percent: int
    next_at: datetime


def next_midnight(today: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)


async def claim_daily(runtime: Runtime, guild_id: int, user_id: int, role_ids: Sequence[int] = ()) -> DailyResult:
    """Pay /daily once per calendar day in the member's timezone, with a streak and grace days."""
    settings = await settings_for(runtime, guild_id)
    tz = await runtime.users.timezone(user_id)
    today = clock.now().astimezone(tz).date()
    acct = await account(runtime, guild_id, user_id, settings)
    percent = await role_bonus_percent(guild_id, role_ids)
    for _ in range(RETRIES):
        current = await Account.get(id=acct.id)
        last = current.last_daily
        if last is not None and last >= today:
            raise UserError(
                f"You already claimed your daily today. The next one is ready "
                f"<t:{int(next_midnight(today, tz).timestamp())}:R> (midnight in {tz.key})."
            )
        if last is not None and (today - last).days <= 1 + settings.daily_grace_days:
            streak = current.daily_streak + 1
        else:
            streak = 1
        base = settings.daily_amount + min(streak - 1, settings.daily_streak_cap) * settings.daily_streak_bonus
        amount = with_bonus(base, percent)
        where = Q(last_daily__isnull=True) if last is None else Q(last_daily=last)
        move = Move(acct.id, user_id, wallet=amount, where=where, set={"last_daily": today, "daily_streak": streak})

        async def failure(move: Move, now: Account | None, last: date | None = last) -> None:
            if now is not None and now.last_daily != last:
                raise _Changed
            await _funds_failure(settings)(move, now)

        try:
            [receipt] = await _commit(
                runtime,
                guild_id,
                [move],
                kind="daily",
                reason=f"daily, streak {streak}",
                actor_id=user_id,
                key=f"daily:{acct.id}:{today.isoformat()}",
                max_balance=settings.max_balance,
                failure=failure,
            )
        except _Changed:
            continue
        if receipt.duplicate:
            continue  # claimed concurrently: the loop reports "already claimed"
        return DailyResult(receipt, amount, streak, percent, next_midnight(today, tz))
    raise UserError("You already claimed your daily today.")


@dataclass(frozen=True)
class WorkResult:
    receipt: Receipt
    amount: int
    bonus_percent: int
    next_at: datetime


async def work(runtime: Runtime, guild_id: int, user_id: int, role_ids: Sequence[int] = ()) -> WorkResult:
    settings = await settings_for(runtime, guild_id)
    acct_id = await account_id(runtime, guild_id, user_id, settings)
    now = clock.now()
    cooldown = timedelta(minutes=settings.work_cooldown_minutes)
    percent = await role_bonus_percent(guild_id, role_ids)
    low, high = sorted((settings.work_min, settings.work_max))
    amount = with_bonus(_rng.randint(low, high), percent)
    if amount <= 0:
        raise UserError("Work pays nothing here at the moment.")
    where = Q(last_work_at__isnull=True) | Q(last_work_at__lte=now - cooldown)

    async def failure(move: Move, current: Account | None) -> None:
        if current is not None and current.last_work_at is not None and current.last_work_at > now - cooldown:
            ready = current.last_work_at + cooldown
            raise UserError(f"You are tired. You can work again <t:{int(ready.timestamp())}:R>.")
        await _funds_failure(settings)(move, current)

    [receipt] = await _commit(
        runtime,
        guild_id,
        [Move(acct_id, user_id, wallet=amount, where=where, set={"last_work_at": now})],
        kind="work",
        reason="work",
        actor_id=user_id,
        key=None,
        max_balance=settings.max_balance,
        failure=failure,
    )
    return WorkResult(receipt, amount, percent, now + cooldown)


@dataclass(frozen=True)
class FlipResult:
    receipt: Receipt
    landed: str
    won: bool
    bet: int


async def coinflip(runtime: Runtime, guild_id: int, user_id: int, bet: int, side: str) -> FlipResult:
    """Bet on heads or tails: win the bet or lose it (only the wallet can be lost)."""
    settings = await settings_for(runtime, guild_id)
    side = side.strip().lower()
    if side not in ("heads", "tails"):
        raise UserError("Pick `heads` or `tails`.")
    low, high = sorted((settings.game_min_bet, settings.game_max_bet))
    if bet < low or bet > high:
        raise UserError(f"Bets here are between {amount_text(settings, low)} and {amount_text(settings, high)}.")
    _check_amount(bet, settings)
    acct_id = await account_id(runtime, guild_id, user_id, settings)
    now = clock.now()
    cooldown = timedelta(seconds=settings.game_cooldown_seconds)
    landed = _rng.choice(("heads", "tails"))
    won = landed == side
    where = (Q(last_game_at__isnull=True) | Q(last_game_at__lte=now - cooldown)) & Q(wallet__gte=bet)

    async def failure(move: Move, current: Account | None) -> None:
        if current is not None and current.last_game_at is not None and current.last_game_at > now - cooldown:
            ready = current.last_game_at + cooldown
            raise UserError(f"Slow down! You can flip again <t:{int(ready.timestamp())}:R>.")
        if current is not None and current.wallet < bet:
            raise InsufficientFunds(
                f"You have only {amount_text(settings, current.wallet)} in the wallet; "
                f"you cannot bet {amount_text(settings, bet)}."
            )
        await _funds_failure(settings)(move, current)

    move = Move(acct_id, user_id, wallet=bet if won else -bet, where=where, set={"last_game_at": now})
    [receipt] = await _commit(
        runtime,
        guild_id,
        [move],
        kind="game",
        reason=f"coin flip: {side}, landed {landed}",
        actor_id=user_id,
        key=None,
        max_balance=settings.max_balance,
        failure=failure,
    )
    return FlipResult(receipt, landed, won, bet)


# -- shop -------------------------------------------------------------------------------------


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
) -> ShopItem:
    name = " ".join(name.split())
    if not name or len(name) > 50:
        raise UserError("An item name needs 1 to 50 characters.")
    if price < 0 or price > settings.max_balance:
        raise UserError(f"The price must be between 0 and {amount_text(settings, settings.max_balance)}.")
    if stock is not None and stock < 0:
        raise UserError("Stock cannot be negative; leave it out for unlimited.")
    if per_member_limit is not None and per_member_limit < 1:
        raise UserError("The per-member limit must be at least 1; leave it out for no limit.")
    if role_id is not None and consumable:
        raise UserError("A role item cannot be consumable: the role is granted when it is bought.")
    key = item_key(name)
    existing = await ShopItem.get_or_none(guild_id=guild_id, key=key)
    if existing is not None and existing.active:
        raise UserError(f"There is already an item called **{existing.name}**. Remove it first or pick another name.")
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
        return await ShopItem.get(id=existing.id)
    try:
        return await ShopItem.create(guild_id=guild_id, key=key, created_at=clock.now(), **values)
    except IntegrityError:
        raise UserError(f"There is already an item called **{name}**.") from None


async def find_item(guild_id: int, name: str, *, active_only: bool = True) -> ShopItem:
    query = ShopItem.filter(guild_id=guild_id, key=item_key(name))
    if active_only:
        query = query.filter(active=True)
    item = await query.first()
    if item is None:
        raise UserError(f"There is no item called **{name}** in the shop. See `/shop`.")
    return item


async def remove_item(guild_id: int, name: str) -> ShopItem:
    item = await find_item(guild_id, name)
    await ShopItem.filter(id=item.id).update(active=False)
    return item


async def restock(guild_id: int, name: str, amount: int | None) -> ShopItem:
    """Set the stock (None: unlimited)."""
    item = await find_item(guild_id, name)
    if amount is not None and amount < 0:
        raise UserError("Stock cannot be negative.")
    await ShopItem.filter(id=item.id).update(stock=amount)
    return await ShopItem.get(id=item.id)


async def shop_items(guild_id: int) -> list[ShopItem]:
    return await ShopItem.filter(guild_id=guild_id, active=True).order_by("price", "key")


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
    item: ShopItem
    quantity: int
    owned: int


async def buy(runtime: Runtime, guild_id: int, user_id: int, name: str, quantity: int = 1) -> Purchase:
    """Buy ``quantity`` of an item: stock, the per-member limit, the wallet and the inventory
    change in one transaction, or nothing does."""
    settings = await settings_for(runtime, guild_id)
    if quantity < 1 or quantity > 1000:
        raise UserError("You can buy between 1 and 1,000 at a time.")
    item = await find_item(guild_id, name)
    if item.role_id is not None and quantity != 1:
        raise UserError("A role item can only be bought once at a time.")
    cost = item.price * quantity
    if cost > settings.max_balance:
        raise UserError("That costs more than anyone can hold.")
    acct_id = await account_id(runtime, guild_id, user_id, settings)
    for attempt in range(RETRIES):
        try:
            return await _buy_once(runtime, guild_id, user_id, acct_id, item, quantity, cost, settings)
        except (OperationalError, TransactionManagementError) as error:
            if not _is_retryable(error) or attempt == RETRIES - 1:
                raise
            await asyncio.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")


async def _buy_once(
    runtime: Runtime,
    guild_id: int,
    user_id: int,
    acct_id: int,
    item: ShopItem,
    quantity: int,
    cost: int,
    settings: EconomySettings,
) -> Purchase:
    now = clock.now()
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
                raise UserError(f"**{item.name}** is no longer sold.")
            left = fresh.stock or 0
            raise UserError(
                f"**{item.name}** is sold out." if left == 0 else f"Only {left} **{item.name}** left in stock."
            )
        entry = None
        if cost:
            entry = await LedgerEntry.create(
                guild_id=guild_id,
                account_id=acct_id,
                wallet_delta=-cost,
                bank_delta=0,
                kind="buy",
                reason=f"{quantity} x {item.name}"[:200],
                actor_id=user_id,
                related_id=None,
                at=now,
                using_db=conn,
            )
            paid = await Account.filter(id=acct_id, wallet__gte=cost).using_db(conn).update(wallet=F("wallet") - cost)
            if not paid:
                current = await Account.get(id=acct_id).using_db(conn)
                raise InsufficientFunds(
                    f"You have only {amount_text(settings, current.wallet)} in the wallet; "
                    f"{quantity} **{item.name}** cost {amount_text(settings, cost)}."
                )
        limit = item.per_member_limit
        held = InventoryItem.filter(account_id=acct_id, item_id=item.id)
        if limit is not None:
            held = held.filter(bought__lte=limit - quantity)
        bumped = await held.using_db(conn).update(quantity=F("quantity") + quantity, bought=F("bought") + quantity)
        if not bumped:
            existing = await InventoryItem.get_or_none(account_id=acct_id, item_id=item.id).using_db(conn)
            if existing is not None or (limit is not None and quantity > limit):
                already = existing.bought if existing else 0
                raise UserError(f"Each member may buy at most {limit} **{item.name}**; you have bought {already}.")
            await InventoryItem.create(
                guild_id=guild_id,
                account_id=acct_id,
                item_id=item.id,
                quantity=quantity,
                bought=quantity,
                using_db=conn,
            )
        row = await InventoryItem.get(account_id=acct_id, item_id=item.id).using_db(conn)
        wallet, bank = await Account.filter(id=acct_id).using_db(conn).first().values_list("wallet", "bank")
    receipt = Receipt(entry.id if entry else 0, acct_id, user_id, wallet, bank, -cost, 0, "buy")
    if cost:
        await runtime.hooks.call(
            "economy_balance_changed",
            guild_id=guild_id,
            runtime=runtime,
            user_id=user_id,
            delta=-cost,
            wallet=wallet,
            bank=bank,
            kind="buy",
            reason=f"{quantity} x {item.name}",
        )
    return Purchase(receipt, item, quantity, row.quantity)


async def refund(runtime: Runtime, guild_id: int, user_id: int, purchase: Purchase, why: str) -> None:
    """Undo a purchase whose role could not be granted: money back, stock back, inventory back."""
    settings = await settings_for(runtime, guild_id)
    cost = -purchase.receipt.wallet_delta
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
    del settings


@dataclass(frozen=True)
class Holding:
    item: ShopItem
    quantity: int


async def inventory(guild_id: int, user_id: int) -> list[Holding]:
    acct = await peek(guild_id, user_id)
    if acct is None:
        return []
    rows = await InventoryItem.filter(account_id=acct.id, quantity__gt=0)
    items = {i.id: i for i in await ShopItem.filter(id__in=[r.item_id for r in rows])}
    return sorted((Holding(items[r.item_id], r.quantity) for r in rows if r.item_id in items), key=lambda h: h.item.key)


async def use_item(runtime: Runtime, guild_id: int, user_id: int, name: str) -> tuple[ShopItem, int]:
    """Use one consumable item; returns it and how many are left."""
    item = await find_item(guild_id, name, active_only=False)
    if not item.consumable:
        raise UserError(f"**{item.name}** is not something you can use.")
    acct = await peek(guild_id, user_id)
    used = 0
    if acct is not None:
        used = await InventoryItem.filter(account_id=acct.id, item_id=item.id, quantity__gte=1).update(
            quantity=F("quantity") - 1
        )
    if not used:
        raise UserError(f"You have no **{item.name}**. Buy one with `/buy`.")
    left = await InventoryItem.filter(account_id=acct.id, item_id=item.id).first().values_list("quantity", flat=True)
    await runtime.hooks.call(
        "economy_item_used", guild_id=guild_id, runtime=runtime, user_id=user_id, item_id=item.id, item_name=item.name
    )
    return item, int(left or 0)


# -- role bonuses -----------------------------------------------------------------------------


async def set_role_bonus(guild_id: int, role_id: int, percent: int) -> None:
    if percent < 0 or percent > 1000:
        raise UserError("A bonus is between 0 and 1000 percent (0 removes it).")
    if percent == 0:
        await RoleBonus.filter(guild_id=guild_id, role_id=role_id).delete()
        return
    if not await RoleBonus.filter(guild_id=guild_id, role_id=role_id).update(percent=percent):
        try:
            await RoleBonus.create(guild_id=guild_id, role_id=role_id, percent=percent)
        except IntegrityError:
            await RoleBonus.filter(guild_id=guild_id, role_id=role_id).update(percent=percent)


async def role_bonuses(guild_id: int) -> list[RoleBonus]:
    return await RoleBonus.filter(guild_id=guild_id).order_by("-percent")


# -- reading ----------------------------------------------------------------------------------

ORDERS = {"wallet": "wallet", "bank": "bank", "total": "total"}


async def leaderboard(guild_id: int, by: str, page: int, size: int) -> tuple[list[tuple[int, int, int, int]], int]:
    """``[(rank, user_id, value, ...)]`` for one page, and the number of pages."""
    if by not in ORDERS:
        raise UserError("Sort by `wallet`, `bank` or `total`.")
    base = Account.filter(guild_id=guild_id, user_id__isnull=False)
    count = await base.count()
    pages = max(1, -(-count // size))
    page = min(max(page, 1), pages)
    query = base.annotate(total=F("wallet") + F("bank")).order_by(f"-{by}", "id")
    rows = await query.offset((page - 1) * size).limit(size).values("user_id", "wallet", "bank", "total")
    start = (page - 1) * size
    return [(start + i + 1, r["user_id"], r[by], r["total"]) for i, r in enumerate(rows)], pages


async def history(guild_id: int, user_id: int, page: int, size: int = 10) -> tuple[list[LedgerEntry], int]:
    acct = await peek(guild_id, user_id)
    if acct is None:
        return [], 1
    query = LedgerEntry.filter(account_id=acct.id)
    pages = max(1, -(-(await query.count()) // size))
    page = min(max(page, 1), pages)
    return await query.order_by("-id").offset((page - 1) * size).limit(size), pages


@dataclass(frozen=True)
class Mismatch:
    account_id: int
    wallet: int
    bank: int
    ledger_wallet: int
    ledger_bank: int


async def audit(guild_id: int | None = None) -> list[Mismatch]:
    """Accounts whose balances differ from their ledger plus archive (should be none)."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for model in (LedgerEntry, LedgerDaily):
        query = model.all() if guild_id is None else model.filter(guild_id=guild_id)
        rows = (
            await query.annotate(w=Sum("wallet_delta"), b=Sum("bank_delta"))
            .group_by("account_id")
            .values("account_id", "w", "b")
        )
        for row in rows:
            sums[row["account_id"]][0] += int(row["w"] or 0)
            sums[row["account_id"]][1] += int(row["b"] or 0)
    accounts = await (Account.all() if guild_id is None else Account.filter(guild_id=guild_id)).values(
        "id", "wallet", "bank"
    )
    wrong = []
    for acct in accounts:
        w, b = sums.pop(acct["id"], [0, 0])
        if (w, b) != (acct["wallet"], acct["bank"]):
            wrong.append(Mismatch(acct["id"], acct["wallet"], acct["bank"], w, b))
    for account_id, (w, b) in sums.items():  # ledger for a missing account
        wrong.append(Mismatch(account_id, 0, 0, w, b))
    return wrong


# -- retention --------------------------------------------------------------------------------


async def archive_entries(rows: Sequence[LedgerEntry]) -> None:
    """Retention's aggregate step, inside its transaction: sum expired entries per account, UTC
    day and kind into LedgerDaily. Balances do not change: the archive still adds up to them."""
    groups: dict[tuple[int, int, date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        group = groups[(row.guild_id, row.account_id, row.at.date(), row.kind)]
        group[0] += row.wallet_delta
        group[1] += row.bank_delta
        group[2] += 1
    for (guild_id, account_id, day, kind), (wallet, bank, count) in groups.items():
        updated = await LedgerDaily.filter(account_id=account_id, day=day, kind=kind).update(
            wallet_delta=F("wallet_delta") + wallet, bank_delta=F("bank_delta") + bank, entries=F("entries") + count
        )
        if not updated:
            await LedgerDaily.create(
                guild_id=guild_id,
                account_id=account_id,
                day=day,
                kind=kind,
                wallet_delta=wallet,
                bank_delta=bank,
                entries=count,
            )


async def kinds_summary(guild_id: int) -> dict[str, int]:
    rows = await LedgerEntry.filter(guild_id=guild_id).annotate(n=Count("id")).group_by("kind").values("kind", "n")
    return {row["kind"]: row["n"] for row in rows}


# -- privacy ----------------------------------------------------------------------------------


async def export_user(user_id: int) -> dict[str, Any] | None:
    accounts = await Account.filter(user_id=user_id)
    if not accounts and not await LedgerEntry.filter(Q(actor_id=user_id) | Q(counterparty_id=user_id)).exists():
        return None
    ids = [a.id for a in accounts]
    entries = (
        await LedgerEntry.filter(Q(account_id__in=ids) | Q(actor_id=user_id) | Q(counterparty_id=user_id))
        .order_by("id")
        .values(
            "guild_id",
            "account_id",
            "wallet_delta",
            "bank_delta",
            "kind",
            "reason",
            "actor_id",
            "counterparty_id",
            "at",
        )
    )
    holdings = await InventoryItem.filter(account_id__in=ids).values("guild_id", "item_id", "quantity", "bought")
    return {
        "accounts": [
            {
                "guild_id": a.guild_id,
                "wallet": a.wallet,
                "bank": a.bank,
                "created_at": a.created_at,
                "daily_streak": a.daily_streak,
                "last_daily": a.last_daily,
            }
            for a in accounts
        ],
        "ledger": list(entries),
        "archived_days": await LedgerDaily.filter(account_id__in=ids).count(),
        "inventory": list(holdings),
    }


KEPT_SENTENCE = (
    "your past transactions stay in the ledger without your id, and your balance stays with an "
    "account that belongs to nobody, because every balance must add up to the ledger"
)


async def delete_user(runtime: Runtime, user_id: int) -> str | None:
    """Anonymise rather than delete: money must still add up. Inventories are deleted."""
    text = str(user_id)
    forget_accounts(runtime)
    async with in_transaction(runtime.database.connection_name) as conn:
        accounts = await Account.filter(user_id=user_id).using_db(conn).values_list("id", flat=True)
        touched = bool(accounts)
        if accounts:
            await InventoryItem.filter(account_id__in=list(accounts)).using_db(conn).delete()
            await Account.filter(id__in=list(accounts)).using_db(conn).update(user_id=None)
        # Notes the member wrote may say anything about them: drop them with the id.
        touched |= bool(await LedgerEntry.filter(actor_id=user_id).using_db(conn).update(actor_id=None, reason=None))
        touched |= bool(await LedgerEntry.filter(counterparty_id=user_id).using_db(conn).update(counterparty_id=None))
        keyed = await LedgerEntry.filter(idempotency_key__contains=text).using_db(conn).values("id", "idempotency_key")
        for row in keyed:
            digest = hashlib.sha256(row["idempotency_key"].encode()).hexdigest()[:40]
            await LedgerEntry.filter(id=row["id"]).using_db(conn).update(idempotency_key=f"anon:{digest}")
        stray = await LedgerEntry.filter(reason__contains=text).using_db(conn).update(reason=None)
        touched |= bool(keyed) or bool(stray)
    return KEPT_SENTENCE if touched else None
