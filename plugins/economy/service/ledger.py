"""The ledger: every balance change is an entry committed with its conditional update.

:func:`commit` is one transaction that inserts the ledger entries and applies a conditional
``UPDATE ... SET wallet = wallet + d WHERE wallet >= -d`` (no read-modify-write), touching account
rows in id order so PostgreSQL cannot deadlock two transfers. A unique ``(guild_id,
idempotency_key)`` makes a retried operation return the first result.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError, OperationalError, TransactionManagementError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from guildkit.core import clock

from ..errors import AccountGone, InsufficientFunds, NothingChanged, OverMaximum, Pocket
from ..models import Account, LedgerEntry
from ..settings import EconomySettings
from ..state import EconomyState
from . import sqlite_batch
from .accounts import check_amount, existing_account_id, open_in, settings_for

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

#: Serialisation failures and deadlocks are retried this many times before giving up.
RETRIES = 5


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
    """One account's part of an operation. ``account_id`` None: the member has no account yet; it
    is opened inside the operation's transaction, so a refusal opens nothing."""

    account_id: int | None
    user_id: int | None
    wallet: int = 0
    bank: int = 0
    #: Extra conditions and updates applied in the same UPDATE (cooldowns, daily streak).
    where: Q | None = None
    set: dict[str, Any] | None = None
    counterparty_id: int | None = None


#: Awaited when a move's conditional update matched nothing: raises the reason.
Failure = Callable[[Move, Account | None], Awaitable[None]]


def is_retryable(error: BaseException) -> bool:
    text = str(error).lower()
    return "deadlock" in text or "could not serialize" in text or "database is locked" in text


async def with_retries(attempt_once: Callable[[], Awaitable[Any]]) -> Any:
    """Run a transaction again after a serialisation failure or deadlock, a few times."""
    for attempt in range(RETRIES):
        try:
            return await attempt_once()
        except (OperationalError, TransactionManagementError) as error:
            if not is_retryable(error) or attempt == RETRIES - 1:
                raise
            await asyncio.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")


async def commit(
    runtime: Runtime,
    guild_id: int,
    moves: Sequence[Move],
    *,
    kind: str,
    reason: str | None,
    actor_id: int | None,
    key: str | None,
    settings: EconomySettings,
    failure: Failure,
) -> list[Receipt]:
    """Apply ``moves`` and their ledger entries in one transaction, or nothing.

    ``failure(move, account)`` is awaited when a move's conditional update matches no row; it must
    raise an error saying why (the transaction is rolled back). Returns one receipt per move, in
    the order given; with a used ``key``, the receipts of the first run with ``duplicate=True``.
    """
    # No lookup of the key first: the unique index answers a duplicate, which is rare.
    key = key[:120] if key is not None else None

    todo = list(moves)

    sqlite = sqlite_batch.available(runtime)

    async def once() -> list[Receipt]:
        try:
            if sqlite and all(m.account_id is not None and m.where is None and not m.set for m in todo):
                return await _commit_sqlite(runtime, guild_id, todo, kind, reason, actor_id, key, settings, failure)
            return await _commit_once(
                runtime,
                guild_id,
                todo,
                kind=kind,
                reason=reason,
                actor_id=actor_id,
                key=key,
                settings=settings,
                failure=failure,
            )
        except IntegrityError:
            if key is not None and (first := await _receipts_for_key(guild_id, key)):
                return first  # the same operation committed concurrently
            if any(move.account_id is None for move in todo):
                # Another command opened one of the accounts first: use it and run again.
                for index, move in enumerate(todo):
                    if move.account_id is None and move.user_id is not None:
                        found = await existing_account_id(runtime, guild_id, move.user_id)
                        todo[index] = replace(move, account_id=found)
                if all(move.account_id is not None for move in todo):
                    return await once()
            raise

    return await with_retries(once)


