"""Leveling domain logic: the XP buffer and its batched flusher, levels, quests, achievements,
admin XP changes, backups and recomputes. No Discord types here; what Discord must do (roles,
announcements) is handed back as events to ``effects.py``.

Write path: a message costs a dict update in memory (cooldown, multipliers, buffer). Every
``FLUSH_SECONDS`` (and at shutdown, and before any command reads XP) the buffer is swapped out and
written in one transaction of batched upserts (``xp = xp + excluded.xp``), so concurrent flushes
from several processes add up exactly. Levels are then derived from the durable totals, and a level
change is claimed with a conditional ``UPDATE ... WHERE level = old``: exactly one writer sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cachetools import TTLCache
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.errors import UserError
from guildkit.core.periodic import Periodic

from .curve import Curve
from .models import (
    COUNTERS,
    Achievement,
    EarnedAchievement,
    GlobalXp,
    GuildState,
    LevelRole,
    Member,
    Quest,
    QuestProgress,
    RankCard,
    RoleMultiplier,
    XpBackup,
)

log = logging.getLogger("guildkit.leveling")

#: Seconds between two flushes of the XP buffer: the most XP a hard crash can lose.
FLUSH_SECONDS = 2.0
#: Largest XP amount an admin can add, remove or set at once.
MAX_ADMIN_XP = 100_000_000
CACHE_SECONDS = 30.0


def _guild_cache() -> TTLCache[Any, Any]:
    # The core's kind of cache: bounded, and expiring on guildkit's clock so tests control it.
    return TTLCache(maxsize=10_000, ttl=CACHE_SECONDS, timer=clock.monotonic)


# Buffer slots
XP, MESSAGES, REACTIONS, VOICE, COMMANDS, CHANNEL = range(6)
COUNTER_SLOT = {
    "xp": XP,
    "messages": MESSAGES,
    "reactions": REACTIONS,
    "voice_seconds": VOICE,
    "commands_used": COMMANDS,
}


@dataclass
class LevelChange:
    guild_id: int
    user_id: int
    old_level: int
    new_level: int
    xp: int
    channel_id: int | None = None
    announce: bool = True


@dataclass
class Completion:
    guild_id: int
    user_id: int
    kind: str  # "quest" or "achievement"
    item_id: int
    name: str
    reward_xp: int
    channel_id: int | None = None


@dataclass
class FlushResult:
    awarded: list[tuple[int, int, int, int]] = field(default_factory=list)  # guild, user, amount, total
    levels: list[LevelChange] = field(default_factory=list)
    completions: list[Completion] = field(default_factory=list)

    def extend(self, other: FlushResult) -> None:
        self.awarded += other.awarded
        self.levels += other.levels
        self.completions += other.completions


SettingsGetter = Callable[[int], Awaitable[Any]]


def period_start(
    cycle: str, now: datetime, hour: int, weekday: int, created_at: datetime
) -> tuple[datetime, datetime | None]:
    """The current period of a quest cycle and when it expires (UTC, reset at ``hour``)."""
    if cycle == "once":
        return created_at.astimezone(UTC).replace(microsecond=0), None
    now = now.astimezone(UTC)
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    start = today if now >= today else today - timedelta(days=1)
    if cycle == "daily":
        return start, start + timedelta(days=1)
    if cycle == "weekly":
        start -= timedelta(days=(start.weekday() - weekday) % 7)
        return start, start + timedelta(days=7)
    # monthly: the first of the month at the reset hour
    first = now.replace(day=1, hour=hour, minute=0, second=0, microsecond=0)
    if now < first:
        first = (first - timedelta(days=1)).replace(day=1)
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt


class Engine:
    """One per running bot: the cooldown cache, the XP buffer and the flusher."""

    def __init__(self, settings: Callable[[int], Awaitable[Any]]) -> None:
        self._settings = settings
        #: Where message XP amounts come from; tests replace it with a seeded ``random.Random``.
        self.rng: random.Random = random.Random()
        self.buffer: dict[tuple[int, int], list[Any]] = {}
        self.last_award: dict[tuple[int, int], float] = {}
        self.boosts: dict[tuple[int, int], tuple[float, datetime]] = {}
        self._role_mults: TTLCache[int, dict[int, float]] = _guild_cache()
        self._quests: TTLCache[int, list[Quest]] = _guild_cache()
        self._achievements: TTLCache[int, list[Achievement]] = _guild_cache()
        self.lock = asyncio.Lock()
        self._flusher = Periodic(FLUSH_SECONDS, self.flush, name="leveling XP flush")
        self.on_result: Callable[[FlushResult], Awaitable[None]] | None = None
        #: Called with a guild id when its curve settings changed since levels were last computed.
        self.on_curve_change: Callable[[int], Awaitable[None]] | None = None
        self._curves: dict[int, str] = {}
        #: Messages seen since start (tests wait on it; the benchmark reads it).
        self.seen_messages = 0

    # -- hot path -------------------------------------------------------------------------------

    def _slot(self, key: tuple[int, int]) -> list[Any]:
        pending = self.buffer.get(key)
        if pending is None:
            pending = self.buffer[key] = [0, 0, 0, 0, 0, None]
        return pending

    def message(self, guild_id: int, user_id: int, channel_id: int, role_mult: float, settings: Any) -> int:
        """Count a message and award XP unless on cooldown; returns the XP awarded (0 if none)."""
        self.seen_messages += 1
        key = (guild_id, user_id)
        pending = self._slot(key)
        pending[MESSAGES] += 1
        pending[CHANNEL] = channel_id
        if not settings.xp_enabled:
            return 0
        now = clock.monotonic()
        last = self.last_award.get(key)
        if last is not None and now - last < settings.cooldown_seconds:
            return 0
        multiplier = settings.channel_multiplier * settings.server_multiplier * role_mult
        boost = self.boosts.get(key)
        if boost is not None:
            if boost[1] > clock.now():
                multiplier *= boost[0]
            else:
                del self.boosts[key]
        if multiplier <= 0:
            return 0
        self.last_award[key] = now
        low, high = settings.xp_min, settings.xp_max
        amount = round(self.rng.randint(min(low, high), max(low, high)) * multiplier)
        pending[XP] += amount
        return amount

    def count(self, guild_id: int, user_id: int, counter: str, amount: int = 1, xp: int = 0) -> None:
        pending = self._slot((guild_id, user_id))
        pending[COUNTER_SLOT[counter]] += amount
        pending[XP] += xp

    def add_xp(self, guild_id: int, user_id: int, amount: int, channel_id: int | None = None) -> None:
        pending = self._slot((guild_id, user_id))
        pending[XP] += amount
        if channel_id is not None:
            pending[CHANNEL] = channel_id

    async def role_multiplier(self, guild_id: int, role_ids: Iterable[Any]) -> float:
        """0 if any role is a no-XP role, else the highest multiplier among the member's roles (1 if none)."""
        mults = self._role_mults.get(guild_id)
        if mults is None:
            rows = await RoleMultiplier.filter(guild_id=guild_id).values_list("role_id", "multiplier")
            mults = self._role_mults[guild_id] = dict(rows)
        if not mults:
            return 1.0
        found = [mults[int(r)] for r in role_ids if int(r) in mults]
        if not found:
            return 1.0
        if min(found) <= 0:
            return 0.0
        return max(found)

    def invalidate(self, guild_id: int) -> None:
        self._role_mults.pop(guild_id, None)
        self._quests.pop(guild_id, None)
        self._achievements.pop(guild_id, None)

    # -- flushing -------------------------------------------------------------------------------

    def start(self) -> None:
        self._flusher.start()

    async def stop(self) -> None:
        # A failed periodic flush keeps its buffer; the last flush here writes it.
        await self._flusher.stop()

    async def flush(self) -> FlushResult:
        """Write everything buffered; rewards earned on the way are written too before returning."""
        total = FlushResult()
        async with self.lock:
            for _ in range(4):
                if not self.buffer:
                    break
                batch, self.buffer = self.buffer, {}
                try:
                    result = await self._write(batch)
                except BaseException:
                    for key, values in batch.items():  # put it back: nothing lost, nothing doubled
                        pending = self._slot(key)
                        for slot in range(CHANNEL):
                            pending[slot] += values[slot]
                        pending[CHANNEL] = pending[CHANNEL] or values[CHANNEL]
                    raise
                total.extend(result)
            self._prune()
        if self.on_result is not None and (total.levels or total.completions or total.awarded):
            try:
                await self.on_result(total)
            except Exception:
                log.exception("applying level changes after a flush failed")
        return total

    def _prune(self) -> None:
        if len(self.last_award) > 200_000:
            horizon = clock.monotonic() - 86_400
            self.last_award = {k: v for k, v in self.last_award.items() if v > horizon}

    async def _write(self, batch: dict[tuple[int, int], list[Any]]) -> FlushResult:
        conn = Member._meta.db
        postgres = conn.capabilities.dialect == "postgres"
        keys = sorted(batch)  # one order for every writer: no deadlocks on PostgreSQL
        member_rows = [(g, u, *batch[(g, u)][:CHANNEL]) for g, u in keys]
        by_user: dict[int, int] = {}
        for g, u in keys:
            if batch[(g, u)][XP]:
                by_user[u] = by_user.get(u, 0) + batch[(g, u)][XP]
        p = _placeholders(postgres)
        async with in_transaction() as tx:
            await tx.execute_many(
                "INSERT INTO leveling_member (guild_id, user_id, xp, messages, reactions, voice_seconds, "
                f"commands_used, level, boost) VALUES ({p(7)}, 0, 1.0) "
                "ON CONFLICT (guild_id, user_id) DO UPDATE SET xp = leveling_member.xp + excluded.xp, "
                "messages = leveling_member.messages + excluded.messages, "
                "reactions = leveling_member.reactions + excluded.reactions, "
                "voice_seconds = leveling_member.voice_seconds + excluded.voice_seconds, "
                "commands_used = leveling_member.commands_used + excluded.commands_used, left_at = NULL",
                member_rows,
            )
            if by_user:
                await tx.execute_many(
                    f"INSERT INTO leveling_global_xp (user_id, xp) VALUES ({p(2)}) "
                    "ON CONFLICT (user_id) DO UPDATE SET xp = leveling_global_xp.xp + excluded.xp",
                    sorted(by_user.items()),
                )
        result = FlushResult()
        guilds: dict[int, list[int]] = {}
        for g, u in keys:
            guilds.setdefault(g, []).append(u)
        for guild_id, users in guilds.items():
            await self._after_write(guild_id, users, batch, result)
        return result

    async def _after_write(
        self, guild_id: int, users: list[int], batch: dict[tuple[int, int], list[Any]], result: FlushResult
    ) -> None:
        settings = await self._settings(guild_id)
        curve = Curve.of(settings)
        await self._check_curve(guild_id, settings)
        rows: list[dict[str, Any]] = []
        for chunk in _chunks(users, 500):
            rows += await Member.filter(guild_id=guild_id, user_id__in=chunk).values(
                "user_id", "xp", "level", *COUNTERS[:-1]
            )
        quests = await self._active_quests(guild_id)
        achievements = await self._guild_achievements(guild_id)
        moves: list[tuple[int, int, int]] = []
        by_user: dict[int, dict[str, Any]] = {}
        for row in rows:
            user_id = row["user_id"]
            by_user[user_id] = row
            pending = batch[(guild_id, user_id)]
            if pending[XP]:
                result.awarded.append((guild_id, user_id, pending[XP], row["xp"]))
            new_level = curve.level(row["xp"])
            if new_level != row["level"]:
                moves.append((user_id, row["level"], new_level))
        for chunk in _chunks(moves, 300):
            for user_id in await self._claim_levels(guild_id, chunk):
                row = by_user[user_id]
                old = row["level"]
                new_level = curve.level(row["xp"])
                change = LevelChange(guild_id, user_id, old, new_level, row["xp"], batch[(guild_id, user_id)][CHANNEL])
                result.levels.append(change)
                row["level"] = new_level
        if quests:
            await self._progress_quests(guild_id, quests, users, batch, settings, result)
        if achievements:
            await self._check_achievements(guild_id, achievements, rows, batch, result)

    async def _check_curve(self, guild_id: int, settings: Any) -> None:
        """A changed curve recomputes the whole guild once (in the background), not member by member."""
        signature = curve_signature(settings)
        if self._curves.get(guild_id) == signature:
            return
        self._curves[guild_id] = signature
        state = await GuildState.get_or_none(guild_id=guild_id)
        if state is None:
            with contextlib.suppress(IntegrityError):  # another writer recorded it first
                await GuildState.create(guild_id=guild_id, curve=signature)
            return
        if state.curve != signature:
            updated = await GuildState.filter(guild_id=guild_id, curve=state.curve).update(curve=signature)
            if updated and self.on_curve_change is not None:
                await self.on_curve_change(guild_id)

    async def _claim_levels(self, guild_id: int, moves: list[tuple[int, int, int]]) -> list[int]:
        """Set new levels where the stored level is still the old one, in one statement; returns the
        members whose change this writer claimed (another process may have claimed the others)."""
        conn = Member._meta.db
        if conn.capabilities.dialect == "postgres":
            values = ", ".join(
                f"(${3 * i + 2}::bigint, ${3 * i + 3}::int, ${3 * i + 4}::int)" for i in range(len(moves))
            )
            sql = (
                f"UPDATE leveling_member AS m SET level = v.new FROM (VALUES {values}) AS v(user_id, old, new) "
                "WHERE m.guild_id = $1 AND m.user_id = v.user_id AND m.level = v.old "
                # Lock the rows in (guild_id, user_id) order first, like the upserts: no deadlocks.
                "AND m.id IN (SELECT id FROM leveling_member WHERE guild_id = $1 "
                f"AND user_id = ANY(${3 * len(moves) + 2}::bigint[]) ORDER BY user_id FOR UPDATE) "
                "RETURNING m.user_id"
            )
        else:
            values = ", ".join("(?, ?, ?)" for _ in moves)
            sql = (
                f"UPDATE leveling_member SET level = v.column3 FROM (VALUES {values}) AS v "
                "WHERE leveling_member.guild_id = ? AND leveling_member.user_id = v.column1 "
                "AND leveling_member.level = v.column2 RETURNING leveling_member.user_id"
            )
        params: list[int] = [x for move in moves for x in move]
        if conn.capabilities.dialect == "postgres":
            params = [guild_id, *params, sorted(user for user, _, _ in moves)]
        else:
            params = [*params, guild_id]
        rows = await conn.execute_query_dict(sql, params)
        return [int(r["user_id"]) for r in rows]

    async def _claim_level(self, guild_id: int, user_id: int, old: int, new: int, xp: int) -> LevelChange | None:
        updated = await Member.filter(guild_id=guild_id, user_id=user_id, level=old).update(level=new)
        if not updated:
            return None  # another writer claimed this change
        return LevelChange(guild_id, user_id, old, new, xp)

    # -- quests and achievements -----------------------------------------------------------------

    async def _active_quests(self, guild_id: int) -> list[Quest]:
        quests = self._quests.get(guild_id)
        if quests is None:
            quests = self._quests[guild_id] = await Quest.filter(guild_id=guild_id, active=True)
        return quests

    async def _guild_achievements(self, guild_id: int) -> list[Achievement]:
        achievements = self._achievements.get(guild_id)
        if achievements is None:
            achievements = self._achievements[guild_id] = await Achievement.filter(guild_id=guild_id)
        return achievements

    async def _progress_quests(
        self,
        guild_id: int,
        quests: list[Quest],
        users: list[int],
        batch: dict[tuple[int, int], list[Any]],
        settings: Any,
        result: FlushResult,
    ) -> None:
        now = clock.now()
        for quest in quests:
            slot = COUNTER_SLOT[quest.requirement]
            start, expires = period_start(
                quest.cycle, now, settings.quest_reset_hour, settings.quest_reset_weekday, quest.created_at
            )
            movers = [u for u in users if batch[(guild_id, u)][slot] > 0]
            if not movers:
                continue
            conn = QuestProgress._meta.db
            p = _placeholders(conn.capabilities.dialect == "postgres")
            await conn.execute_many(
                "INSERT INTO leveling_quest_progress (guild_id, user_id, quest_id, period_start, expires_at, progress) "
                f"VALUES ({p(6)}) ON CONFLICT (quest_id, user_id, period_start) "
                "DO UPDATE SET progress = leveling_quest_progress.progress + excluded.progress",
                [(guild_id, u, quest.id, start, expires, batch[(guild_id, u)][slot]) for u in movers],
            )
            done = await QuestProgress.filter(
                quest_id=quest.id,
                period_start=start,
                user_id__in=movers,
                completed_at=None,
                progress__gte=quest.requirement_value,
            ).values_list("id", "user_id")
            for progress_id, user_id in done:
                claimed = await QuestProgress.filter(id=progress_id, completed_at=None).update(completed_at=now)
                if not claimed:
                    continue
                if quest.reward_xp:
                    self.add_xp(guild_id, user_id, quest.reward_xp)
                if quest.reward_multiplier != 1.0 and quest.multiplier_minutes > 0:
                    until = now + timedelta(minutes=quest.multiplier_minutes)
                    await Member.filter(guild_id=guild_id, user_id=user_id).update(
                        boost=quest.reward_multiplier, boost_until=until
                    )
                    self.boosts[(guild_id, user_id)] = (quest.reward_multiplier, until)
                result.completions.append(
                    Completion(
                        guild_id,
                        user_id,
                        "quest",
                        quest.id,
                        quest.name,
                        quest.reward_xp,
                        batch[(guild_id, user_id)][CHANNEL],
                    )
                )

    async def _check_achievements(
        self,
        guild_id: int,
        achievements: list[Achievement],
        rows: list[dict[str, Any]],
        batch: dict[tuple[int, int], list[Any]],
        result: FlushResult,
    ) -> None:
        candidates: list[tuple[dict[str, Any], Achievement]] = []
        for row in rows:
            for achievement in achievements:
                if row.get(achievement.requirement, 0) >= achievement.requirement_value:
                    candidates.append((row, achievement))
        if not candidates:
            return
        users = list({row["user_id"] for row, _ in candidates})
        earned: set[tuple[int, int]] = set()
        for chunk in _chunks(users, 500):
            earned |= set(
                await EarnedAchievement.filter(guild_id=guild_id, user_id__in=chunk).values_list(
                    "user_id", "achievement_id"
                )
            )
        now = clock.now()
        for row, achievement in candidates:
            user_id = row["user_id"]
            if (user_id, achievement.id) in earned:
                continue
            try:
                await EarnedAchievement.create(
                    guild_id=guild_id, user_id=user_id, achievement_id=achievement.id, earned_at=now
                )
            except IntegrityError:
                continue  # earned concurrently elsewhere: once only
            if achievement.reward_xp:
                self.add_xp(guild_id, user_id, achievement.reward_xp)
            result.completions.append(
                Completion(
                    guild_id,
                    user_id,
                    "achievement",
                    achievement.id,
                    achievement.name,
                    achievement.reward_xp,
                    batch[(guild_id, user_id)][CHANNEL],
                )
            )

    async def load_boosts(self) -> None:
        rows = await Member.filter(boost_until__gt=clock.now()).values_list(
            "guild_id", "user_id", "boost", "boost_until"
        )
        self.boosts = {(g, u): (b, until) for g, u, b, until in rows}

    # -- admin changes ----------------------------------------------------------------------------

    async def set_xp(self, guild_id: int, user_id: int, compute: Callable[[int], int]) -> tuple[int, int]:
        """Set a member's XP to ``compute(current)`` exactly (after flushing); returns (old, new)."""
        await self.flush()
        async with self.lock, in_transaction():
            row, _ = await Member.get_or_create(guild_id=guild_id, user_id=user_id)
            old = row.xp
            new = max(0, min(MAX_ADMIN_XP * 10, compute(old)))
            await Member.filter(id=row.id).update(xp=new, left_at=None)
            if new != old:
                updated = await GlobalXp.filter(user_id=user_id).update(xp=_expr_add(new - old))
                if not updated:
                    await GlobalXp.create(user_id=user_id, xp=max(0, new - old))
        result = FlushResult()
        settings = await self._settings(guild_id)
        level = Curve.of(settings).level(new)
        if level != row.level:
            change = await self._claim_level(guild_id, user_id, row.level, level, new)
            if change is not None:
                result.levels.append(change)
        if new > old:
            result.awarded.append((guild_id, user_id, new - old, new))
        if self.on_result is not None:
            await self.on_result(result)
        return old, new


