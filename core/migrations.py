"""aerich migrations, one folder per app per dialect.

aerich writes SQL for one dialect, so every app (the core and each plugin) ships
``migrations/sqlite/`` and ``migrations/postgres/`` generated from the same models. Files use aerich's
format and applied versions go to aerich's ``aerich`` table, so the aerich CLI can read the state.

aerich keeps its working state in class attributes of ``Migrate`` that it never clears; this module
resets them before each use so several apps and dialects can be handled in one process.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from aerich.migrate import Migrate
from aerich.models import Aerich
from aerich.utils import decompress_dict, get_models_describe
from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction
from tortoise.utils import get_schema_sql

from guildkit.core.db import CORE_APP, CORE_MODELS, Database, Dialect, parse_database_url
from guildkit.core.plugin import Plugin

log = logging.getLogger("guildkit.migrations")

CORE_MIGRATIONS = Path(__file__).parent / "migrations"
#: Used to render SQL for a dialect without a server: nothing connects to it offline.
_OFFLINE_URLS: dict[Dialect, str] = {
    "sqlite": "sqlite://:memory:",
    "postgres": "postgres://postgres@127.0.0.1:9/offline",
}


@dataclass(frozen=True)
class App:
    """Something with models and migrations: the core or one plugin."""

    label: str
    models: tuple[str, ...]
    migrations_root: Path

    def folder(self, dialect: Dialect) -> Path:
        return self.migrations_root / dialect

    def versions(self, dialect: Dialect) -> list[Path]:
        folder = self.folder(dialect)
        if not folder.is_dir():
            return []
        files = [p for p in folder.glob("*.py") if p.stem.split("_", 1)[0].isdigit() and "_" in p.stem]
        return sorted(files, key=lambda p: int(p.stem.split("_", 1)[0]))


def core_app() -> App:
    return App(label=CORE_APP, models=CORE_MODELS, migrations_root=CORE_MIGRATIONS)


def plugin_app(plugin: Plugin) -> App | None:
    if not plugin.models:
        return None
    return App(label=plugin.app_label, models=(plugin.models,), migrations_root=plugin.migrations_dir("x").parent)


def apps_in_order(plugins: Iterable[Plugin]) -> list[App]:
    """The core first, then plugins in the order given (dependencies first)."""
    apps = [core_app()]
    apps.extend(app for plugin in plugins if (app := plugin_app(plugin)) is not None)
    return apps


def _load_version(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"guildkit_migration_{path.parent.name}_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def applied_versions(app_label: str) -> set[str]:
    try:
        return set(await Aerich.filter(app=app_label).values_list("version", flat=True))
    except OperationalError:
        return set()  # no aerich table yet: nothing applied


@dataclass(frozen=True)
class AppStatus:
    label: str
    applied: list[str]
    pending: list[str]
    missing_folder: bool


async def status(database: Database, apps: Iterable[App]) -> list[AppStatus]:
    result = []
    for app in apps:
        done = await applied_versions(app.label)
        files = [p.name for p in app.versions(database.dialect)]
        result.append(
            AppStatus(
                label=app.label,
                applied=[name for name in files if name in done],
                pending=[name for name in files if name not in done],
                missing_folder=not app.folder(database.dialect).is_dir(),
            )
        )
    return result


async def apply(database: Database, apps: Iterable[App]) -> dict[str, list[str]]:
    """Apply pending migrations app by app, each file in its own transaction.

    Tortoise must already be initialised on ``database`` with every app's models.
    Returns the applied file names per app label.
    """
    applied: dict[str, list[str]] = {}
    for app in apps:
        folder = app.folder(database.dialect)
        if not folder.is_dir():
            raise FileNotFoundError(
                f"{app.label} has no {database.dialect} migrations in {folder}; "
                f"run `guildkit makemigrations {app.label}`"
            )
        done = await applied_versions(app.label)
        for path in app.versions(database.dialect):
            if path.name in done:
                continue
            module = _load_version(path)
            async with in_transaction(database.connection_name) as conn:
                sql = await module.upgrade(conn)
                if sql.strip():
                    await conn.execute_script(sql)
                state = getattr(module, "MODELS_STATE", None)
                content = decompress_dict(state) if state else get_models_describe(app.label)
                await Aerich.create(version=path.name, app=app.label, content=content, using_db=conn)
            log.info("migration applied app=%s version=%s", app.label, path.name)
            applied.setdefault(app.label, []).append(path.name)
    return applied


# --- generating -----------------------------------------------------------------------------


def _reset_aerich_state() -> None:
    for name, value in list(vars(Migrate).items()):
        if name.startswith("__"):
            continue
        if isinstance(value, list):
            setattr(Migrate, name, [])
        elif isinstance(value, dict):
            setattr(Migrate, name, {})
    Migrate._last_version_content = None


@asynccontextmanager
async def _offline_context(app: App, dialect: Dialect) -> AsyncIterator[Any]:
    """A private Tortoise context holding only ``app``'s models, for rendering ``dialect`` SQL.

    Only this app's models: aerich's first migration dumps every model on the connection.
    """
    database = parse_database_url(_OFFLINE_URLS[dialect])
    config = {
        "connections": {database.connection_name: database.connection},
        "apps": {app.label: {"models": list(app.models), "default_connection": database.connection_name}},
        "use_tz": True,
        "timezone": "UTC",
    }
    async with TortoiseContext() as context:
        await context.init(config=config)
        conn = context.db(database.connection_name)
        _reset_aerich_state()
        Migrate.app = app.label
        Migrate.migrate_location = app.folder(dialect)
        Migrate.dialect = conn.schema_generator.DIALECT
        Migrate.ddl_class = await Migrate.load_ddl_class()
        Migrate.ddl = Migrate.ddl_class(conn)
        versions = app.versions(dialect)
        if versions:
            state = getattr(_load_version(versions[-1]), "MODELS_STATE", None)
            if not state:
                raise RuntimeError(f"{versions[-1]} has no MODELS_STATE; regenerate it with aerich fix-migrations")
            Migrate._last_version_content = decompress_dict(state)
        try:
            yield conn
        finally:
            _reset_aerich_state()


def _diff_operations() -> list[str]:
    new = get_models_describe(Migrate.app)
    old = Migrate._last_version_content or {}
    old, new = Migrate._exclude_model_name_changes(old, new)
    Migrate.diff_models(old, new, no_input=True)
    Migrate.diff_models(new, old, False, no_input=True)
    Migrate._merge_operators()
    return list(Migrate.upgrade_operators)


async def pending_changes(app: App, dialect: Dialect) -> list[str]:
    """SQL the models need beyond the app's last migration file for ``dialect`` (empty = in sync)."""
    async with _offline_context(app, dialect) as conn:
        if not app.versions(dialect):
            return [get_schema_sql(conn, safe=False)]
        return _diff_operations()


