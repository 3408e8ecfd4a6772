"""Server managers' tools: setting a wallet, role bonuses, a member's ledger, the audit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tortoise.expressions import Q
from tortoise.functions import Sum

from guildkit.core.pagination import clamp_page, page_count
from guildkit.core.upsert import upsert

from ..errors import AlreadyHolds, BonusOutOfRange, Contended, NegativeBalance, OverMaximum
from ..limits import BONUS_PERCENT_MAX
from ..models import Account, LedgerDaily, LedgerEntry, RoleBonus
from .accounts import open_account, peek, settings_for
from .ledger import RETRIES, Move, RaceLost, Receipt, commit

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

#: Ledger entries per page of /transactions and /eco history.
HISTORY_PAGE_SIZE = 10


async def set_wallet(
    runtime: Runtime, guild_id: int, user_id: int, amount: int, *, reason: str | None, actor_id: int | None
) -> Receipt:
    """Set the wallet to ``amount`` (a ledger entry of the difference)."""
    settings = await settings_for(runtime, guild_id)
    if amount < 0:
        raise NegativeBalance(amount)
    acct = await open_account(runtime, guild_id, user_id, settings)
    if amount + acct.bank > settings.max_balance:
        raise OverMaximum(settings.max_balance, own=False)
    for _ in range(RETRIES):
        current = await Account.get(id=acct.id)
        delta = amount - current.wallet
        if delta == 0:
            raise AlreadyHolds(amount)

        async def changed(move: Move, now: Account | None) -> None:
            raise RaceLost

        try:
            [receipt] = await commit(
                runtime,
                guild_id,
                [Move(acct.id, user_id, wallet=delta, where=Q(wallet=current.wallet))],
                kind="admin",
                reason=reason,
                actor_id=actor_id,
                key=None,
                settings=settings,
                failure=changed,
            )
            return receipt
        except RaceLost:
            continue
    raise Contended()


# -- role bonuses -----------------------------------------------------------------------------------

MAX_BONUS_PERCENT = BONUS_PERCENT_MAX


@dataclass(frozen=True)
class Bonus:
    role_id: int
    percent: int


async def set_role_bonus(guild_id: int, role_id: int, percent: int) -> None:
    """Set a role's bonus on /work and /daily in percent; 0 removes it."""
    if percent < 0 or percent > MAX_BONUS_PERCENT:
        raise BonusOutOfRange(percent, 0, MAX_BONUS_PERCENT)
    if percent == 0:
        await RoleBonus.filter(guild_id=guild_id, role_id=role_id).delete()
        return
    await upsert(
        RoleBonus,
        conflict=("guild_id", "role_id"),
        values={"guild_id": guild_id, "role_id": role_id, "percent": percent},
    )


async def role_bonuses(guild_id: int) -> list[Bonus]:
    rows = await RoleBonus.filter(guild_id=guild_id).order_by("-percent").values_list("role_id", "percent")
    return [Bonus(role_id, percent) for role_id, percent in rows]


# -- reading the ledger -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One ledger entry as a member or manager reads it."""

    id: int
    at: datetime
    kind: str
    wallet_delta: int
    bank_delta: int
    reason: str | None
    actor_id: int | None
    counterparty_id: int | None


@dataclass(frozen=True)
class HistoryPage:
    entries: list[Entry]
    page: int
    pages: int


async def history(guild_id: int, user_id: int, page: int, size: int = HISTORY_PAGE_SIZE) -> HistoryPage:
    """One page (1-based, clamped) of the member's ledger entries, newest first."""
    acct = await peek(guild_id, user_id)
    if acct is None:
        return HistoryPage([], 1, 1)
    query = LedgerEntry.filter(account_id=acct.id)
    pages = page_count(await query.count(), size)
    page = clamp_page(page, pages)
    rows = await query.order_by("-id").offset((page - 1) * size).limit(size)
    entries = [
        Entry(r.id, r.at, r.kind, r.wallet_delta, r.bank_delta, r.reason, r.actor_id, r.counterparty_id) for r in rows
    ]
    return HistoryPage(entries, page, pages)


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