def curve_signature(settings: Any) -> str:
    return f"{settings.curve}:{settings.curve_base}:{settings.curve_multiplier}:{settings.max_level}"


def _expr_add(delta: int) -> Any:
    from tortoise.expressions import F

    return F("xp") + delta


def _placeholders(postgres: bool) -> Callable[[int], str]:
    if postgres:
        return lambda n: ", ".join(f"${i}" for i in range(1, n + 1))
    return lambda n: ", ".join("?" * n)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


# -- reads ------------------------------------------------------------------------------------------


async def member_row(guild_id: int, user_id: int) -> Member | None:
    return await Member.get_or_none(guild_id=guild_id, user_id=user_id)


async def rank_of(guild_id: int, xp: int) -> int:
    return await Member.filter(guild_id=guild_id, xp__gt=xp, left_at=None).count() + 1


#: (guild, by) -> members ranked: the page count may lag by CACHE_SECONDS.
_ranked_counts: TTLCache[tuple[int, str], int] = _guild_cache()
LEADERBOARD_KEYS = ("xp", "messages", "reactions", "voice_seconds", "commands_used")
PAGE_SIZE = 10


async def leaderboard(guild_id: int, by: str, page: int) -> tuple[list[tuple[int, int]], int]:
    if by not in LEADERBOARD_KEYS:
        raise UserError(f"Rank by one of: {', '.join(LEADERBOARD_KEYS)}.")
    query = Member.filter(guild_id=guild_id, left_at=None, **{f"{by}__gt": 0})
    total = _ranked_counts.get((guild_id, by))
    if total is None:
        total = _ranked_counts[(guild_id, by)] = await query.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = max(0, min(page, pages - 1))
    rows = (
        await query.order_by(f"-{by}", "user_id").offset(page * PAGE_SIZE).limit(PAGE_SIZE).values_list("user_id", by)
    )
    return list(rows), pages


