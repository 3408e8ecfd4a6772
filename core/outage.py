"""Database outages: a clear answer for the member, and a quiet log for the operator.

When the database cannot be reached every command fails the same way. The member is told so
(:data:`OUTAGE_MESSAGE`, ephemeral) instead of an error id, and the log gets one WARNING when the
outage starts, one line a minute with how many commands were refused, and one line when a probe
(``SELECT 1`` every few seconds) finds the database back — not a traceback per command.

:func:`is_database_outage` tells connection problems (refused, dropped, terminated, pool
exhausted or timed out, database not accepting connections, SQLite file unreachable or locked)
from errors in the query itself (constraint violations, bad SQL), which stay bugs with an id.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterator

from guildkit.core import clock

log = logging.getLogger("guildkit.database")

OUTAGE_MESSAGE = "The database is not reachable right now; nothing was changed. Try again in a minute."
#: How often the log says the outage goes on (seconds, by the guildkit clock).
REPORT_EVERY = 60.0
#: How often the probe asks the database whether it is back (seconds, real time).
PROBE_EVERY = 1.0
#: How long one probe may take before it counts as failed (seconds, real time).
PROBE_TIMEOUT = 3.0

#: SQLSTATE classes and codes that mean "cannot talk to the database", not "the query is wrong":
#: 08 connection exception, 53300 too many connections, 57P01-57P03 admin/crash shutdown and
#: cannot connect now, 55000 with "not currently accepting connections" (ALLOW_CONNECTIONS false).
_OUTAGE_SQLSTATES = ("08", "53300", "57P01", "57P02", "57P03")
_SQLITE_OUTAGE_WORDS = ("unable to open database", "disk i/o error", "database is locked", "readonly database")


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_database_outage(error: BaseException) -> bool:
    """Whether ``error`` (or what it wraps) means the database could not be reached."""
    from tortoise.exceptions import DBConnectionError

    from_database = False
    for link in _chain(error):
        module = type(link).__module__
        if isinstance(link, DBConnectionError):
            return True
        if module.startswith("asyncpg"):
            from_database = True
            import asyncpg

            if isinstance(
                link,
                (
                    asyncpg.InterfaceError,
                    asyncpg.exceptions.ConnectionDoesNotExistError,
                    asyncpg.exceptions.InternalClientError,
                ),
            ):
                # "connection is closed", pool closing, connection lost mid-query, or a pooled
                # connection left mid-operation when the server terminated it
                return True
            state = str(getattr(link, "sqlstate", "") or "")
            if state.startswith(_OUTAGE_SQLSTATES):
                return True
            if state == "55000" and "not currently accepting connections" in str(link):
                return True
        if isinstance(link, sqlite3.OperationalError) and any(w in str(link).lower() for w in _SQLITE_OUTAGE_WORDS):
            return True
        if module.startswith("tortoise"):
            from_database = True
        if isinstance(link, (ConnectionError, TimeoutError)) and (from_database or _wrapped_by_database(error)):
            return True  # refused or reset sockets, pool acquire timeouts under the ORM
        if isinstance(link, OSError) and getattr(link, "errno", None) is not None and from_database:
            return True
    return False


def _wrapped_by_database(error: BaseException) -> bool:
    return any(type(link).__module__.startswith(("tortoise", "asyncpg", "aiosqlite")) for link in _chain(error))


class OutageMonitor:
    """Counts commands refused during an outage and logs its start, progress and end."""

    def __init__(self, probe: Callable[[], Awaitable[object]], *, probe_every: float = PROBE_EVERY) -> None:
        self._probe = probe
        self.probe_every = probe_every
        self.started_at: float | None = None
        self.refused_total = 0
        self._refused_since_report = 0
        self._last_report = 0.0
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        return self.started_at is not None

    def record(self, error: BaseException, where: str, *, command: bool = True) -> None:
        """A command (``where``) was refused because of ``error``, an outage. Background work
        (``command=False``) starts the outage the same way but is not counted as a command."""
        now = clock.monotonic()
        if self.started_at is None:
            self.started_at = now
            self._last_report = now
            self.refused_total = self._refused_since_report = 0
            log.warning(
                "the database is not reachable (%s in %s: %s); commands that need it are refused until it is back",
                type(error).__name__,
                where,
                _first_line(error),
            )
            self._start_probe()
        if command:
            self.refused_total += 1
            self._refused_since_report += 1
        self._report_if_due(now)

    def _report_if_due(self, now: float) -> None:
        if self.started_at is not None and now - self._last_report >= REPORT_EVERY:
            log.warning(
                "the database is still not reachable after %.0f s: %d command(s) refused in the last %.0f s",
                now - self.started_at,
                self._refused_since_report,
                now - self._last_report,
            )
            self._last_report = now
            self._refused_since_report = 0

    def _start_probe(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._watch(), name="guildkit-database-probe")

    async def _watch(self) -> None:
        while self.started_at is not None:
            await asyncio.sleep(self.probe_every)
            self._report_if_due(clock.monotonic())
            try:
                async with asyncio.timeout(PROBE_TIMEOUT):  # a probe hanging on a dead socket
                    await self._probe()
            except Exception as error:  # still down, or down differently: keep probing
                log.debug("database probe failed: %s: %s", type(error).__name__, error)
                continue
            self.ended()

    def ended(self) -> None:
        """The database answers again: log the end with the outage's length and refusals."""
        if self.started_at is None:
            return
        lasted = clock.monotonic() - self.started_at
        log.warning(
            "the database is reachable again after %.0f s; %d command(s) were refused meanwhile",
            lasted,
            self.refused_total,
        )
        self.started_at = None

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__
