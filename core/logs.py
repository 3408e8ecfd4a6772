"""Logging set up from bot.toml: text for people, JSON lines for log collectors."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from guildkit.core.config import LoggingSection

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(section: LoggingSection) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if section.format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(section.level)
    for name, level in section.levels.items():
        logging.getLogger(name).setLevel(level)


class _ExpectedLibraryNotices(logging.Filter):
    """Drops interactions.py warnings that guildkit's own design triggers on every start."""

    EXPECTED = ("As `delete_unused_application_cmds` is enabled",)

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.EXPECTED)


class _PoolReconnectWithoutTraceback(logging.Filter):
    """asyncpg's pool logs a traceback each time it fails to reconnect during a database outage;
    guildkit's outage monitor already says the database is down (one line, a count a minute),
    so the pool's line is dropped; the pool keeps retrying all the same."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to restore the pool connection floor")


_notices = _ExpectedLibraryNotices()
_pool_reconnects = _PoolReconnectWithoutTraceback()


def quiet_expected_library_notices() -> None:
    """guildkit always syncs every guild's commands (that is how per-guild visibility works), so
    the library's warning about it would only alarm operators at every start; asyncpg's pool
    reconnect tracebacks repeat what the outage monitor says once."""
    logger = logging.getLogger("interactions")
    if _notices not in logger.filters:
        logger.addFilter(_notices)
    pool_logger = logging.getLogger("asyncpg.pool")
    if _pool_reconnects not in pool_logger.filters:
        pool_logger.addFilter(_pool_reconnects)


class StartupFailures(logging.Filter):
    """While the bot starts, holds back interactions.py's own reports of a failed connection
    (a 401 line, a connection traceback) and keeps their last line: the runtime turns them into
    one clear sentence for the operator instead."""

    PATTERNS = (re.compile(r"^GET::\S+/users/@me: 401$"), re.compile(r"^Shard ID \d+ \| Traceback"))

    def __init__(self) -> None:
        super().__init__()
        self.reasons: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not any(pattern.search(message) for pattern in self.PATTERNS):
            return True
        lines = [line for line in message.strip().splitlines() if line.strip()]
        self.reasons.append(lines[-1] if lines else message)
        return False

    def __enter__(self) -> StartupFailures:
        logging.getLogger("interactions").addFilter(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("interactions").removeFilter(self)
