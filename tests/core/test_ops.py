"""Backup, restore, health, optimize and purging a removed plugin, on SQLite and PostgreSQL."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise

from guildkit.core import ops
from guildkit.core.config import parse_config
from guildkit.core.models import CommandUsageHour, FeatureFlag, SettingValue
from guildkit.core.runtime import Runtime
from guildkit.core.testing.databases import fresh_database


def make_runtime(url: str, tmp_path: Path, plugins: list[Any] = ()) -> Runtime:
    return Runtime(
        parse_config({"database": {"url": url}, "backup": {"dir": str(tmp_path / "backups")}}), extra_plugins=plugins
    )


async def table_rows(runtime: Runtime) -> dict[str, list[tuple]]:
    conn = runtime.db_connection()
    dump = {}
    for label in Tortoise.apps:
        for model in Tortoise.apps[label].values():
            table = model._meta.db_table
            rows = await conn.execute_query_dict(f'SELECT * FROM "{table}" ORDER BY 1')
            dump[table] = [tuple(str(v) for v in row.values()) for row in rows]
    return dump


async def restored_copy(backup_file: Path, dialect: str, tmp_path: Path, name: str) -> tuple[Runtime, Any]:
    holder = fresh_database(dialect, tmp_path / name)
    (tmp_path / name).mkdir()
    url = await holder.__aenter__()
    target = make_runtime(url, tmp_path)
    await ops.restore(target, backup_file)
    await target.open_database(migrate=False)
    return target, holder


async def test_backup_while_writing_restores_a_consistent_and_then_identical_database(
    gk_dialect: str, gk_database_url: str, gk_clock, tmp_path: Path
) -> None:
    source = make_runtime(gk_database_url, tmp_path)
    await source.open_database()
    writing = True
    written = 0

    async def writer() -> None:
        nonlocal written
        while writing:
            await CommandUsageHour.create(
                hour=gk_clock.now(),
                guild_id=written,
                command=f"c{written}",
                plugin="core",
                uses=1,
                failures=0,
                latency_ms_total=written % 97,
                latency_ms_max=written % 97,
            )
            written += 1

    task = asyncio.create_task(writer())
    try:
        await asyncio.sleep(0.2)
        during = await ops.backup(source)
        await asyncio.sleep(0.1)
    finally:
        writing = False
        await task
    assert written > 50
    after = await ops.backup(source)
    expected = await table_rows(source)
    await source.close_database()

    copy, holder = await restored_copy(during, gk_dialect, tmp_path, "during")
    try:
        rows = await CommandUsageHour.all().order_by("id").values_list("id", "command", "guild_id")
        # A consistent snapshot: an unbroken prefix of what was written, every row whole.
        assert 0 < len(rows) <= written
        assert rows == [(i + 1, f"c{i}", i) for i in range(len(rows))]
    finally:
        await copy.close_database()
        await holder.__aexit__(None, None, None)

    copy, holder = await restored_copy(after, gk_dialect, tmp_path, "after")
    try:
        assert await table_rows(copy) == expected
    finally:
        await copy.close_database()
        await holder.__aexit__(None, None, None)


async def test_backups_are_rotated(gk_database_url: str, gk_clock, tmp_path: Path) -> None:
    runtime = make_runtime(gk_database_url, tmp_path)
    await runtime.open_database()
    try:
        made = []
        for _ in range(4):
            made.append(await ops.backup(runtime, keep=2))
            gk_clock.advance(seconds=1)
        assert ops.list_backups(tmp_path / "backups") == made[-2:]
    finally:
        await runtime.close_database()


async def test_restore_refuses_a_damaged_or_foreign_file(gk_database_url: str, tmp_path: Path) -> None:
    runtime = make_runtime(gk_database_url, tmp_path)
    with pytest.raises(ops.OpsError, match="no backup file"):
        await ops.restore(runtime, tmp_path / "missing.db.gz")
    if runtime.database.dialect == "sqlite":
        import gzip

        bad = tmp_path / "guildkit-bad.db.gz"
        bad.write_bytes(gzip.compress(b"this is not a database" * 100))
        with pytest.raises(ops.OpsError):
            await ops.restore(runtime, bad)


async def test_health_reports_pending_migrations_as_unhealthy(gk_database_url, gk_plugins, tmp_path) -> None:
    runtime = make_runtime(gk_database_url, tmp_path)
    await runtime.open_database()
    await runtime.close_database()
    with_plugin = make_runtime(gk_database_url, tmp_path, gk_plugins)  # greeter's tables are not there yet
    await with_plugin.open_database(migrate=False, require_current=False)
    try:
        checks = {c.name: c for c in await ops.health(with_plugin)}
        assert checks["database"].ok
        assert not checks["migrations"].ok and "greeter (1)" in checks["migrations"].detail
        assert "core" in checks["tables"].data["bytes_per_app"]
    finally:
        await with_plugin.close_database()


async def test_optimize_runs_on_the_dialect(gk_database_url: str, tmp_path: Path) -> None:
    runtime = make_runtime(gk_database_url, tmp_path)
    await runtime.open_database()
    try:
        statements = await ops.optimize(runtime)
        assert any("VACUUM" in s for s in statements)
    finally:
        await runtime.close_database()


async def test_purging_a_removed_plugin(gk_database_url, gk_plugins, tmp_path) -> None:
    with_plugin = make_runtime(gk_database_url, tmp_path, gk_plugins)
    await with_plugin.open_database()
    try:
        await with_plugin.set_plugin_enabled(1, "greeter", True, None)
        await with_plugin.set_plugin_enabled(1, "greeter.fancy", True, None)
        await with_plugin.settings.set(1, "greeter", "greeting", "Hi", channel_id=None, actor_id=None)
        with pytest.raises(ops.OpsError, match="'greeter' is installed"):
            await ops.departed_plugin(with_plugin, "greeter")
    finally:
        await with_plugin.close_database()

    without = make_runtime(gk_database_url, tmp_path)  # the plugin was uninstalled
    await without.open_database()
    try:
        plan = await ops.departed_plugin(without, "greeter")
        assert set(plan.tables) >= {"toy_greeting", "toy_heard_message"}
        assert (plan.flags, plan.settings) == (2, 1)
        await ops.purge_departed_plugin(without, plan)
        conn = without.db_connection()
        for table in plan.tables:
            with pytest.raises(Exception):  # noqa: B017 - the dialects raise different errors
                await conn.execute_query(f'SELECT 1 FROM "{table}"')
        assert await FeatureFlag.all().count() == 0 and await SettingValue.all().count() == 0
        with pytest.raises(ops.OpsError, match="holds nothing"):
            await ops.departed_plugin(without, "greeter")
    finally:
        await without.close_database()
