"""Operations on a bot's database: backup, restore, health, optimize, purging a removed plugin.

Nothing here needs Discord; the CLI wraps these functions.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aerich.models import Aerich
from aerich.utils import decompress_dict
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from guildkit.core import clock, migrations
from guildkit.core.errors import GuildkitError
from guildkit.core.models import FeatureFlag, ScheduledJob, SettingValue
from guildkit.core.notify import Change, announce

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

Progress = Callable[[int, int], None]
BACKUP_PREFIX = "guildkit-"


class OpsError(GuildkitError):
    """An operation cannot be done; the message says why and what to do."""


# -- backup and restore -----------------------------------------------------------------------


def backup_dir(runtime: Runtime) -> Path:
    base = runtime.config.source.parent if runtime.config.source else Path.cwd()
    folder = Path(runtime.config.backup.dir)
    return folder if folder.is_absolute() else base / folder


def list_backups(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(BACKUP_PREFIX) and p.is_file())


def _sqlite_path(runtime: Runtime) -> Path:
    return Path(runtime.database.connection["credentials"]["file_path"])


def _postgres_url(runtime: Runtime) -> str:
    c = runtime.database.connection["credentials"]
    auth = c.get("user") or "postgres"
    if c.get("password"):
        auth += f":{c['password']}"
    return f"postgresql://{auth}@{c.get('host') or '127.0.0.1'}:{c.get('port') or 5432}/{c['database']}"


def _sqlite_backup(source: Path, target: Path, progress: Progress | None) -> None:
    # SQLite's online backup API copies a consistent snapshot while other connections write.
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(
            dst,
            pages=1024,
            progress=(lambda _s, remaining, total: progress(total - remaining, total)) if progress else None,
        )
    finally:
        dst.close()
        src.close()


def _gzip(source: Path, target: Path) -> None:
    with source.open("rb") as raw, gzip.open(target, "wb", compresslevel=6) as packed:
        shutil.copyfileobj(raw, packed, length=1 << 20)


async def backup(runtime: Runtime, *, keep: int | None = None, progress: Progress | None = None) -> Path:
    """Write a timestamped, compressed backup next to the others; keep the newest ``keep``."""
    folder = backup_dir(runtime)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    if runtime.database.dialect == "sqlite":
        target = folder / f"{BACKUP_PREFIX}{stamp}.db.gz"
        with tempfile.TemporaryDirectory() as scratch:
            snapshot = Path(scratch) / "snapshot.db"
            await asyncio.to_thread(_sqlite_backup, _sqlite_path(runtime), snapshot, progress)
            await asyncio.to_thread(_gzip, snapshot, target)
    else:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise OpsError("pg_dump was not found. Install the PostgreSQL client tools (e.g. postgresql-client).")
        target = folder / f"{BACKUP_PREFIX}{stamp}.pgdump"
        result = await asyncio.to_thread(
            subprocess.run,
            [pg_dump, "--format=custom", "--no-owner", f"--file={target}", _postgres_url(runtime)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            target.unlink(missing_ok=True)
            raise OpsError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        if progress:
            progress(1, 1)
    for old in list_backups(folder)[: -(keep or runtime.config.backup.keep)]:
        old.unlink()
    return target


def _restore_sqlite(backup_file: Path, database: Path) -> None:
    with tempfile.TemporaryDirectory(dir=database.parent) as scratch:
        unpacked = Path(scratch) / "restored.db"
        try:
            with gzip.open(backup_file, "rb") as packed, unpacked.open("wb") as raw:
                shutil.copyfileobj(packed, raw, length=1 << 20)
            check = sqlite3.connect(unpacked)
            try:
                verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                check.close()
        except (OSError, EOFError, sqlite3.DatabaseError) as error:
            raise OpsError(f"{backup_file} is not a readable guildkit backup ({error}); nothing was restored") from None
        if verdict != "ok":
            raise OpsError(f"{backup_file} is damaged ({verdict}); nothing was restored")
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(unpacked, database)


async def restore(runtime: Runtime, backup_file: Path) -> None:
    """Replace the database with ``backup_file``. The bot must be stopped."""
    if not backup_file.is_file():  # noqa: ASYNC240 - one stat before a long operation
        raise OpsError(f"no backup file {backup_file}")
    if runtime.database.dialect == "sqlite":
        if not backup_file.name.endswith(".db.gz"):
            raise OpsError(f"{backup_file.name} is not a SQLite backup (expected .db.gz)")
        database = _sqlite_path(runtime)
        database.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(_restore_sqlite, backup_file, database)
        return
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise OpsError("pg_restore was not found. Install the PostgreSQL client tools (e.g. postgresql-client).")
    result = await asyncio.to_thread(
        subprocess.run,
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_postgres_url(runtime)}",
            str(backup_file),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise OpsError(f"pg_restore failed: {result.stderr.strip()[:500]}")


# -- health -----------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


async def health(runtime: Runtime) -> list[Check]:
    """Run every check; the database must already be open (or have failed to open)."""
    checks: list[Check] = []
    conn = runtime.db_connection()
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        await conn.execute_query("SELECT 1")
        timings.append((time.perf_counter() - start) * 1000)
    latency = statistics.median(timings)
    checks.append(
        Check(
            "database",
            True,
            f"{runtime.database.describe()} answers in {latency:.1f} ms",
            {"latency_ms": round(latency, 2)},
        )
    )

    states = await migrations.status(runtime.database, runtime.apps())
    pending = {s.label: s.pending for s in states if s.pending}
    checks.append(
        Check(
            "migrations",
            not pending,
            "all applied" if not pending else "pending: " + ", ".join(f"{k} ({len(v)})" for k, v in pending.items()),
            {"pending": pending},
        )
    )

    if runtime.database.dialect == "sqlite":
        rows = await conn.execute_query_dict("PRAGMA quick_check")
        verdict = next(iter(rows[0].values())) if rows else "no answer"
        checks.append(Check("integrity", verdict == "ok", f"quick_check: {verdict}"))

    sizes = await table_sizes(runtime)
    total = sum(size for tables in sizes.values() for size in tables.values())
    checks.append(
        Check(
            "tables",
            True,
            f"{total / 1e6:.1f} MB in {sum(map(len, sizes.values()))} tables",
            {"bytes_per_app": {app: sum(t.values()) for app, t in sizes.items()}, "tables": sizes},
        )
    )

    failed = await ScheduledJob.filter(status="failed").count()
    checks.append(Check("jobs", True, f"{failed} failed job(s)" if failed else "no failed jobs", {"failed": failed}))

    backups = list_backups(backup_dir(runtime))
    if backups:
        newest = backups[-1]
        age = datetime.now().timestamp() - newest.stat().st_mtime
        checks.append(
            Check(
                "backup",
                True,
                f"last {newest.name}, {age / 3600:.1f} h ago",
                {"file": str(newest), "age_hours": round(age / 3600, 2)},
            )
        )
    else:
        checks.append(Check("backup", True, "no backup yet (guildkit backup)", {"file": None}))
    return checks


async def table_sizes(runtime: Runtime) -> dict[str, dict[str, int]]:
    """Bytes per table, grouped by app (SQLite: dbstat pages if compiled in, else a row estimate)."""
    conn = runtime.db_connection()
    sizes: dict[str, dict[str, int]] = {}
    for label in [a.label for a in runtime.apps()]:
        for table in migrations.app_tables(label):
            if runtime.database.dialect == "postgres":
                # to_regclass is NULL for a table whose migration has not run yet.
                rows = await conn.execute_query_dict(
                    "SELECT COALESCE(pg_total_relation_size(to_regclass($1)), 0) AS size", [table]
                )
                size = int(rows[0]["size"])
            else:
                try:
                    rows = await conn.execute_query_dict(
                        "SELECT SUM(pgsize) AS size FROM dbstat WHERE name = ?", [table]
                    )
                    size = int(rows[0]["size"] or 0)
                except Exception:  # dbstat is optional in SQLite builds; estimate from the row count
                    try:
                        rows = await conn.execute_query_dict(f'SELECT COUNT(*) AS n FROM "{table}"')
                        size = int(rows[0]["n"]) * 100
                    except Exception:  # not created yet: its migration is pending
                        size = 0
            sizes.setdefault(label, {})[table] = size
    return sizes


# -- optimize ---------------------------------------------------------------------------------


async def optimize(runtime: Runtime) -> list[str]:
    conn = runtime.db_connection()
    if runtime.database.dialect == "sqlite":
        statements = ["PRAGMA optimize", "ANALYZE", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"]
    else:
        statements = ["VACUUM (ANALYZE)"]
    for statement in statements:
        await conn.execute_script(statement)
    return statements


# -- plugins that were removed ------------------------------------------------------------------


@dataclass(frozen=True)
class DepartedPlugin:
    name: str
    tables: dict[str, int]
    flags: int
    settings: int
    jobs: int


async def departed_plugin(runtime: Runtime, name: str) -> DepartedPlugin:
    """What the database still holds for a plugin that is no longer installed."""
    if name in runtime.installed or name == "core":
        raise OpsError(f"{name!r} is installed; uninstall it first (its data is still in use)")
    last = await Aerich.filter(app=name).order_by("-id").first()
    tables: dict[str, int] = {}
    if last is not None:
        state = last.content if isinstance(last.content, dict) else decompress_dict(last.content)
        conn = runtime.db_connection()
        for describe in state.values():
            table = describe.get("table")
            if table:
                rows = await conn.execute_query_dict(f'SELECT COUNT(*) AS n FROM "{table}"')
                tables[table] = int(rows[0]["n"])
    result = DepartedPlugin(
        name=name,
        tables=tables,
        flags=await FeatureFlag.filter(_flags_of(name)).count(),
        settings=await SettingValue.filter(plugin=name).count(),
        jobs=await ScheduledJob.filter(plugin=name).count(),
    )
    if last is None and not (result.flags or result.settings or result.jobs):
        raise OpsError(f"the database holds nothing for a plugin called {name!r}")
    return result


def _flags_of(plugin: str) -> Q:
    return Q(name=plugin) | Q(name__startswith=f"{plugin}.")


async def purge_departed_plugin(runtime: Runtime, plan: DepartedPlugin) -> None:
    conn = runtime.db_connection()
    for table in plan.tables:
        await conn.execute_script(f'DROP TABLE IF EXISTS "{table}"')
    await Aerich.filter(app=plan.name).delete()
    async with in_transaction() as tx:
        await FeatureFlag.filter(_flags_of(plan.name)).using_db(tx).delete()
        await SettingValue.filter(plugin=plan.name).using_db(tx).delete()
        # Bots still running drop every cached flag and setting.
        await announce(tx, Change("flags"))
        await announce(tx, Change("settings"))
    await ScheduledJob.filter(plugin=plan.name).delete()