async def global_xp(user_id: int) -> int:
    row = await GlobalXp.get_or_none(user_id=user_id)
    return row.xp if row else 0


# -- level roles ----------------------------------------------------------------------------------


async def level_roles(guild_id: int) -> list[LevelRole]:
    return await LevelRole.filter(guild_id=guild_id).order_by("level", "role_id")


def roles_for_level(roles: list[LevelRole], level: int) -> tuple[set[int], set[int]]:
    """(roles the member should have, managed roles they should not have) at ``level``.

    Stacked roles stay once earned; a replace role is kept only until a higher level role is earned.
    """
    earned = [r for r in roles if r.level <= level]
    top = max((r.level for r in earned), default=None)
    want = {r.role_id for r in earned if r.stacked or r.level == top}
    managed = {r.role_id for r in roles}
    return want, managed - want


async def set_level_role(guild_id: int, role_id: int, level: int, stacked: bool) -> None:
    if level < 1 or level > 10_000:
        raise UserError("The level must be between 1 and 10000.")
    row = await LevelRole.get_or_none(guild_id=guild_id, role_id=role_id)
    if row:
        row.level, row.stacked = level, stacked
        await row.save()
    else:
        await LevelRole.create(guild_id=guild_id, role_id=role_id, level=level, stacked=stacked)


