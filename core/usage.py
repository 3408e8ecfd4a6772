"""Command usage statistics, written in batches so recording costs the command nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from tortoise.functions import Avg, Count

from guildkit.core import clock
from guildkit.core.errors import report_unexpected
from guildkit.core.models import CommandUsage
from guildkit.core.outage import is_database_outage
from guildkit.core.periodic import Periodic
from guildkit.core.upsert import insert_many

log = logging.getLogger("guildkit.usage")

#: At most this many usage rows are kept in memory while the database is unreachable.
KEPT_DURING_OUTAGE = 50_000


class UsageRecorder:
    """Buffers one row per command and writes them with one bulk insert every few seconds,
    when the buffer fills, and at shutdown."""

    def __init__(self, *, flush_seconds: float = 5.0, max_buffer: int = 500) -> None:
        self.flush_seconds = flush_seconds
        self.max_buffer = max_buffer
        # Plain tuples: building a model per command would cost more than the rest of recording.
        self._buffer: list[tuple[str, str, int | None, int, datetime, int, bool]] = []
        self._periodic = Periodic(flush_seconds, self.flush, name="guildkit-usage")
        self._flushing: asyncio.Task[None] | None = None
        #: Called with (guild_id, user_id, plugin) for each command that succeeded, in the
        #: recording call itself (no task): plugins that count commands (leveling's quests) count
        #: what the usage records count, and a refused command nowhere. Keep them a dict update.
        self.succeeded_listeners: list[Callable[[int | None, int, str], None]] = []

    def record(
        self, *, command: str, plugin: str, guild_id: int | None, user_id: int, latency_ms: float, success: bool
    ) -> None:
        self._buffer.append((command[:100], plugin, guild_id, user_id, clock.now(), int(latency_ms), success))
        if success:
            for listener in self.succeeded_listeners:
                try:
                    listener(guild_id, user_id, plugin)
                except Exception as error:  # statistics must never break commands
                    report_unexpected(error, "a command usage listener")
        if len(self._buffer) >= self.max_buffer and (self._flushing is None or self._flushing.done()):
            self._flushing = asyncio.create_task(self.flush(), name="guildkit-usage-flush")

    async def flush(self) -> int:
        rows, self._buffer = self._buffer, []
        if not rows:
            return 0
        try:
            await _insert_many(rows)
        except Exception as error:  # statistics must never break commands
            if is_database_outage(error):
                # Kept for the next flush (bounded): an outage must not lose the statistics.
                self._buffer = (rows + self._buffer)[-KEPT_DURING_OUTAGE:]
                log.debug("command usage kept in memory while the database is unreachable: %s", error)
                return 0
            report_unexpected(error, "writing command usage")
            return 0
        return len(rows)

    def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        if self._flushing is not None:
            await asyncio.gather(self._flushing, return_exceptions=True)
        await self._periodic.stop()


async def command_stats(guild_id: int, since: datetime) -> list[dict[str, object]]:
    """Per command in a guild since ``since``: uses, failures and average latency, most used first."""
    base = CommandUsage.filter(guild_id=guild_id, at__gte=since)
    totals = (
        await base.annotate(uses=Count("id"), avg_ms=Avg("latency_ms"))
        .group_by("command")
        .values("command", "uses", "avg_ms")
    )
    failures = dict(
        await base.filter(success=False).annotate(fails=Count("id")).group_by("command").values_list("command", "fails")
    )
    stats = [{**row, "fails": failures.get(row["command"], 0)} for row in totals]
    return sorted(stats, key=lambda row: (-int(row["uses"]), str(row["command"])))


_COLUMNS = ("command", "plugin", "guild_id", "user_id", "at", "latency_ms", "success")


async def _insert_many(rows: list[tuple[str, str, int | None, int, datetime, int, bool]]) -> None:
    # A few statements for the whole batch (core.upsert.insert_many); a model per row would cost more.
    # The rows go as they are: ``at`` is clock.now(), aware and in UTC, which is all the field's
    # to_db_value would check (and return unchanged), once per command.
    conn = CommandUsage._meta.db
    columns = ", ".join(f'"{name}"' for name in _COLUMNS)
    await insert_many(conn, f'INSERT INTO "{CommandUsage._meta.db_table}" ({columns})', len(_COLUMNS), "", rows)