async def _commit_once(
    runtime: Runtime,
    guild_id: int,
    moves: Sequence[Move],
    *,
    kind: str,
    reason: str | None,
    actor_id: int | None,
    key: str | None,
    settings: EconomySettings,
    failure: Failure,
) -> list[Receipt]:
    now = clock.now()
    max_balance = settings.max_balance
    receipts: dict[int, Receipt] = {}
    opened: list[Move] = []
    async with in_transaction(runtime.database.connection_name) as conn:
        moves = list(moves)
        for index, move in enumerate(moves):
            if move.account_id is None and move.user_id is not None:
                account = await open_in(conn, guild_id, move.user_id, settings)
                moves[index] = replace(move, account_id=account.id)
                opened.append(moves[index])
        postgres = runtime.database.dialect == "postgres"
        # Ledger first: a concurrent duplicate of the same key waits on the unique index here,
        # before it touches any account.
        entry_ids = await _insert_entries(conn, postgres, guild_id, moves, kind, reason, actor_id, key, now)
        after: dict[int, tuple[int, int]] = {}
        # Accounts in id order: two transfers between the same members lock them the same way.
        for index in _lock_order(moves):
            move = moves[index]
            if move.where is None and not move.set:
                row = await _apply_plain(conn, postgres, move, max_balance)
            else:
                row = await _apply_conditional(conn, move, max_balance)
            if row is None:
                await _explain_refusal(runtime, move, failure, conn)
                raise NothingChanged()
            assert move.account_id is not None
            after[move.account_id] = row
        for index, move in enumerate(moves):
            assert move.account_id is not None
            receipts[index] = _receipt(entry_ids[index], move, after[move.account_id], kind)
    cache = runtime.state(EconomyState).account_ids
    for move in opened:
        cache[(guild_id, move.user_id)] = move.account_id
    result = [receipts[i] for i in range(len(moves))]
    await _announce_all(runtime, guild_id, result, reason)
    return result


# -- the statements of a commit ---------------------------------------------------------------
# Written as SQL, built once per shape: a transfer is BEGIN, the ledger rows (one statement on
# PostgreSQL, two on SQLite), one conditional UPDATE ... RETURNING per account in id order, COMMIT.
# No read-back: RETURNING gives the balances the receipts report.

_LEDGER_COLUMNS = (
    "guild_id, account_id, wallet_delta, bank_delta, kind, reason, actor_id, counterparty_id, "
    "related_id, idempotency_key, at"
)


def _marks(postgres: bool, first: int, count: int) -> str:
    return ", ".join(f"${n}" if postgres else f"?{n}" for n in range(first, first + count))


def _at(now: datetime) -> Any:
    return LedgerEntry._meta.fields_map["at"].to_db_value(now, LedgerEntry)


def _note(reason: str | None) -> str | None:
    """The reason as a ledger entry keeps it: at most 200 characters, None when empty."""
    return reason[:200] if reason else None


def _insert_sql(postgres: bool) -> str:
    """One ledger row (the columns of ``_LEDGER_COLUMNS``), returning its id."""
    return f"INSERT INTO economy_ledger ({_LEDGER_COLUMNS}) VALUES ({_marks(postgres, 1, 11)}) RETURNING id"


def _ledger_row(
    guild_id: int,
    move: Move,
    kind: str,
    note: str | None,
    actor_id: int | None,
    related: int | None,
    key: str | None,
    at: Any,
) -> list[Any]:
    """The parameters of :func:`_insert_sql` for ``move``'s entry."""
    return [
        guild_id,
        move.account_id,
        move.wallet,
        move.bank,
        kind,
        note,
        actor_id,
        move.counterparty_id,
        related,
        key,
        at,
    ]


def _lock_order(moves: Sequence[Move]) -> list[int]:
    """The indexes of ``moves`` in account id order, the order their rows are updated (and locked)."""
    return sorted(range(len(moves)), key=lambda i: moves[i].account_id or 0)


async def _explain_refusal(
    runtime: Runtime, move: Move, failure: Failure, conn: BaseDBAsyncClient | None = None
) -> None:
    """A move's conditional update matched nothing: await ``failure`` with the account as it is
    now (read in ``conn``, the open transaction, if given), which raises why. An account that is
    gone empties the account id cache."""
    current = await Account.get_or_none(id=move.account_id).using_db(conn)
    if current is None:
        runtime.state(EconomyState).forget_accounts()
    await failure(move, current)


def _receipt(entry_id: int, move: Move, balances: tuple[int, int], kind: str) -> Receipt:
    """What a committed ``move`` did: its entry and the balances after it."""
    assert move.account_id is not None
    wallet, bank = balances
    return Receipt(entry_id, move.account_id, move.user_id, wallet, bank, move.wallet, move.bank, kind)


async def _announce_all(runtime: Runtime, guild_id: int, receipts: Sequence[Receipt], reason: str | None) -> None:
    """:func:`announce_change` for each receipt of a member (not of an account without one)."""
    for receipt in receipts:
        if receipt.user_id is not None:
            await announce_change(runtime, guild_id, receipt, reason)


