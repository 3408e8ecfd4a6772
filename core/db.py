"""The Tortoise ORM lifecycle: one app per plugin plus the core's, one connection per database."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext
from tortoise.exceptions import ConfigurationError

from guildkit.core.errors import ConfigError, StartupError
from guildkit.core.plugin import Plugin

log = logging.getLogger("guildkit.db")

Dialect = Literal["sqlite", "postgres"]
CORE_APP = "core"
CORE_MODELS = ("guildkit.core.models", "aerich.models")
SUPPORTED_DIALECTS: tuple[Dialect, ...] = ("sqlite", "postgres")
_context: TortoiseContext | None = None


@dataclass(frozen=True)
class Database:
    """A parsed database URL, ready to become a Tortoise connection."""

    url: str
    dialect: Dialect
    connection: dict[str, Any]

    @property
    def connection_name(self) -> str:
        # Named by dialect: Tortoise caches per connection name the SQL it built, with the
        # dialect's placeholders, so one name shared by two dialects would mix them.
        return self.dialect

    def describe(self) -> str:
        credentials = self.connection["credentials"]
        if self.dialect == "sqlite":
            return f"SQLite file {credentials['file_path']}"
        return f"PostgreSQL {credentials.get('host')}:{credentials.get('port')}/{credentials.get('database')}"


async def keep_session_state(connection: Any) -> None:
    """The pool's reset for a connection it takes back: nothing to send.

    asyncpg's default reset costs every query a second round trip (unlock advisory locks, CLOSE
    ALL, UNLISTEN *, RESET ALL). guildkit leaves no session state on pooled connections: LISTEN
    has its own connection (core.notify), no code takes session advisory locks, SETs or cursors
    outside a transaction. asyncpg still rolls back a transaction left open before calling this.
    """


def parse_database_url(
    url: str, *, base_dir: Path | None = None, pool_max: int = 10, busy_timeout_ms: int = 5000
) -> Database:
    if url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        try:
            connection = expand_db_url(url.replace("postgresql://", "postgres://", 1))
        except ConfigurationError as error:
            raise ConfigError(f"database.url {url!r} is not a valid PostgreSQL URL: {error}") from None
        connection["engine"] = "tortoise.backends.asyncpg"
        connection["credentials"].setdefault("maxsize", pool_max)
        connection["credentials"]["maxsize"] = pool_max
        connection["credentials"].setdefault("minsize", 1)
        connection["credentials"]["reset"] = keep_session_state
        return Database(url=url, dialect="postgres", connection=connection)
    if url.startswith("sqlite://"):
        path_text = url.removeprefix("sqlite://")
        if not path_text:
            raise ConfigError("database.url: a SQLite URL needs a file path, e.g. sqlite://data/guildkit.db")
        if path_text == ":memory:":
            path = path_text
        else:
            candidate = Path(path_text)
            if not candidate.is_absolute() and base_dir is not None:
                candidate = base_dir / candidate
            path = str(candidate)
        credentials: dict[str, Any] = {
            "file_path": path,
            # Extra keys become PRAGMAs: WAL lets readers run during writes; busy_timeout makes a
            # second process wait for the lock instead of failing with "database is locked".
            "journal_mode": "WAL",
            "busy_timeout": busy_timeout_ms,
            "synchronous": "NORMAL",
            "foreign_keys": "ON",
        }
        return Database(
            url=url,
            dialect="sqlite",
            connection={"engine": "tortoise.backends.sqlite", "credentials": credentials},
        )
    scheme = url.split("://", 1)[0] if "://" in url else url
    raise ConfigError(
        f"database.url: unsupported database {scheme!r}; use sqlite://PATH or postgres://USER@HOST:PORT/DB"
    )


def tortoise_config(database: Database, plugins: Iterable[Plugin]) -> dict[str, Any]:
    apps: dict[str, Any] = {CORE_APP: {"models": list(CORE_MODELS), "default_connection": database.connection_name}}
    for plugin in plugins:
        if plugin.models:
            apps[plugin.app_label] = {"models": [plugin.models], "default_connection": database.connection_name}
    return {
        "connections": {database.connection_name: database.connection},
        "apps": apps,
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database: Database, plugins: Iterable[Plugin]) -> None:
    """Initialise Tortoise process-wide and check the database answers.

    Raises StartupError with the reason when it does not; connections are closed in that case.
    """
    if database.dialect == "sqlite" and database.connection["credentials"]["file_path"] != ":memory:":
        Path(database.connection["credentials"]["file_path"]).parent.mkdir(parents=True, exist_ok=True)
    config = tortoise_config(database, plugins)
    global _context
    if _context is not None:
        raise RuntimeError("a guildkit database is already open in this process; close it first")
    try:
        # Registered only as the global fallback (not in this task's contextvar, as Tortoise.init
        # would): every task of the bot sees it, and closing it leaves nothing behind.
        _context = TortoiseContext()
        with _context:  # current in this task only while the models are set up
            await _context.init(config=config, _enable_global_fallback=True)
        await connection(database).execute_query("SELECT 1")
    except Exception as error:
        await close_database()
        raise StartupError(f"cannot reach the database ({database.describe()}): {_short(error)}") from error


def connection(database: Database) -> BaseDBAsyncClient:
    return connections.get(database.connection_name)


async def expire_connections(database: Database) -> None:
    """Make the PostgreSQL pool replace every connection it holds, as they are next used.

    After the server terminated them, some pooled connections can stay half-dead ("connection is
    closed", "another operation is in progress") and fail every query that draws them. Relies on
    Tortoise's asyncpg client keeping its ``asyncpg.Pool`` in ``_pool`` (nothing public exposes
    it) and on asyncpg's public ``Pool.expire_connections()``. SQLite has no pool: nothing to do.
    """
    pool = getattr(connection(database), "_pool", None)
    expire = getattr(pool, "expire_connections", None)
    if expire is not None:
        await expire()


async def probe(database: Database) -> None:
    """Raise unless the database answers ``SELECT 1`` right now.

    PostgreSQL is asked over a new connection of its own, not the pool: after an outage the pool
    may hold connections the server terminated, and drawing one says nothing about the server.
    Once it answers, the pool is told to replace what it holds.
    """
    if database.dialect != "postgres":
        await connection(database).execute_query("SELECT 1")
        return
    import asyncpg

    credentials = database.connection["credentials"]
    conn = await asyncpg.connect(
        host=credentials.get("host"),
        port=credentials.get("port"),
        user=credentials.get("user"),
        password=credentials.get("password"),
        database=credentials.get("database"),
        timeout=5,
    )
    try:
        await conn.fetchval("SELECT 1")
    finally:
        await conn.close()
    await expire_connections(database)


async def close_database() -> None:
    global _context
    context, _context = _context, None
    if context is not None:
        await context.close_connections()


class SqliteProcessLock:
    """An exclusive lock on ``<database file>.lock``, held by the one bot process of a SQLite file.

    SQLite serves one bot process: a second would identify for the same shards (every event
    handled twice) and fight over the write lock. ``flock`` locks belong to the open file, so the
    kernel releases them when the process ends however it ends: a crashed bot never blocks the next
    start. The file holds the pid of the holder, for the refusal message. Commands such as
    ``guildkit backup`` or ``health`` do not take it and run next to the bot.
    """

    def __init__(self, database_path: str) -> None:
        self.path = Path(database_path + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no flock; one process per file is then up to the operator
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise StartupError(
                f"another bot process (pid {holder}) is running on {self.path.with_suffix('')}; SQLite serves "
                "one bot process. Stop it first, or use PostgreSQL to run several (docs/scaling.md)."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the file releases the flock


def process_lock(database: Database) -> SqliteProcessLock | None:
    """The lock a bot process must hold for ``database``: SQLite files only."""
    if database.dialect != "sqlite":
        return None
    path = database.connection["credentials"]["file_path"]
    return None if path == ":memory:" else SqliteProcessLock(path)


def _short(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:300]