async def remove_level_role(guild_id: int, role_id: int) -> None:
    if not await LevelRole.filter(guild_id=guild_id, role_id=role_id).delete():
        raise UserError("That role is not a level role here. See `/levelrole list`.")


async def set_role_multiplier(guild_id: int, role_id: int, multiplier: float) -> None:
    if not 0 <= multiplier <= 100:
        raise UserError("The multiplier must be between 0 (no XP) and 100.")
    if multiplier == 1.0:
        await RoleMultiplier.filter(guild_id=guild_id, role_id=role_id).delete()
        return
    row = await RoleMultiplier.get_or_none(guild_id=guild_id, role_id=role_id)
    if row:
        row.multiplier = multiplier
        await row.save()
    else:
        await RoleMultiplier.create(guild_id=guild_id, role_id=role_id, multiplier=multiplier)


# -- recompute, reset, backup, restore ------------------------------------------------------------


async def recompute_levels(guild_id: int, curve: Curve, *, dry_run: bool) -> list[LevelChange]:
    """Levels of every member of the guild under ``curve``; with dry_run nothing is written."""
    changes: list[LevelChange] = []
    last_id = 0
    while True:
        rows = await (
            Member.filter(guild_id=guild_id, id__gt=last_id)
            .order_by("id")
            .limit(1000)
            .values_list("id", "user_id", "xp", "level")
        )
        if not rows:
            return changes
        last_id = rows[-1][0]
        for _, user_id, xp, level in rows:
            new = curve.level(xp)
            if new == level:
                continue
            if dry_run or await Member.filter(guild_id=guild_id, user_id=user_id, level=level).update(level=new):
                changes.append(LevelChange(guild_id, user_id, level, new, xp, announce=False))
        await asyncio.sleep(0)


