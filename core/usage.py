"""Command usage statistics: counted per command, guild and UTC hour in memory, and added to the
database's hourly rows every few seconds, so recording costs the command one dict update."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from tortoise.functions import Sum

from guildkit.core import clock
from guildkit.core.errors import report_unexpected
from guildkit.core.models import CommandUsageHour
from guildkit.core.outage import is_database_outage
from guildkit.core.periodic import Periodic
from guildkit.core.upsert import SQLITE_ROWS_PER_STATEMENT, upsert_many

log = logging.getLogger("guildkit.usage")

#: At most this many (hour, guild, command) counters are kept in memory while the database is
#: unreachable; past that the oldest hours are dropped first.
KEPT_DURING_OUTAGE = 50_000
#: Counters per statement: one statement per batch keeps a batch all-or-nothing, so a failed one
#: can be merged back without counting anything twice.
ROWS_PER_BATCH = SQLITE_ROWS_PER_STATEMENT

#: (hour, guild_id or 0, command): the hourly row's unique key.
UsageKey = tuple[datetime, int, str]


class UsageTally:
    """One hourly row's counts not written yet."""

    __slots__ = ("failures", "latency_ms_max", "latency_ms_total", "plugin", "uses")

    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        self.uses = 0
        self.failures = 0
        self.latency_ms_total = 0
        self.latency_ms_max = 0

    def merge(self, other: UsageTally) -> None:
        self.uses += other.uses
        self.failures += other.failures
        self.latency_ms_total += other.latency_ms_total
        self.latency_ms_max = max(self.latency_ms_max, other.latency_ms_max)


class UsageRecorder:
    """Counts commands per (UTC hour, guild, command) in memory and adds the counts to the hourly
    rows every few seconds, when many counters are waiting, and at shutdown."""

    def __init__(self, *, flush_seconds: float = 5.0, max_buffer: int = 500) -> None:
        self.flush_seconds = flush_seconds
        #: Counters (not commands) waiting before a flush starts early.
        self.max_buffer = max_buffer
        self._tallies: dict[UsageKey, UsageTally] = {}
        # The current hour, and the epoch seconds it covers: a datetime is built once an hour,
        # not once per command.
        self._hour = datetime.fromtimestamp(0, UTC)
        self._hour_starts = 0.0
        self._hour_ends = 0.0
        self._periodic = Periodic(flush_seconds, self.flush, name="guildkit-usage")
        self._flushing: asyncio.Task[int] | None = None
        #: Called with (guild_id, user_id, plugin) for each command that succeeded, in the
        #: recording call itself (no task): plugins that count commands (leveling's quests) count
        #: what the usage records count, and a refused command nowhere. Keep them a dict update.
        self.succeeded_listeners: list[Callable[[int | None, int, str], None]] = []

    def record(
        self, *, command: str, plugin: str, guild_id: int | None, user_id: int, latency_ms: float, success: bool
    ) -> None:
        """Count one use. ``user_id`` goes to the listeners only: statistics need no user, so none
        is stored (data minimisation: nothing to export or delete per member)."""
        now = clock.timestamp()
        if not self._hour_starts <= now < self._hour_ends:  # a new hour (or the clock was set back)
            self._hour_starts = now - now % 3600
            self._hour_ends = self._hour_starts + 3600
            self._hour = datetime.fromtimestamp(self._hour_starts, UTC)
        key = (self._hour, guild_id or 0, command[:100])
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = UsageTally(plugin)
            if len(self._tallies) >= self.max_buffer and (self._flushing is None or self._flushing.done()):
                self._flushing = asyncio.create_task(self.flush(), name="guildkit-usage-flush")
        latency = int(latency_ms)
        tally.uses += 1
        tally.latency_ms_total += latency
        if latency > tally.latency_ms_max:
            tally.latency_ms_max = latency
        if success:
            for listener in self.succeeded_listeners:
                try:
                    listener(guild_id, user_id, plugin)
                except Exception as error:  # statistics must never break commands
                    report_unexpected(error, "a command usage listener")
        else:
            tally.failures += 1

    async def flush(self) -> int:
        """Add every waiting counter to its hourly row; returns the commands written."""
        tallies, self._tallies = self._tallies, {}
        # Sorted by the unique key: concurrent writers (other processes) lock rows in one order,
        # so they wait for each other instead of deadlocking.
        items = sorted(tallies.items(), key=lambda item: (item[0][1], item[0][0], item[0][2]))
        written = 0
        for start in range(0, len(items), ROWS_PER_BATCH):
            batch = items[start : start + ROWS_PER_BATCH]
            try:
                await _add_to_hourly_rows(batch)
            except Exception as error:  # statistics must never break commands
                if is_database_outage(error):
                    self._keep(items[start:])
                    log.debug("command usage kept in memory while the database is unreachable: %s", error)
                    return written
                report_unexpected(error, "writing command usage")  # this batch is lost, not the others
                continue
            written += sum(tally.uses for _, tally in batch)
        return written

    def _keep(self, items: list[tuple[UsageKey, UsageTally]]) -> None:
        """Merge counters that could not be written into those counted since (bounded)."""
        for key, tally in items:
            kept = self._tallies.get(key)
            if kept is None:
                self._tallies[key] = tally
            else:
                kept.merge(tally)
        excess = len(self._tallies) - KEPT_DURING_OUTAGE
        if excess > 0:
            oldest = sorted(self._tallies, key=lambda key: key[0])[:excess]
            lost = sum(self._tallies.pop(key).uses for key in oldest)
            log.warning("database unreachable: %d command use(s) of the oldest hours were not kept", lost)

    def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        if self._flushing is not None:
            await asyncio.gather(self._flushing, return_exceptions=True)
        await self._periodic.stop()


_COLUMNS = ("hour", "guild_id", "command", "plugin", "uses", "failures", "latency_ms_total", "latency_ms_max")


async def _add_to_hourly_rows(batch: list[tuple[UsageKey, UsageTally]]) -> None:
    # Values go as they are: ``hour`` is an aware UTC datetime, all the field's to_db_value checks.
    rows = [
        (hour, guild_id, command, t.plugin, t.uses, t.failures, t.latency_ms_total, t.latency_ms_max)
        for (hour, guild_id, command), t in batch
    ]
    await upsert_many(
        CommandUsageHour,
        _COLUMNS,
        rows,
        conflict=("hour", "guild_id", "command"),
        add=("uses", "failures", "latency_ms_total"),
        largest=("latency_ms_max",),
    )


async def command_stats(guild_id: int, since: datetime) -> list[dict[str, object]]:
    """Per command in a guild from the hour ``since`` falls in: uses, failures and average
    latency, most used first."""
    first_hour = since.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    totals = (
        await CommandUsageHour.filter(guild_id=guild_id, hour__gte=first_hour)
        .annotate(total_uses=Sum("uses"), total_failures=Sum("failures"), total_ms=Sum("latency_ms_total"))
        .group_by("command")
        .values_list("command", "total_uses", "total_failures", "total_ms")
    )
    # PostgreSQL sums integers as numeric (Decimal): back to numbers.
    counted = sorted(
        ((int(uses), command, int(fails), int(ms)) for command, uses, fails, ms in totals if uses),
        key=lambda row: (-row[0], row[1]),
    )
    return [
        {"command": command, "uses": uses, "fails": fails, "avg_ms": ms / uses} for uses, command, fails, ms in counted
    ]