async def _insert_entries(
    conn: BaseDBAsyncClient,
    postgres: bool,
    guild_id: int,
    moves: Sequence[Move],
    kind: str,
    reason: str | None,
    actor_id: int | None,
    key: str | None,
    now: datetime,
) -> list[int]:
    """Insert one ledger entry per move; the later ones point at the first (``related_id``)."""
    note = _note(reason)
    at = _at(now)
    first, rest = moves[0], moves[1:]
    if postgres and len(rest) == 1:
        # One statement: the second row takes the first one's id from the CTE.
        sql = (
            f"WITH first AS (INSERT INTO economy_ledger ({_LEDGER_COLUMNS}) VALUES ({_marks(True, 1, 11)}) "
            "RETURNING id) "
            f"INSERT INTO economy_ledger ({_LEDGER_COLUMNS}) SELECT $12::bigint, $13::bigint, $14::bigint, "
            "$15::bigint, $16::varchar, $17::varchar, $18::bigint, $19::bigint, first.id, NULL, $20::timestamptz "
            "FROM first RETURNING id, related_id"
        )
        second = rest[0]
        params = [
            *_ledger_row(guild_id, first, kind, note, actor_id, None, key, at),
            guild_id,
            second.account_id,
            second.wallet,
            second.bank,
            kind,
            note,
            actor_id,
            second.counterparty_id,
            at,
        ]
        [row] = await conn.execute_query_dict(sql, params)
        return [int(row["related_id"]), int(row["id"])]
    sql = _insert_sql(postgres)
    [row] = await conn.execute_query_dict(sql, _ledger_row(guild_id, first, kind, note, actor_id, None, key, at))
    ids = [int(row["id"])]
    for move in rest:
        [row] = await conn.execute_query_dict(sql, _ledger_row(guild_id, move, kind, note, actor_id, ids[0], None, at))
        ids.append(int(row["id"]))
    return ids


async def _apply_plain(conn: BaseDBAsyncClient, postgres: bool, move: Move, max_balance: int) -> tuple[int, int] | None:
    """``wallet += w, bank += b`` if the account can take it (no negative pocket, not over the
    maximum); the balances after, or None when the condition failed."""
    sql, params = _plain_update(postgres, move, max_balance)
    rows = await conn.execute_query_dict(sql, params)
    return (int(rows[0]["wallet"]), int(rows[0]["bank"])) if rows else None


def _plain_update(postgres: bool, move: Move, max_balance: int) -> tuple[str, list[Any]]:
    """The conditional ``UPDATE ... RETURNING wallet, bank`` of a plain move, and its parameters."""
    conditions = []
    params: list[Any] = [move.wallet, move.bank, move.account_id]

    def mark() -> str:
        return f"${len(params)}" if postgres else f"?{len(params)}"

    if move.wallet < 0:
        params.append(-move.wallet)
        conditions.append(f"wallet >= {mark()}")
    if move.bank < 0:
        params.append(-move.bank)
        conditions.append(f"bank >= {mark()}")
    if move.wallet + move.bank > 0:
        params.append(max_balance - move.wallet - move.bank)
        conditions.append(f"wallet + bank <= {mark()}")
    cast = "::bigint" if postgres else ""
    first = "$" if postgres else "?"
    sql = (
        f"UPDATE economy_account SET wallet = wallet + {first}1{cast}, bank = bank + {first}2{cast} "
        f"WHERE id = {first}3{''.join(' AND ' + c for c in conditions)} RETURNING wallet, bank"
    )
    return sql, params


async def _commit_sqlite(
    runtime: Runtime,
    guild_id: int,
    moves: Sequence[Move],
    kind: str,
    reason: str | None,
    actor_id: int | None,
    key: str | None,
    settings: EconomySettings,
    failure: Failure,
) -> list[Receipt]:
    """:func:`_commit_once` for plain moves of existing accounts on SQLite: the same statements,
    run BEGIN to COMMIT in one hand-over to SQLite's thread (``sqlite_batch``)."""
    note = _note(reason)
    at = _at(clock.now())
    insert = _insert_sql(False)
    updates = [(index, *_plain_update(False, moves[index], settings.max_balance)) for index in _lock_order(moves)]

    def work(db: sqlite3.Connection) -> tuple[list[int], dict[int, tuple[int, int]]]:
        # Ledger first, then the accounts in id order: the same order as _commit_once.
        [(first,)] = db.execute(insert, _ledger_row(guild_id, moves[0], kind, note, actor_id, None, key, at)).fetchall()
        ids = [int(first)]
        for move in moves[1:]:
            [(entry,)] = db.execute(
                insert, _ledger_row(guild_id, move, kind, note, actor_id, ids[0], None, at)
            ).fetchall()
            ids.append(int(entry))
        after: dict[int, tuple[int, int]] = {}
        for index, sql, params in updates:
            rows = db.execute(sql, params).fetchall()
            if not rows:
                raise sqlite_batch.ConditionFailed(index)
            after[index] = (int(rows[0][0]), int(rows[0][1]))
        return ids, after

    try:
        ids, after = await sqlite_batch.run(runtime, work)
    except sqlite_batch.ConditionFailed as failed:
        await _explain_refusal(runtime, moves[failed.index], failure)
        raise NothingChanged() from None
    result = [_receipt(ids[index], move, after[index], kind) for index, move in enumerate(moves)]
    await _announce_all(runtime, guild_id, result, reason)
    return result