async def reset_guild(guild_id: int) -> tuple[int, int]:
    """Back up every member's XP, then set it to 0; returns (backup id, members reset)."""
    rows = await Member.filter(guild_id=guild_id, xp__gt=0).values_list("user_id", "xp", "level")
    async with in_transaction():
        backup = await XpBackup.create(guild_id=guild_id, created_at=clock.now(), data=json.dumps(rows))
        # Levels follow in the recompute job, which fires leveling_level_changed and fixes roles.
        await Member.filter(guild_id=guild_id).update(xp=0)
    return backup.id, len(rows)


async def restore_guild(guild_id: int) -> tuple[int, datetime]:
    backup = await XpBackup.filter(guild_id=guild_id).order_by("-id").first()
    if backup is None:
        raise UserError("There is no XP backup for this server. One is written by `/xp reset-all`.")
    rows = json.loads(backup.data)
    async with in_transaction():
        for user_id, xp, _level in rows:
            updated = await Member.filter(guild_id=guild_id, user_id=user_id).update(xp=xp)
            if not updated:
                await Member.create(guild_id=guild_id, user_id=user_id, xp=xp)
        await backup.delete()
    return len(rows), backup.created_at


# -- quests and achievements (definitions) --------------------------------------------------------

CYCLES = ("daily", "weekly", "monthly", "once")