async def make_migrations(app: App, dialect: Dialect, name: str = "update") -> Path | None:
    """Write the next migration file of ``app`` for ``dialect``; None when nothing changed."""
    folder = app.folder(dialect)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    async with _offline_context(app, dialect) as conn:
        versions = app.versions(dialect)
        if not versions:
            text = Migrate.build_migration_file_text(
                upgrade_sql=get_schema_sql(conn, safe=False), models_state=get_models_describe(app.label)
            )
            path = folder / f"0_{stamp}_init.py"
        else:
            if not _diff_operations():
                return None
            text = Migrate._get_diff_file_content()
            number = int(versions[-1].stem.split("_", 1)[0]) + 1
            path = folder / f"{number}_{stamp}_{_slug(name)}.py"
    path.write_text(text, encoding="utf-8")
    return path


def _slug(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name.lower()).strip("_")
    return cleaned[:40] or "update"


# --- schema comparison ----------------------------------------------------------------------


async def describe_schema(database: Database, tables: Iterable[str]) -> dict[str, Any]:
    """Columns and indexes of ``tables`` as the database reports them, comparable across builds."""
    conn = Tortoise.get_connection(database.connection_name)
    result: dict[str, Any] = {}
    for table in sorted(tables):
        if database.dialect == "sqlite":
            _, columns = await conn.execute_query(f'PRAGMA table_info("{table}")')
            cols = sorted((c["name"], c["type"].upper(), bool(c["notnull"]), c["pk"]) for c in columns)
            _, index_rows = await conn.execute_query(f'PRAGMA index_list("{table}")')
            indexes = []
            for row in index_rows:
                _, info = await conn.execute_query(f'PRAGMA index_info("{row["name"]}")')
                indexes.append((bool(row["unique"]), tuple(i["name"] for i in info)))
        else:
            _, columns = await conn.execute_query(
                "SELECT column_name, data_type, is_nullable, character_maximum_length, column_default "
                "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
                [table],
            )
            cols = sorted(
                (
                    c["column_name"],
                    c["data_type"],
                    c["is_nullable"] == "NO",
                    c["character_maximum_length"],
                    (c["column_default"] or "").startswith("nextval"),
                )
                for c in columns
            )
            _, index_rows = await conn.execute_query(
                "SELECT ix.indisunique AS uniq, array_agg(a.attname ORDER BY k.ord) AS cols "
                "FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) "
                "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
                "WHERE t.relname = $1 AND n.nspname = current_schema() GROUP BY ix.indexrelid, ix.indisunique",
                [table],
            )
            indexes = [(bool(r["uniq"]), tuple(r["cols"])) for r in index_rows]
        result[table] = {"columns": cols, "indexes": sorted(indexes)}
    return result


def app_tables(label: str) -> list[str]:
    return sorted(model._meta.db_table for model in Tortoise.apps[label].values())


def iter_dialect_folders(app: App) -> Iterator[tuple[Dialect, Path]]:
    for dialect in ("sqlite", "postgres"):
        yield dialect, app.folder(dialect)  # type: ignore[misc]