async def _apply_conditional(conn: BaseDBAsyncClient, move: Move, max_balance: int) -> tuple[int, int] | None:
    """A move with extra conditions and columns (cooldowns, the daily streak), through the ORM."""
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
    if changes and not await query.using_db(conn).update(**changes):
        return None
    row = await Account.filter(id=move.account_id).using_db(conn).first().values_list("wallet", "bank")
    return (int(row[0]), int(row[1])) if row else None


async def announce_change(runtime: Runtime, guild_id: int, receipt: Receipt, reason: str | None) -> None:
    """Fire ``economy_balance_changed`` for a committed change."""
    await runtime.hooks.call(
        "economy_balance_changed",
        guild_id=guild_id,
        runtime=runtime,
        user_id=receipt.user_id,
        delta=receipt.delta,
        wallet=receipt.wallet,
        bank=receipt.bank,
        kind=receipt.kind,
        reason=reason,
    )


async def _receipts_for_key(guild_id: int, key: str) -> list[Receipt]:
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


def funds_failure(settings: EconomySettings, who: str | None = None, *, own: bool = True) -> Failure:
    """Why a move failed: not enough money, or over the maximum balance. ``who`` names the
    account's member when it is not the one asking; ``own=False`` for a payment's receiver."""

    async def failure(move: Move, current: Account | None) -> None:
        if current is None:
            raise AccountGone()
        if move.wallet < 0 and current.wallet < -move.wallet:
            raise InsufficientFunds(-move.wallet, current.wallet, "wallet", who)
        if move.bank < 0 and current.bank < -move.bank:
            raise InsufficientFunds(-move.bank, current.bank, "bank", who)
        if (
            move.wallet + move.bank > 0
            and current.wallet + current.bank + move.wallet + move.bank > settings.max_balance
        ):
            raise OverMaximum(settings.max_balance, own=own and who is None)

    return failure


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
    pocket: Pocket = "wallet",
    settings: EconomySettings | None = None,
    who: str | None = None,
) -> Receipt:
    """Add ``amount`` to the member's wallet (or bank)."""
    return await _adjust(runtime, guild_id, user_id, amount, amount, kind, reason, actor_id, key, pocket, settings, who)


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
    who: str | None = None,
) -> Receipt:
    """Take ``amount`` from the member's wallet (or bank); InsufficientFunds if it holds less."""
    return await _adjust(
        runtime, guild_id, user_id, amount, -amount, kind, reason, actor_id, key, pocket, settings, who
    )


async def _adjust(
    runtime: Runtime,
    guild_id: int,
    user_id: int,
    amount: int,
    delta: int,
    kind: str,
    reason: str | None,
    actor_id: int | None,
    key: str | None,
    pocket: Pocket,
    settings: EconomySettings | None,
    who: str | None,
) -> Receipt:
    """One member's balance changes by ``delta`` (``amount`` is checked against the limits)."""
    settings = settings or await settings_for(runtime, guild_id)
    check_amount(amount, settings)
    acct_id = await existing_account_id(runtime, guild_id, user_id)  # None: opened with the change
    move = Move(acct_id, user_id, wallet=delta) if pocket == "wallet" else Move(acct_id, user_id, bank=delta)
    [receipt] = await commit(
        runtime,
        guild_id,
        [move],
        kind=kind,
        reason=reason,
        actor_id=actor_id,
        key=key,
        settings=settings,
        failure=funds_failure(settings, who),
    )
    return receipt


class RaceLost(Exception):
    """Internal: a compared value changed between reading and the conditional update; read again."""