async def create_quest(guild_id: int, **values: Any) -> Quest:
    if values["cycle"] not in CYCLES:
        raise UserError(f"The cycle must be one of: {', '.join(CYCLES)}.")
    if values["requirement"] not in COUNTERS:
        raise UserError(f"The requirement must be one of: {', '.join(COUNTERS)}.")
    if not 1 <= values["requirement_value"] <= 1_000_000_000:
        raise UserError("The required amount must be between 1 and 1000000000.")
    if not 0 <= values["reward_xp"] <= 1_000_000:
        raise UserError("The XP reward must be between 0 and 1000000.")
    if not 1 <= values["reward_multiplier"] <= 10:
        raise UserError("The reward multiplier must be between 1 and 10.")
    if not 0 <= values["multiplier_minutes"] <= 10_080:
        raise UserError("The multiplier lasts between 0 and 10080 minutes.")
    if await Quest.filter(guild_id=guild_id, active=True).count() >= 25:
        raise UserError("A server can have at most 25 active quests; remove one first.")
    return await Quest.create(guild_id=guild_id, created_at=clock.now(), **values)


async def remove_quest(guild_id: int, quest_id: int) -> str:
    quest = await Quest.get_or_none(guild_id=guild_id, id=quest_id, active=True)
    if quest is None:
        raise UserError("There is no such quest here. See `/quests`.")
    quest.active = False
    await quest.save()
    return quest.name


