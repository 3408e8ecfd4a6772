"""Every app's migrations, per dialect, rebuild its models exactly on a fresh database."""

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise

from guildkit.core import db, migrations
from guildkit.core.config import parse_config
from guildkit.core.discovery import installed_plugins
from guildkit.core.models import CommandUsageHour
from guildkit.core.runtime import Runtime
from guildkit.core.testing.databases import fresh_database
from guildkit.core.testing.pytest_plugin import TEST_EPOCH
from guildkit.core.usage import command_stats


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


async def test_upgrade_adds_command_usage_rows_up_per_hour(gk_dialect: str, tmp_path: Path, gk_clock: Any) -> None:
    """A database at core migration 3 holding per-command usage rows: migration 4 turns them into
    hourly counts (guild 0 for direct messages) and drops the per-user table, losing no statistic."""
    core = migrations.core_app()
    at_three = migrations.App(label="core", models=core.models, migrations_root=tmp_path / "at_three")
    at_three.folder(gk_dialect).mkdir(parents=True)
    for path in core.versions(gk_dialect)[:4]:
        shutil.copy(path, at_three.folder(gk_dialect))
    noon = TEST_EPOCH  # 12:00 UTC
    uses = [  # guild, command, minutes after noon, latency, success
        (7, "greet", 5, 10, True),
        (7, "greet", 40, 30, False),
        (7, "greet", 70, 5, True),  # the next hour
        (None, "timezone", 20, 2, True),  # a direct message
        (None, "timezone", 21, 4, True),
        (8, "greet", 30, 7, True),
    ]
    (tmp_path / "db").mkdir()
    async with fresh_database(gk_dialect, tmp_path / "db") as url:
        database = db.parse_database_url(url)
        await db.open_database(database, [])
        try:
            assert await migrations.apply(database, [at_three]) == {
                "core": [p.name for p in at_three.versions(gk_dialect)]
            }
            conn = Tortoise.get_connection(database.connection_name)
            marks = ", ".join("?" if gk_dialect == "sqlite" else f"${i}" for i in range(1, 8))
            for user_id, (guild_id, command, minutes, latency, success) in enumerate(uses):
                at = noon + timedelta(minutes=minutes, microseconds=123_456)
                await conn.execute_query(
                    'INSERT INTO "gk_command_usage" ("command", "plugin", "guild_id", "user_id", "at", '
                    f'"latency_ms", "success") VALUES ({marks})',
                    [command, "greeter" if command == "greet" else "core", guild_id, user_id, at, latency, success],
                )

            applied = await migrations.apply(database, [core])
            assert applied == {"core": [core.versions(gk_dialect)[4].name]}

            rows = (
                await CommandUsageHour.all()
                .order_by("guild_id", "hour")
                .values_list(
                    "hour", "guild_id", "command", "plugin", "uses", "failures", "latency_ms_total", "latency_ms_max"
                )
            )
            next_hour = noon + timedelta(hours=1)
            assert rows == [
                (noon, 0, "timezone", "core", 2, 0, 6, 4),
                (noon, 7, "greet", "greeter", 2, 1, 40, 30),
                (next_hour, 7, "greet", "greeter", 1, 0, 5, 5),
                (noon, 8, "greet", "greeter", 1, 0, 7, 7),
            ]
            assert await command_stats(7, noon) == [{"command": "greet", "uses": 3, "fails": 1, "avg_ms": 15.0}]
            old_table = await migrations.describe_schema(database, ["gk_command_usage"])
            assert old_table["gk_command_usage"]["columns"] == []  # gone, with who used what
        finally:
            await db.close_database()
