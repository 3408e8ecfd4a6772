"""Cache invalidation across processes sharing one PostgreSQL database: LISTEN/NOTIFY.

Flags, settings, permission roles and user profiles are cached per process (TTL caches). A
writer calls :func:`announce` inside the transaction of its change: PostgreSQL delivers a
``NOTIFY`` only when that transaction commits, to every session listening, in commit order. Each
bot process keeps one dedicated connection listening (:class:`ChangeListener`, opened by the
runtime) and drops the cached entries a change names, so the next read sees the new row: within
milliseconds instead of ``cache.ttl_seconds``.

A lost listening connection is re-opened with backoff; notifications sent meanwhile are lost,
so after a reconnect every cache is dropped. SQLite serves one process: there :func:`announce`
does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from tortoise.backends.base.client import BaseDBAsyncClient

if TYPE_CHECKING:
    import asyncpg

log = logging.getLogger("guildkit.notify")

#: The one channel every guildkit process listens on.
CHANNEL = "guildkit_changes"

ChangeKind = Literal["flags", "settings", "permissions", "user"]


@dataclass(frozen=True)
class Change:
    """What changed; ``None`` fields mean "all of them" (e.g. every guild's flags)."""

    kind: ChangeKind
    guild_id: int | None = None
    plugin: str | None = None
    user_id: int | None = None

    def encode(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None}, separators=(",", ":"))

    @classmethod
    def decode(cls, payload: str) -> Change | None:
        try:
            data = json.loads(payload)
            return cls(
                kind=data["kind"],
                guild_id=_int_or_none(data.get("guild_id")),
                plugin=data.get("plugin"),
                user_id=_int_or_none(data.get("user_id")),
            )
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring a malformed change notification: %.200s", payload)
            return None


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


async def announce(connection: BaseDBAsyncClient, change: Change) -> None:
    """Tell every other process about ``change``. Call it with the transaction of the change:
    the notification then leaves exactly when (and if) the change commits. No-op on SQLite."""
    if connection.capabilities.dialect != "postgres":
        return
    await connection.execute_query("SELECT pg_notify($1, $2)", [CHANNEL, change.encode()])


class ChangeListener:
    """One dedicated PostgreSQL connection that LISTENs and hands each change to ``apply``.

    It is checked every ``check_seconds`` (a ``SELECT 1`` with a timeout: a silently dead TCP
    connection never raises by itself) and re-opened with backoff when lost; ``resync`` runs after
    a reconnect, because changes made while it was away were not heard.
    """

    def __init__(
        self,
        credentials: dict[str, Any],
        apply: Callable[[Change], None],
        *,
        resync: Callable[[], None],
        check_seconds: float = 5.0,
    ) -> None:
        self._credentials = credentials
        self._apply = apply
        self._resync = resync
        self._check_seconds = check_seconds
        self._connection: asyncpg.Connection | None = None
        self._lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: How many times the connection was re-opened after a loss (for tests and health).
        self.reconnects = 0
        #: The PostgreSQL backend process of the listening connection (``pg_stat_activity.pid``).
        self.backend_pid: int | None = None

    @property
    def connected(self) -> bool:
        return self._connection is not None and not self._connection.is_closed()

    async def start(self) -> None:
        """Connect and LISTEN; raises if PostgreSQL cannot be reached now."""
        await self._connect()
        self._task = asyncio.create_task(self._watch(), name="guildkit-change-listener")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._close()

    async def _connect(self) -> None:
        credentials = self._credentials
        import asyncpg  # only PostgreSQL listens; a SQLite bot never loads the driver

        connection = await asyncpg.connect(
            host=credentials.get("host"),
            port=credentials.get("port"),
            user=credentials.get("user"),
            password=credentials.get("password"),
            database=credentials.get("database"),
            ssl=credentials.get("ssl"),
            timeout=10,
        )
        self._lost.clear()
        connection.add_termination_listener(lambda _conn: self._lost.set())
        await connection.add_listener(CHANNEL, self._on_notification)
        self._connection = connection
        self.backend_pid = connection.get_server_pid()

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), timeout=2)

    def _on_notification(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        change = Change.decode(payload)
        if change is None:
            return
        try:
            self._apply(change)
        except Exception:  # one bad change must not stop the others from being heard
            log.exception("applying a change notification failed: %s", payload)

    async def _healthy(self) -> bool:
        import asyncpg

        connection = self._connection
        if connection is None or connection.is_closed() or self._lost.is_set():
            return False
        try:
            await asyncio.wait_for(connection.fetchval("SELECT 1"), timeout=self._check_seconds)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return False
        return True

    async def _watch(self) -> None:
        import asyncpg

        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), timeout=self._check_seconds)
            if await self._healthy():
                continue
            log.warning("lost the PostgreSQL change-notification connection; reconnecting")
            await self._close()
            delay = 0.2
            while True:
                try:
                    await self._connect()
                    break
                except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                    log.warning("change notifications: reconnect failed (%s); retrying in %.1f s", error, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 10.0)
            self.reconnects += 1
            # Whatever changed while nobody listened is unknown: forget every cached entry.
            self._resync()
            log.info("change notifications: reconnected")