async def quests_for(guild_id: int, user_id: int, settings: Any) -> list[tuple[Quest, int, bool]]:
    now = clock.now()
    out = []
    for quest in await Quest.filter(guild_id=guild_id, active=True).order_by("id"):
        start, _ = period_start(
            quest.cycle, now, settings.quest_reset_hour, settings.quest_reset_weekday, quest.created_at
        )
        row = await QuestProgress.get_or_none(quest_id=quest.id, user_id=user_id, period_start=start)
        out.append((quest, row.progress if row else 0, bool(row and row.completed_at)))
    return out


ACHIEVEMENT_REQUIREMENTS = (*COUNTERS, "level")


async def create_achievement(
    guild_id: int, name: str, requirement: str, value: int, reward_xp: int, description: str
) -> Achievement:
    if requirement not in ACHIEVEMENT_REQUIREMENTS:
        raise UserError(f"The requirement must be one of: {', '.join(ACHIEVEMENT_REQUIREMENTS)}.")
    if not 1 <= value <= 1_000_000_000:
        raise UserError("The required amount must be between 1 and 1000000000.")
    if not 0 <= reward_xp <= 1_000_000:
        raise UserError("The XP reward must be between 0 and 1000000.")
    return await Achievement.create(
        guild_id=guild_id,
        name=name[:100],
        requirement=requirement,
        requirement_value=value,
        reward_xp=reward_xp,
        description=description[:300],
        created_at=clock.now(),
    )


