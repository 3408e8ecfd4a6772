"""Money moving: member to member, and wallet to bank and back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import BotHasNoWallet, EmptyPocket, SelfPayment
from ..models import Account
from .accounts import check_amount, existing_account_id, parse_amount, peek, settings_for
from .ledger import Move, Receipt, commit, funds_failure

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime


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
        raise SelfPayment()
    if to_is_bot:
        raise BotHasNoWallet(paying=True)
    check_amount(amount, settings)
    # Accounts not opened yet are opened inside the transfer: a refused payment opens nothing.
    payer = await existing_account_id(runtime, guild_id, from_user)
    payee = await existing_account_id(runtime, guild_id, to_user)
    payee_failure = funds_failure(settings, own=False)
    payer_failure = funds_failure(settings)

    async def failure(move: Move, current: Account | None) -> None:
        await (payer_failure if move.user_id == from_user else payee_failure)(move, current)

    debit_receipt, credit_receipt = await commit(
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
        settings=settings,
        failure=failure,
    )
    return debit_receipt, credit_receipt


async def bank_move(runtime: Runtime, guild_id: int, user_id: int, amount: str | int, *, deposit: bool) -> Receipt:
    """Deposit (wallet to bank) or withdraw; ``amount`` as typed (``1,500``, ``2k``, ``all``, ``half``)."""
    settings = await settings_for(runtime, guild_id)
    relative = isinstance(amount, str) and amount.strip().lower() in ("all", "max", "everything", "half")
    if relative:  # "all" and "half" need the balance; without an account, the one it will open with
        acct = await peek(guild_id, user_id)
        wallet, bank = (acct.wallet, acct.bank) if acct is not None else (settings.starting_balance, 0)
        value = parse_amount(amount, wallet if deposit else bank)
        acct_id = acct.id if acct is not None else None
    else:
        value = parse_amount(amount)
        acct_id = await existing_account_id(runtime, guild_id, user_id)  # None: opened with the move
    if value <= 0 and relative:
        raise EmptyPocket("wallet" if deposit else "bank")
    check_amount(value, settings)
    move = (
        Move(acct_id, user_id, wallet=-value, bank=value)
        if deposit
        else Move(acct_id, user_id, wallet=value, bank=-value)
    )
    [receipt] = await commit(
        runtime,
        guild_id,
        [move],
        kind="deposit" if deposit else "withdraw",
        reason=None,
        actor_id=user_id,
        key=None,
        settings=settings,
        failure=funds_failure(settings),
    )
    return receipt
