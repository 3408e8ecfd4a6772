"""A whole money operation in one hand-over to SQLite's thread.

Tortoise runs SQLite through aiosqlite: every statement (and BEGIN, which is two) is a trip to
aiosqlite's worker thread and back, the dominant cost of a transfer on SQLite. Here the plain
part of an operation (ledger rows and conditional balance updates, nothing else) runs as one
function in that thread, BEGIN to COMMIT, under the same lock Tortoise takes for its own
statements and transactions, so nothing interleaves with it. Errors come back as Tortoise's
(IntegrityError for a used idempotency key, OperationalError for "database is locked").

This reaches into Tortoise's SQLite client (``_lock``, ``_connection``) and aiosqlite
(``_execute``, ``_conn``): both are pinned in pyproject; ``tests/plugins/economy`` and the fuzz
test run every money command through it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.exceptions import IntegrityError, OperationalError

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

T = TypeVar("T")


class ConditionFailed(Exception):
    """A conditional update matched no row: ``index`` of the statement; rolled back."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def available(runtime: Runtime) -> bool:
    """On SQLite, and not inside a caller's Tortoise transaction (which must take it in)."""
    if runtime.database.dialect != "sqlite":
        return False
    return not isinstance(connections.get(runtime.database.connection_name), TransactionalDBClient)


def _transaction(db: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    if db.in_transaction:  # under Tortoise's lock none is open; never commit someone else's
        raise sqlite3.OperationalError("a transaction is already open on this connection")
    db.execute("BEGIN")
    try:
        result = work(db)
    except BaseException:
        db.rollback()
        raise
    db.commit()
    return result


async def run(runtime: Runtime, work: Callable[[sqlite3.Connection], T]) -> T:
    """``work(connection)`` inside BEGIN ... COMMIT in aiosqlite's thread (rolled back if it raises)."""
    client: Any = connections.get(runtime.database.connection_name)
    async with client.acquire_connection() as connection:  # Tortoise's lock: nothing interleaves
        try:
            return await connection._execute(_transaction, connection._conn, work)
        except sqlite3.IntegrityError as error:
            raise IntegrityError(error) from error
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error
