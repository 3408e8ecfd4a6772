"""Operations commands of the ``guildkit`` CLI: backup, restore, health, optimize, retention,
purge-plugin. Registered on the main app by :func:`register`."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from guildkit.core.config import BotConfig

Load = Callable[[Path | None], BotConfig]
Run = Callable[[Coroutine[Any, Any, Any]], Any]

ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="Path to bot.toml.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def register(app: typer.Typer, *, load: Load, run: Run, console: Console, errors: Console) -> None:
    async def with_database(config: BotConfig, work: Callable[[Any], Coroutine[Any, Any, Any]]) -> Any:
        from guildkit.core.runtime import Runtime

        runtime = Runtime(config)
        # Operations work on the database as it is: no migrations run, pending ones are reported.
        await runtime.open_database(migrate=False, require_current=False)
        try:
            return await work(runtime)
        finally:
            await runtime.close_database()

    @app.command()
    def backup(
        keep: Annotated[int | None, typer.Option(help="Backups to keep (default: backup.keep).")] = None,
        config: ConfigOption = None,
    ) -> None:
        """Back up the database while the bot runs (SQLite backup API, or pg_dump)."""
        from guildkit.core import ops

        settings = load(config)
        with Progress(TextColumn("backing up"), BarColumn(), TaskProgressColumn(), console=console) as progress:
            task = progress.add_task("backup", total=None)

            def report(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            path = run(with_database(settings, lambda runtime: ops.backup(runtime, keep=keep, progress=report)))
        console.print(f"[green]backup written:[/] {path} ({path.stat().st_size / 1e6:.2f} MB)")

    @app.command()
    def restore(
        file: Annotated[Path, typer.Argument(help="A file written by `guildkit backup`.")],
        yes: YesOption = False,
        config: ConfigOption = None,
    ) -> None:
        """Replace the database with a backup. Stop the bot first."""
        from guildkit.core import ops
        from guildkit.core.runtime import Runtime

        settings = load(config)
        runtime = Runtime(settings)
        target = runtime.database.describe()
        if not yes and not typer.confirm(f"Replace {target} with {file.name}? Everything since that backup is lost"):
            errors.print("Nothing was restored.")
            raise typer.Exit(code=1)
        run(ops.restore(runtime, file))
        console.print(f"[green]restored[/] {file.name} into {target}")

    @app.command()
    def health(
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
        config: ConfigOption = None,
    ) -> None:
        """Check the database, migrations, integrity, sizes and backups; exit 1 when unhealthy."""
        from guildkit.core import ops
        from guildkit.core.errors import GuildkitError

        settings = load(config)
        try:
            checks = run(with_database(settings, ops.health))
        except typer.Exit:
            checks = None
        except GuildkitError as error:
            checks = [ops.Check("database", False, str(error))]
        if checks is None:
            checks = [ops.Check("database", False, "cannot reach the database")]
        healthy = all(check.ok for check in checks)
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "healthy": healthy,
                        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail, **c.data} for c in checks],
                    },
                    default=str,
                )
            )
        else:
            table = Table(title="guildkit health")
            for column in ("check", "", "detail"):
                table.add_column(column)
            for check in checks:
                table.add_row(check.name, "[green]ok[/]" if check.ok else "[red]FAIL[/]", check.detail)
            console.print(table)
        if not healthy:
            raise typer.Exit(code=1)

    @app.command()
    def optimize(config: ConfigOption = None) -> None:
        """VACUUM and ANALYZE the database as its dialect needs."""
        from guildkit.core import ops

        statements = run(with_database(load(config), ops.optimize))
        console.print("[green]done:[/] " + "; ".join(statements))

    @app.command()
    def retention(
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would go.")] = False,
        config: ConfigOption = None,
    ) -> None:
        """Apply every plugin's retention policies now (they also run daily)."""

        async def work(runtime: Any) -> Any:
            return await runtime.retention.run(dry_run=dry_run)

        results = run(with_database(load(config), work))
        table = Table(title="retention" + (" (dry run: nothing changed)" if dry_run else ""))
        for column in ("plugin", "policy", "table", "action", "keep", "rows"):
            table.add_column(column, justify="right" if column == "rows" else "left")
        for r in results:
            keep = "forever" if r.keep is None else f"{r.keep.days} d" if r.keep.days else str(r.keep)
            table.add_row(r.owner, r.policy, r.table, r.action, keep, f"{r.rows:,}")
        console.print(table)

    @app.command("purge-plugin")
    def purge_plugin(
        name: Annotated[str, typer.Argument(help="The name of a plugin that is no longer installed.")],
        yes: YesOption = False,
        config: ConfigOption = None,
    ) -> None:
        """Delete the tables, flags, settings and jobs a removed plugin left behind."""
        from guildkit.core import ops

        settings = load(config)

        async def plan(runtime: Any) -> ops.DepartedPlugin:
            return await ops.departed_plugin(runtime, name)

        found = run(with_database(settings, plan))
        table = Table(title=f"data of the removed plugin {name!r}")
        table.add_column("what")
        table.add_column("rows", justify="right")
        for table_name, rows in found.tables.items():
            table.add_row(f"table {table_name}", f"{rows:,}")
        table.add_row("feature flags", str(found.flags))
        table.add_row("settings", str(found.settings))
        table.add_row("scheduled jobs", str(found.jobs))
        console.print(table)
        if not yes and not typer.confirm("Delete all of this for good?"):
            errors.print("Nothing was deleted.")
            raise typer.Exit(code=1)

        async def purge(runtime: Any) -> None:
            await ops.purge_departed_plugin(runtime, found)

        run(with_database(settings, purge))
        console.print(f"[green]deleted[/] everything {name!r} left behind")