async def remove_achievement(guild_id: int, achievement_id: int) -> str:
    achievement = await Achievement.get_or_none(guild_id=guild_id, id=achievement_id)
    if achievement is None:
        raise UserError("There is no such achievement here. See `/achievements`.")
    await EarnedAchievement.filter(achievement_id=achievement_id).delete()
    await achievement.delete()
    return achievement.name


async def achievements_for(guild_id: int, user_id: int) -> list[tuple[Achievement, datetime | None]]:
    earned = dict(
        await EarnedAchievement.filter(guild_id=guild_id, user_id=user_id).values_list("achievement_id", "earned_at")
    )
    return [(a, earned.get(a.id)) for a in await Achievement.filter(guild_id=guild_id).order_by("id")]


# -- rank cards -------------------------------------------------------------------------------------

CARD_FIELDS = ("primary_color", "secondary_color", "text_color", "background_color")


def parse_color(value: str) -> str:
    text = value.strip().lower()
    if not text.startswith("#"):
        text = "#" + text
    if len(text) != 7 or any(c not in "0123456789abcdef" for c in text[1:]):
        raise UserError(f"`{value}` is not a colour; use hex like `#5865f2`.")
    return text


async def card_for(guild_id: int, user_id: int) -> RankCard:
    return await RankCard.get_or_none(guild_id=guild_id, user_id=user_id) or RankCard(
        guild_id=guild_id, user_id=user_id
    )


async def set_card(guild_id: int, user_id: int, colors: dict[str, str]) -> RankCard:
    values = {k: parse_color(v) for k, v in colors.items() if v}
    card, _ = await RankCard.get_or_create(guild_id=guild_id, user_id=user_id)
    for key, value in values.items():
        setattr(card, key, value)
    await card.save()
    return card


# -- membership, privacy ------------------------------------------------------------------------------


async def member_left(guild_id: int, user_id: int) -> None:
    await Member.filter(guild_id=guild_id, user_id=user_id).update(left_at=clock.now())


async def member_back(guild_id: int, user_id: int) -> Member | None:
    await Member.filter(guild_id=guild_id, user_id=user_id).update(left_at=None)
    return await Member.get_or_none(guild_id=guild_id, user_id=user_id)


async def export_user(user_id: int) -> dict[str, Any] | None:
    members = await Member.filter(user_id=user_id).values(
        "guild_id", "xp", "level", "messages", "reactions", "voice_seconds", "commands_used", "left_at"
    )
    data = {
        "members": members,
        "global_xp": await global_xp(user_id),
        "quest_progress": await QuestProgress.filter(user_id=user_id).values(
            "guild_id", "quest_id", "period_start", "progress", "completed_at"
        ),
        "achievements": await EarnedAchievement.filter(user_id=user_id).values(
            "guild_id", "achievement_id", "earned_at"
        ),
        "rank_cards": await RankCard.filter(user_id=user_id).values("guild_id", *CARD_FIELDS),
    }
    if not members and not data["global_xp"] and not data["rank_cards"]:
        return None
    return data


async def delete_user(user_id: int) -> None:
    await Member.filter(user_id=user_id).delete()
    await GlobalXp.filter(user_id=user_id).delete()
    await QuestProgress.filter(user_id=user_id).delete()
    await EarnedAchievement.filter(user_id=user_id).delete()
    await RankCard.filter(user_id=user_id).delete()
    for backup in await XpBackup.all():
        rows = json.loads(backup.data)
        kept = [row for row in rows if row[0] != user_id]
        if len(kept) != len(rows):
            backup.data = json.dumps(kept)
            await backup.save()
