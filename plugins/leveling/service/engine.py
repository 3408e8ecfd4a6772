"""The XP engine: the in-memory buffer a message writes to, and the flusher that writes it.

Write path: a message costs a dict update in memory (cooldown, multipliers, buffer). Every
``FLUSH_SECONDS`` (and at shutdown, and before any command reads XP) the buffer is swapped out and
written in one transaction of batched upserts (``xp = xp + excluded.xp``), so concurrent flushes
from several processes add up exactly. Levels are then derived from the durable totals, and a level
change is claimed with a conditional ``UPDATE ... WHERE level = old``: exactly one writer sees it.

One Engine belongs to one running bot; ``LevelingState`` owns it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.caching import TTLMap
from guildkit.core.periodic import Periodic
from guildkit.core.upsert import insert_many, upsert

from ..curve import Curve
from ..models import Achievement, GlobalXp, GuildState, Member, Quest, RoleMultiplier
from . import progress
from .records import CHANNEL, COMMANDS, COUNTER_SLOT, LAST_AWARD, MESSAGES, XP, FlushResult, LevelChange
from .sql import add_to_xp, chunks, claim_levels, member_levels, member_totals

log = logging.getLogger("guildkit.leveling")

#: :meth:`Engine.rules`: (XP on, cooldown, channel times server multiplier, lowest XP, amounts, bits).
MessageRules = tuple[bool, float, float, int, int, int]

#: Seconds between two flushes of the XP buffer: the most XP a hard crash can lose.
FLUSH_SECONDS = 2.0
#: Largest XP amount an admin can add, remove or set at once.
MAX_ADMIN_XP = 100_000_000
#: How long per-guild configuration (role multipliers, quests, achievements) is cached.
CACHE_SECONDS = 30.0


def guild_cache() -> TTLMap[Any, Any]:
    """The core's kind of cache: bounded, and expiring on guildkit's clock so tests control it.
    The core's TTLMap, not cachetools' TTLCache: the role multipliers are read for every message,
    and a TTLCache lookup costs several times a dict lookup (core/caching.py)."""
    return TTLMap(maxsize=10_000, ttl=CACHE_SECONDS)


def curve_signature(settings: Any) -> str:
    """The curve settings in one string: a change of any of them recomputes the guild."""
    return f"{settings.curve}:{settings.curve_base}:{settings.curve_multiplier}:{settings.max_level}"


@dataclass(frozen=True)
class XpChange:
    """An admin's change of one member's XP: before, after, and the level after."""

    old: int
    new: int
    level: int


class Engine:
    """One per running bot: the cooldown cache, the XP buffer and the flusher."""

    def __init__(self, settings: Callable[[int], Awaitable[Any]]) -> None:
        self._settings = settings
        self.buffer: dict[tuple[int, int], list[Any]] = {}
        self.last_award: dict[tuple[int, int], float] = {}
        self.boosts: dict[tuple[int, int], tuple[float, datetime]] = {}
        self._role_mults: TTLMap[int, dict[int, float]] = guild_cache()
        self._quests: TTLMap[int, list[Quest]] = guild_cache()
        self._achievements: TTLMap[int, list[Achievement]] = guild_cache()
        self.lock = asyncio.Lock()
        #: Where message XP amounts come from; tests replace it with a seeded ``random.Random``.
        self.rng: random.Random = random.Random()
        self._flusher = Periodic(FLUSH_SECONDS, self.flush_periodic, name="leveling XP flush")
        self.on_result: Callable[[FlushResult], Awaitable[None]] | None = None
        #: Called inside the transaction that claims level changes (one guild's), to store what
        #: must follow them (roles, announcements) as durable jobs that commit with the change.
        self.on_levels_claimed: Callable[[int, list[LevelChange], BaseDBAsyncClient], Awaitable[None]] | None = None
        #: Whether leveling is on in a guild (commands are counted only there).
        self.is_enabled: Callable[[int], Awaitable[bool]] | None = None
        #: (guild, member) -> commands that succeeded, not yet in the buffer. They are written with
        #: the member's next activity, a command that reads them, or at shutdown: never on their
        #: own by the periodic flush, so a quiet server's statistics do not change in the background.
        self.commands: dict[tuple[int, int], int] = {}
        #: Called with a guild id when its curve settings changed since levels were last computed.
        self.on_curve_change: Callable[[int], Awaitable[None]] | None = None
        #: Called after a transaction that stored level_effects jobs commits (the scheduler's wake).
        self.on_jobs_committed: Callable[[], None] | None = None
        #: guild -> curve signature this engine last computed levels with.
        self._curve_seen: dict[int, str] = {}
        #: Messages seen since start (tests wait on it; the benchmark reads it).
        self.seen_messages = 0
        #: Whether anyone listens to ``FlushResult.awarded`` (the leveling_xp_awarded hook); None:
        #: always filled. Without listeners a flush of 1,000 members builds no tuple per member.
        self.reports_awarded: Callable[[], bool] | None = None

    # -- hot path -------------------------------------------------------------------------------

    def _slot(self, key: tuple[int, int]) -> list[Any]:
        pending = self.buffer.get(key)
        if pending is None:
            pending = self.buffer[key] = [0, 0, 0, 0, 0, None, self.last_award.get(key)]
        return pending

    @staticmethod
    def rules(settings: Any) -> MessageRules:
        """What :meth:`message` reads from the leveling settings of a channel, read once:
        (XP on, cooldown seconds, channel times server multiplier, lowest XP, how many amounts, bits
        to draw one). The listener keeps them in its per-channel plan."""
        low, high = settings.xp_min, settings.xp_max
        if low > high:
            low, high = high, low
        span = high - low + 1
        return (
            bool(settings.xp_enabled),
            settings.cooldown_seconds,
            settings.channel_multiplier * settings.server_multiplier,
            low,
            span,
            span.bit_length(),
        )

    def message(
        self,
        guild_id: int,
        user_id: int,
        channel_id: int,
        role_mult: float,
        rules: MessageRules,
        now: float | None = None,
    ) -> int:
        """Count a message and award XP unless on cooldown; returns the XP awarded (0 if none).
        ``rules``: :meth:`rules` of the channel's settings; ``now``: ``clock.monotonic()`` when
        the caller has just read it."""
        self.seen_messages += 1
        key = (guild_id, user_id)
        pending = self.buffer.get(key)  # _slot, inlined: this runs for every message
        if pending is None:
            pending = self.buffer[key] = [0, 0, 0, 0, 0, None, self.last_award.get(key)]
        pending[MESSAGES] += 1
        pending[CHANNEL] = channel_id
        xp_enabled, cooldown, multiplier, low, span, bits = rules
        if not xp_enabled:
            return 0
        if now is None:
            now = clock.monotonic()
        last = pending[LAST_AWARD]
        if last is not None and now - last < cooldown:
            return 0
        multiplier *= role_mult
        if self.boosts:  # most bots have none running: no lookup
            boost = self.boosts.get(key)
            if boost is not None:
                if boost[1] > clock.now():
                    multiplier *= boost[0]
                else:
                    del self.boosts[key]
        if multiplier <= 0:
            return 0
        pending[LAST_AWARD] = now
        # What rng.randint(low, high) draws, and the same numbers (randrange's rejection sampling
        # on getrandbits), without its two Python calls on every message.
        getrandbits = self.rng.getrandbits
        drawn = getrandbits(bits)
        while drawn >= span:
            drawn = getrandbits(bits)
        amount = low + drawn
        if multiplier != 1.0:
            amount = round(amount * multiplier)
        pending[XP] += amount
        return amount

    def command_succeeded(self, guild_id: int, user_id: int) -> None:
        """Count a command that succeeded (the core's usage path calls it; refused ones never)."""
        key = (guild_id, user_id)
        self.commands[key] = self.commands.get(key, 0) + 1

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
        return multiplier_of(mults, role_ids)

    def cached_role_multipliers(self, guild_id: int) -> dict[int, float] | None:
        """The guild's role multipliers (role id -> multiplier; 0 means no XP) if cached now, else
        None. Most guilds have none: an empty dict, and a member's roles need not be read."""
        return self._role_mults.get(guild_id)

    def invalidate(self, guild_id: int) -> None:
        self._role_mults.pop(guild_id, None)
        self._quests.pop(guild_id, None)
        self._achievements.pop(guild_id, None)

    # -- flushing -------------------------------------------------------------------------------

    def start(self) -> None:
        self._flusher.start()

    async def stop(self) -> None:
        # A failed periodic flush keeps its buffer; the last flush (everything) runs after it.
        await self._flusher.stop()
        await self.flush()

    async def flush(self) -> FlushResult:
        """Write everything buffered, counted commands included (shutdown, privacy, tests)."""
        return await self._flush(None, with_commands=True)

    async def flush_periodic(self) -> FlushResult:
        """The flusher's run: what members did; counted commands only of members who did more."""
        return await self._flush(None, with_commands=False)

    async def flush_member(self, guild_id: int, user_id: int) -> FlushResult:
        """Write one member's buffer before a command reads their numbers (no other member's)."""
        key = (guild_id, user_id)
        return await self._flush(lambda k: k == key, with_commands=True)

    async def flush_guild(self, guild_id: int) -> FlushResult:
        """Write one guild's buffer before a command reads or rewrites the whole guild."""
        return await self._flush(lambda k: k[0] == guild_id, with_commands=True)

    async def _drop_disabled_commands(self) -> None:
        """Forget commands counted in guilds where leveling is off (they were used, not earned)."""
        if self.is_enabled is None or not self.commands:
            return
        for guild_id in {g for g, _ in self.commands}:
            if not await self.is_enabled(guild_id):
                for key in [k for k in self.commands if k[0] == guild_id]:
                    del self.commands[key]

    def _take(self, select: Callable[[tuple[int, int]], bool] | None, with_commands: bool) -> dict[Any, list[Any]]:
        """Swap the selected part of the buffer out, counted commands folded in."""
        if self.commands:
            for key in [
                k for k in self.commands if (select is None or select(k)) and (with_commands or k in self.buffer)
            ]:
                self._slot(key)[COMMANDS] += self.commands.pop(key)
        if select is None:
            batch, self.buffer = self.buffer, {}
        else:
            batch = {key: self.buffer.pop(key) for key in [k for k in self.buffer if select(k)]}
        last_award = self.last_award
        for key, pending in batch.items():  # the cooldown outlives the slot
            if pending[LAST_AWARD] is not None:
                last_award[key] = pending[LAST_AWARD]
        return batch

    async def _flush(self, select: Callable[[tuple[int, int]], bool] | None, *, with_commands: bool) -> FlushResult:
        """Write the selected buffer; rewards earned on the way are written too before returning."""
        total = FlushResult()
        async with self.lock:
            await self._drop_disabled_commands()
            for _ in range(4):
                batch = self._take(select, with_commands)
                if not batch:
                    break
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
        """Add the batch to the stored totals and claim the levels they reach, in one transaction.

        XP and the level it gives commit together, so nothing ever reads new XP under an old
        level: a recompute running meanwhile would claim that level-up itself, and its claims
        announce nothing. A failure rolls everything back, so the batch can be put back whole."""
        member_rows: list[tuple[Any, ...]] = []
        by_user: dict[int, int] = {}
        guilds: dict[int, list[int]] = {}
        for key in sorted(batch):  # one order for every writer: no deadlocks on PostgreSQL
            g, u = key
            pending = batch[key]
            member_rows.append((g, u, *pending[:CHANNEL]))
            if pending[XP]:
                by_user[u] = by_user.get(u, 0) + pending[XP]
            users = guilds.get(g)
            if users is None:
                users = guilds[g] = []
            users.append(u)
        curves: dict[int, tuple[Any, Curve]] = {}
        for guild_id in guilds:
            settings = await self._settings(guild_id)
            await self._check_curve(guild_id, settings)
            curves[guild_id] = (settings, Curve.of(settings))
        result = FlushResult()
        async with in_transaction() as tx:
            await insert_many(
                tx,
                "INSERT INTO leveling_member (guild_id, user_id, xp, messages, reactions, voice_seconds, "
                "commands_used, level, boost)",
                7,
                "ON CONFLICT (guild_id, user_id) DO UPDATE SET xp = leveling_member.xp + excluded.xp, "
                "messages = leveling_member.messages + excluded.messages, "
                "reactions = leveling_member.reactions + excluded.reactions, "
                "voice_seconds = leveling_member.voice_seconds + excluded.voice_seconds, "
                "commands_used = leveling_member.commands_used + excluded.commands_used, left_at = NULL",
                member_rows,
                constants=", 0, 1.0",
            )
            await insert_many(
                tx,
                "INSERT INTO leveling_global_xp (user_id, xp)",
                2,
                "ON CONFLICT (user_id) DO UPDATE SET xp = leveling_global_xp.xp + excluded.xp",
                sorted(by_user.items()),
            )
            for guild_id, users in guilds.items():
                await self._claim_levels(guild_id, users, batch, curves[guild_id][1], tx, result)
        if result.levels:
            self.jobs_committed()
        for guild_id, users in guilds.items():
            await self._progress(guild_id, users, batch, curves[guild_id][0], result)
        return result

    async def _claim_levels(
        self,
        guild_id: int,
        users: list[int],
        batch: dict[tuple[int, int], list[Any]],
        curve: Curve,
        tx: BaseDBAsyncClient,
        result: FlushResult,
    ) -> None:
        """Inside the write's transaction: claim the level changes of ``users`` and store the job
        delivering their roles and announcements (``on_levels_claimed``)."""
        user_ids: list[int] = []
        xps: list[int] = []
        levels: list[int] = []
        for chunk in chunks(users, 500):
            ids, xp, level = await member_levels(tx, guild_id, chunk)
            user_ids += ids
            xps += xp
            levels += level
        report_awarded = self.reports_awarded is None or self.reports_awarded()
        moves: list[tuple[int, int, int]] = []
        by_user: dict[int, int] = {}  # user -> row
        for row, (user_id, xp, level) in enumerate(zip(user_ids, xps, levels, strict=True)):
            by_user[user_id] = row
            if report_awarded:
                pending = batch[(guild_id, user_id)]
                if pending[XP]:
                    result.awarded.append((guild_id, user_id, pending[XP], xp))
            new_level = curve.level(xp)
            if new_level != level:
                moves.append((user_id, level, new_level))
        for chunk in chunks(moves, 300):
            changes = []
            for user_id in await claim_levels(guild_id, chunk, tx):
                row = by_user[user_id]
                xp = xps[row]
                new_level = curve.level(xp)
                channel_id = batch[(guild_id, user_id)][CHANNEL]
                changes.append(LevelChange(guild_id, user_id, levels[row], new_level, xp, channel_id))
                levels[row] = new_level
            if changes and self.on_levels_claimed is not None:
                await self.on_levels_claimed(guild_id, changes, tx)
            result.levels += changes

    async def _progress(
        self,
        guild_id: int,
        users: list[int],
        batch: dict[tuple[int, int], list[Any]],
        settings: Any,
        result: FlushResult,
    ) -> None:
        """Quests and achievements the written batch completed (after the commit)."""
        quests = await self.active_quests(guild_id)
        if quests:
            await progress.progress_quests(self, guild_id, quests, users, batch, settings, result)
        achievements = await self.guild_achievements(guild_id)
        if achievements:
            rows: list[dict[str, Any]] = []
            async with in_transaction() as conn:  # the totals as committed (or newer: only ever higher)
                for chunk in chunks(users, 500):
                    rows += await member_totals(conn, guild_id, chunk)
            await progress.check_achievements(self, guild_id, achievements, rows, batch, result)

    def jobs_committed(self) -> None:
        if self.on_jobs_committed is not None:
            self.on_jobs_committed()

    async def _check_curve(self, guild_id: int, settings: Any) -> None:
        """A changed curve recomputes the whole guild once (in the background), not member by member."""
        signature = curve_signature(settings)
        if self._curve_seen.get(guild_id) == signature:
            return
        self._curve_seen[guild_id] = signature
        state = await GuildState.get_or_none(guild_id=guild_id)
        if state is None:
            # The first curve seen; another writer may record it at the same moment: keep theirs.
            await upsert(
                GuildState, conflict=("guild_id",), values={"guild_id": guild_id, "curve": signature}, update=[]
            )
            return
        if state.curve != signature:
            updated = await GuildState.filter(guild_id=guild_id, curve=state.curve).update(curve=signature)
            if updated and self.on_curve_change is not None:
                await self.on_curve_change(guild_id)

    async def record_curve(self, guild_id: int, signature: str) -> None:
        """Store ``signature`` as the curve the guild's levels are computed with (after a recompute),
        so the next flush does not schedule another one."""
        await upsert(GuildState, conflict=("guild_id",), values={"guild_id": guild_id, "curve": signature})
        self._curve_seen[guild_id] = signature

    async def active_quests(self, guild_id: int) -> list[Quest]:
        quests = self._quests.get(guild_id)
        if quests is None:
            quests = self._quests[guild_id] = await Quest.filter(guild_id=guild_id, active=True)
        return quests

    async def guild_achievements(self, guild_id: int) -> list[Achievement]:
        achievements = self._achievements.get(guild_id)
        if achievements is None:
            achievements = self._achievements[guild_id] = await Achievement.filter(guild_id=guild_id)
        return achievements

    def forget_user(self, user_id: int) -> None:
        """Drop everything buffered or cached about a user (after a privacy deletion)."""
        for key in [k for k in self.buffer if k[1] == user_id]:
            del self.buffer[key]
        for key in [k for k in self.commands if k[1] == user_id]:
            del self.commands[key]
        for key in [k for k in self.last_award if k[1] == user_id]:
            del self.last_award[key]
        for key in [k for k in self.boosts if k[1] == user_id]:
            del self.boosts[key]

    async def load_boosts(self) -> None:
        rows = await Member.filter(boost_until__gt=clock.now()).values_list(
            "guild_id", "user_id", "boost", "boost_until"
        )
        self.boosts = {(g, u): (b, until) for g, u, b, until in rows}

    # -- admin changes ----------------------------------------------------------------------------

    async def set_xp(self, guild_id: int, user_id: int, compute: Callable[[int], int]) -> XpChange:
        """Set a member's XP to ``compute(current)`` exactly (after flushing what they earned)."""
        await self.flush_member(guild_id, user_id)
        curve = Curve.of(await self._settings(guild_id))
        result = FlushResult()
        async with self.lock, in_transaction() as tx:
            row, _ = await Member.get_or_create(guild_id=guild_id, user_id=user_id, using_db=tx)
            old = row.xp
            new = max(0, min(MAX_ADMIN_XP * 10, compute(old)))
            level = curve.level(new)
            # The XP and its level commit together (see _write), with the job that delivers it.
            await Member.filter(id=row.id).using_db(tx).update(xp=new, level=level, left_at=None)
            if new > old:
                await upsert(
                    GlobalXp,
                    conflict=("user_id",),
                    values={"user_id": user_id},
                    increment={"xp": new - old},
                    connection=tx,
                )
            elif new < old:
                await GlobalXp.filter(user_id=user_id).using_db(tx).update(xp=add_to_xp(new - old))
            if level != row.level:
                change = LevelChange(guild_id, user_id, row.level, level, new)
                if self.on_levels_claimed is not None:
                    await self.on_levels_claimed(guild_id, [change], tx)
                result.levels.append(change)
        if result.levels:
            self.jobs_committed()
        if new > old:
            result.awarded.append((guild_id, user_id, new - old, new))
        if self.on_result is not None:
            await self.on_result(result)
        return XpChange(old, new, level)


def multiplier_of(mults: dict[int, float], role_ids: Iterable[Any]) -> float:
    """0 if any role is a no-XP role, else the highest multiplier among the roles (1 if none)."""
    if not mults:
        return 1.0
    found = [mults[int(r)] for r in role_ids if int(r) in mults]
    if not found:
        return 1.0
    if min(found) <= 0:
        return 0.0
    return max(found)
