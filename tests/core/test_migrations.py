"""Every app's migrations, per dialect, rebuild its models exactly on a fresh database."""

from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise

from guildkit.core import db, migrations
from guildkit.core.config import parse_config
from guildkit.core.discovery import installed_plugins
from guildkit.core.runtime import Runtime
from guildkit.core.testing.databases import fresh_database


def all_apps(greeter_plugin: Any) -> list[migrations.App]:
    plugins = installed_plugins([greeter_plugin]).values()
    return migrations.apps_in_order(plugins)


def app_ids() -> list[str]:
    return ["core", "greeter", *sorted(p.name for p in installed_plugins().values() if p.models)]


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
async def test_migration_files_match_models(dialect: str, greeter_plugin: Any) -> None:
    """aerich sees no pending change between each app's last migration file and its models."""
    for app in all_apps(greeter_plugin):
        assert app.versions(dialect), f"{app.label} has no {dialect} migrations"
        assert await migrations.pending_changes(app, dialect) == [], f"{app.label}/{dialect} drifted"


async def test_migrated_schema_equals_generated_schema(
    gk_dialect: str, tmp_path: Path, greeter_plugin: Any, gk_clock: Any
) -> None:
    """Apply the migrations to one fresh database and let Tortoise generate the schema in
    another; tables, columns, types, nullability and indexes must be identical."""
    plugins = list(installed_plugins([greeter_plugin]).values())
    schemas = []
    for build in ("migrations", "generated"):
        (tmp_path / build).mkdir()
        async with fresh_database(gk_dialect, tmp_path / build) as url:
            database = db.parse_database_url(url)
            await db.open_database(database, plugins)
            try:
                if build == "migrations":
                    applied = await migrations.apply(database, migrations.apps_in_order(plugins))
                    assert set(applied) >= {"core", "greeter"}
                else:
                    await Tortoise.generate_schemas(safe=False)
                tables = [t for label in Tortoise.apps for t in migrations.app_tables(label)]
                schemas.append(await migrations.describe_schema(database, tables))
            finally:
                await db.close_database()
    assert "gk_feature_flag" in schemas[0] and "toy_greeting" in schemas[0]
    assert schemas[0] == schemas[1]


async def test_migrate_is_idempotent_and_recorded(gk_database_url: str, greeter_plugin: Any, gk_clock: Any) -> None:
    config = parse_config({"database": {"url": gk_database_url}})
    runtime = Runtime(config, extra_plugins=[greeter_plugin])
    first = await runtime.open_database(migrate=True)
    try:
        assert next(iter(first)) == "core" and "greeter" in first  # core first, then plugins in order
        status = {s.label: s for s in await migrations.status(runtime.database, runtime.apps())}
        assert not status["greeter"].pending and status["greeter"].applied
    finally:
        await runtime.close_database()
    again = await runtime.open_database(migrate=True)
    await runtime.close_database()
    assert again == {}


async def test_startup_without_migrating_reports_pending(gk_database_url: str, greeter_plugin: Any) -> None:
    from guildkit.core.errors import StartupError

    config = parse_config({"database": {"url": gk_database_url, "migrate_on_start": False}})
    runtime = Runtime(config, extra_plugins=[greeter_plugin])
    core_migrations = len(list((migrations.core_app().migrations_root / "sqlite").glob("[0-9]*_*.py")))
    assert core_migrations >= 4  # init, services, permission roles, command quota...
    pending = rf"pending migrations: core \({core_migrations}\), (.*, )?greeter \(1\)(, .*)?\. Run `guildkit migrate`"
    with pytest.raises(StartupError, match=pending):
        await runtime.open_database()


async def test_makemigrations_writes_only_real_changes(tmp_path: Path, greeter_plugin: Any) -> None:
    app = migrations.App(label="greeter", models=("gk_toy_greeter.models",), migrations_root=tmp_path / "m")
    for dialect in ("sqlite", "postgres"):
        first = await migrations.make_migrations(app, dialect, "init")
        assert first is not None and first.name.startswith("0_")
        assert await migrations.make_migrations(app, dialect, "again") is None
    assert "BIGSERIAL" in next((tmp_path / "m" / "postgres").glob("0_*.py")).read_text()
    assert "AUTOINCREMENT" in next((tmp_path / "m" / "sqlite").glob("0_*.py")).read_text()
