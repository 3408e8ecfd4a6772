"""Earning: /daily on the member's calendar day with streaks, /work with a cooldown, role bonuses
on both, and coins for leveling's level-ups."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from guildkit.core import clock

from ..errors import DailyAlreadyClaimed, EconomyError, WorkCooldown, WorkPaysNothing
from ..models import Account, ClaimMarker, RoleBonus
from ..state import EconomyState
from .accounts import existing_account_id, open_account, settings_for
from .ledger import RETRIES, Move, RaceLost, Receipt, commit, credit, funds_failure

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime


async def role_bonus_percent(guild_id: int, role_ids: Sequence[int]) -> int:
    """The largest bonus among the member's roles (bonuses do not stack)."""
    if not role_ids:
        return 0
    bonuses = await RoleBonus.filter(guild_id=guild_id, role_id__in=list(role_ids)).values_list("percent", flat=True)
    return max(bonuses, default=0)


def with_bonus(amount: int, percent: int) -> int:
    return amount + amount * percent // 100


def next_midnight(today: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)


@dataclass(frozen=True)
class DailyResult:
    receipt: Receipt
    amount: int
    streak: int
    bonus_percent: int
    next_at: datetime


async def claim_daily(runtime: Runtime, guild_id: int, user_id: int, role_ids: Sequence[int] = ()) -> DailyResult:
    """Pay /daily once per calendar day in the member's timezone, with a streak and grace days."""
    settings = await settings_for(runtime, guild_id)
    tz = await runtime.users.timezone(user_id)
    today = clock.now().astimezone(tz).date()
    if await existing_account_id(runtime, guild_id, user_id) is None:
        # Refused before an account opens: a member who deleted their data and claimed today
        # would otherwise get an (empty) account from a refusal.
        marker = await ClaimMarker.get_or_none(guild_id=guild_id, user_id=user_id)
        if marker is not None and marker.last_daily is not None and marker.last_daily >= today:
            raise DailyAlreadyClaimed(next_midnight(today, tz), tz.key)
    acct = await open_account(runtime, guild_id, user_id, settings)
    percent = await role_bonus_percent(guild_id, role_ids)
    for _ in range(RETRIES):
        current = await Account.get(id=acct.id)
        last = current.last_daily
        if last is not None and last >= today:
            raise DailyAlreadyClaimed(next_midnight(today, tz), tz.key)
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
                raise RaceLost
            await funds_failure(settings)(move, now)

        try:
            [receipt] = await commit(
                runtime,
                guild_id,
                [move],
                kind="daily",
                reason=f"daily, streak {streak}",
                actor_id=user_id,
                key=f"daily:{acct.id}:{today.isoformat()}",
                settings=settings,
                failure=failure,
            )
        except RaceLost:
            continue
        if receipt.duplicate:
            continue  # claimed concurrently: the next round reports "already claimed"
        return DailyResult(receipt, amount, streak, percent, next_midnight(today, tz))
    raise DailyAlreadyClaimed(next_midnight(today, tz), tz.key)


@dataclass(frozen=True)
class WorkResult:
    receipt: Receipt
    amount: int
    bonus_percent: int
    next_at: datetime


async def work(runtime: Runtime, guild_id: int, user_id: int, role_ids: Sequence[int] = ()) -> WorkResult:
    """Pay a random amount between work_min and work_max (plus the role bonus), then a cooldown."""
    settings = await settings_for(runtime, guild_id)
    acct_id = await existing_account_id(runtime, guild_id, user_id)  # None: opened with the pay
    now = clock.now()
    cooldown = timedelta(minutes=settings.work_cooldown_minutes)
    percent = await role_bonus_percent(guild_id, role_ids)
    low, high = sorted((settings.work_min, settings.work_max))
    amount = with_bonus(runtime.state(EconomyState).rng.randint(low, high), percent)
    if amount <= 0:
        raise WorkPaysNothing()
    where = Q(last_work_at__isnull=True) | Q(last_work_at__lte=now - cooldown)

    async def failure(move: Move, current: Account | None) -> None:
        if current is not None and current.last_work_at is not None and current.last_work_at > now - cooldown:
            raise WorkCooldown(current.last_work_at + cooldown)
        await funds_failure(settings)(move, current)

    [receipt] = await commit(
        runtime,
        guild_id,
        [Move(acct_id, user_id, wallet=amount, where=where, set={"last_work_at": now})],
        kind="work",
        reason="work",
        actor_id=user_id,
        key=None,
        settings=settings,
        failure=failure,
    )
    return WorkResult(receipt, amount, percent, now + cooldown)


async def reward_level_up(runtime: Runtime, guild_id: int, user_id: int, old_level: int, new_level: int) -> int:
    """Pay ``coins_per_level_up`` per level gained; returns the coins paid by this call.

    One ledger entry per level, each with its own idempotency key: a repeated or overlapping call
    (1->3, then 2->3 after a demotion) never pays a level twice."""
    settings = await settings_for(runtime, guild_id)
    if settings.coins_per_level_up <= 0 or new_level <= old_level:
        return 0
    paid = 0
    for level in range(max(old_level, 0) + 1, new_level + 1):
        with contextlib.suppress(EconomyError):  # at the maximum balance: no reward, nothing written
            receipt = await credit(
                runtime,
                guild_id,
                user_id,
                settings.coins_per_level_up,
                kind="levelup",
                reason=f"reached level {level}",
                key=f"levelup:{guild_id}:{user_id}:{level}",
                settings=settings,
            )
            if not receipt.duplicate:
                paid += receipt.wallet_delta
    return paid
