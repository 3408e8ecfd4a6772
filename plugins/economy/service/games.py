"""/coinflip: bet wallet money on heads or tails."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import Q

from guildkit.core import clock

from ..errors import BetOutOfRange, BetTooHigh, GameCooldown, InvalidSide
from ..models import Account
from ..state import EconomyState
from .accounts import check_amount, existing_account_id, settings_for
from .ledger import Move, Receipt, commit, funds_failure

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

SIDES = ("heads", "tails")


@dataclass(frozen=True)
class FlipResult:
    receipt: Receipt
    landed: str
    won: bool
    bet: int


async def coinflip(
    runtime: Runtime, guild_id: int, user_id: int, bet: int, side: str, *, rng: random.Random | None = None
) -> FlipResult:
    """Bet on heads or tails: win the bet or lose it (only the wallet can be lost). The coin is
    ``rng`` (by default the bot's, ``EconomyState.rng``)."""
    settings = await settings_for(runtime, guild_id)
    side = side.strip().lower()
    if side not in SIDES:
        raise InvalidSide(side)
    low, high = sorted((settings.game_min_bet, settings.game_max_bet))
    if bet < low or bet > high:
        raise BetOutOfRange(bet, low, high)
    check_amount(bet, settings)
    acct_id = await existing_account_id(runtime, guild_id, user_id)  # None: opened with the bet
    now = clock.now()
    cooldown = timedelta(seconds=settings.game_cooldown_seconds)
    landed = (rng or runtime.state(EconomyState).rng).choice(SIDES)
    won = landed == side
    where = (Q(last_game_at__isnull=True) | Q(last_game_at__lte=now - cooldown)) & Q(wallet__gte=bet)

    async def failure(move: Move, current: Account | None) -> None:
        if current is not None and current.last_game_at is not None and current.last_game_at > now - cooldown:
            raise GameCooldown(current.last_game_at + cooldown)
        if current is not None and current.wallet < bet:
            raise BetTooHigh(bet, current.wallet)
        await funds_failure(settings)(move, current)

    move = Move(acct_id, user_id, wallet=bet if won else -bet, where=where, set={"last_game_at": now})
    [receipt] = await commit(
        runtime,
        guild_id,
        [move],
        kind="game",
        reason=f"coin flip: {side}, landed {landed}",
        actor_id=user_id,
        key=None,
        settings=settings,
        failure=failure,
    )
    return FlipResult(receipt, landed, won, bet)
