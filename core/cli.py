"""The ``guildkit`` command line (typer + rich)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

# First, while few modules are loaded: interactions.py names its sentinels at import time with
# inspect.stack(), whose cost grows with the modules loaded and the stack's depth (0.2-0.5 s more
# when it came after pydantic, tortoise and rich).
import interactions  # noqa: F401
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from guildkit.core.config import BotConfig, load_config
from guildkit.core.errors import GuildkitError

app = typer.Typer(
    help="guildkit: run and manage a plugin-based Discord bot.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
plugins_app = typer.Typer(help="Installed plugins.", no_args_is_help=True)
app.add_typer(plugins_app, name="plugins")

console = Console()
errors = Console(stderr=True)
T = TypeVar("T")

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Path to bot.toml (default: $GUILDKIT_CONFIG or ./bot.toml)."),
]


def _fail(message: str, code: int = 1) -> None:
    # soft_wrap: one error is one line, whatever the terminal width (scripts grep it).
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code=code)


def _load(config_path: Path | None) -> BotConfig:
    try:
        from guildkit.core.logs import configure_logging

        config = load_config(config_path)
        configure_logging(config.logging)
        return config
    except GuildkitError as error:
        _fail(str(error))
        raise  # unreachable; for type checkers


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(coroutine)
    except GuildkitError as error:
        _fail(str(error), getattr(error, "exit_code", 1))
        raise
    except Exception as error:
        from guildkit.core.errors import report_unexpected

        error_id = report_unexpected(error, "the command line")
        _fail(f"unexpected error (id {error_id}); the log above has the details under that id")
        raise


@app.command()
def run(config: ConfigOption = None) -> None:
    """Connect to Discord and run the bot until Ctrl-C."""
    from guildkit.core.runtime import Runtime, freeze_startup_objects

    settings = _load(config)

    async def main() -> None:
        runtime = Runtime(settings)
        try:
            await runtime.start()
            freeze_startup_objects()
            console.print(f"[green]guildkit is running[/] with {len(runtime.plugins)} plugin(s). Ctrl-C stops it.")
            await runtime.wait_closed()
        finally:
            await runtime.close()

    with contextlib.suppress(KeyboardInterrupt):
        _run(main())


@app.command()
def migrate(config: ConfigOption = None) -> None:
    """Apply pending migrations of the core and every loaded plugin, dependencies first."""
    from guildkit.core.runtime import Runtime

    settings = _load(config)

    async def main() -> dict[str, list[str]]:
        runtime = Runtime(settings)
        try:
            return await runtime.open_database(migrate=True)
        finally:
            await runtime.close_database()

    applied = _run(main())
    if not applied:
        console.print("Database is up to date.")
    for label, files in applied.items():
        for name in files:
            console.print(f"[green]applied[/] {label}: {name}")


@app.command()
def makemigrations(
    plugin: Annotated[str, typer.Argument(help="Plugin name, or `core`.")],
    name: Annotated[str, typer.Option("--name", "-n", help="Name of the migration.")] = "update",
    config: ConfigOption = None,
) -> None:
    """Generate the next migration of PLUGIN for every supported dialect (SQLite and PostgreSQL)."""
    from guildkit.core import migrations
    from guildkit.core.db import SUPPORTED_DIALECTS
    from guildkit.core.discovery import installed_plugins

    _load(config)
    if plugin == "core":
        target = migrations.core_app()
    else:
        try:
            installed = installed_plugins()
        except GuildkitError as error:
            _fail(str(error))
            raise
        if plugin not in installed:
            _fail(f"no installed plugin is called {plugin!r}. Installed: {', '.join(sorted(installed)) or 'none'}")
        found = migrations.plugin_app(installed[plugin])
        if found is None:
            _fail(f"plugin {plugin!r} declares no models, so it has no migrations")
        assert found is not None
        target = found

    async def main() -> list[tuple[str, Path | None]]:
        return [(dialect, await migrations.make_migrations(target, dialect, name)) for dialect in SUPPORTED_DIALECTS]

    for dialect, path in _run(main()):
        if path is None:
            console.print(f"{dialect}: no changes")
        else:
            console.print(f"[green]{dialect}[/]: wrote {path}")


@app.command("new-plugin")
def new_plugin(
    name: Annotated[str, typer.Argument(help="Plugin name: a lowercase identifier, e.g. quotes.")],
    directory: Annotated[
        Path,
        typer.Option(
            "--dir", "-d", help="Where to create the project folder guildkit-NAME (default: the current folder)."
        ),
    ] = Path("."),
) -> None:
    """Create a plugin project in DIR/guildkit-NAME: package guildkit_NAME with an example slash
    command, its model, service, settings, privacy hooks, first migrations (SQLite and PostgreSQL)
    and a passing end-to-end test."""
    from guildkit.core.scaffold import ScaffoldError
    from guildkit.core.scaffold import new_plugin as scaffold

    try:
        project = scaffold(name, directory)
    except ScaffoldError as error:
        _fail(str(error))
        raise
    console.print(f"[green]created[/] {escape(str(project))}", soft_wrap=True)
    # Plain lines to copy: no markup (it would eat "[test]") and no wrapping.
    next_steps = f'Next:\n  cd {project}\n  pip install -e ".[test]"\n  pytest'
    console.print(next_steps, highlight=False, markup=False, soft_wrap=True)


@plugins_app.command("list")
def plugins_list(config: ConfigOption = None) -> None:
    """Installed plugins, whether bot.toml loads them, and their migration state."""
    from guildkit.core import migrations
    from guildkit.core.discovery import installed_plugins
    from guildkit.core.runtime import Runtime

    settings = _load(config)

    async def main() -> tuple[dict[str, Any], list[str], str | None]:
        from guildkit.core import db

        runtime = Runtime(settings)
        loaded = [p.name for p in runtime.plugins]
        try:
            await db.open_database(runtime.database, runtime.plugins)
            states = {s.label: s for s in await migrations.status(runtime.database, runtime.apps())}
            return states, loaded, None
        except GuildkitError as error:
            return {}, loaded, str(error)
        finally:
            await db.close_database()

    try:
        installed = installed_plugins()
    except GuildkitError as error:
        _fail(str(error))
        raise
    states, loaded, db_problem = _run(main())
    table = Table(title="guildkit plugins")
    for column in ("plugin", "version", "source", "loaded", "default", "migrations", "description"):
        table.add_column(column)
    for plugin_name, plugin in sorted(installed.items()):
        state = states.get(plugin.app_label)
        if not plugin.models:
            migration_text = "no models"
        elif state is None:
            migration_text = "?"
        elif state.pending:
            migration_text = f"[yellow]{len(state.pending)} pending[/]"
        else:
            migration_text = f"[green]{len(state.applied)} applied[/]"
        table.add_row(
            plugin_name,
            plugin.version,
            plugin.origin,
            "yes" if plugin_name in loaded else "no",
            "on" if plugin.enabled_by_default else "off",
            migration_text,
            plugin.description,
        )
    console.print(table)
    if db_problem:
        errors.print(f"[yellow]migration state unknown:[/] {db_problem}")


@app.command()
def playground(
    config: ConfigOption = None,
    database: Annotated[
        str | None,
        typer.Option("--database", help="Database URL to use (default: a temporary SQLite file, deleted on exit)."),
    ] = None,
    plugin: Annotated[
        list[str] | None,
        typer.Option("--plugin", help="Also load the Plugin declared at MODULE:ATTR (repeatable)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show INFO logs.")] = False,
) -> None:
    """Try the bot without Discord: a local Discord, the bot with every installed plugin, and a
    prompt where you act as a member of a demo server (reads standard input, so it can be scripted)."""
    from guildkit.core.playground import PlaygroundOptions
    from guildkit.core.playground import run as run_playground

    options = PlaygroundOptions(config_path=config, database_url=database, plugin_specs=plugin or (), verbose=verbose)
    with contextlib.suppress(KeyboardInterrupt):
        _run(run_playground(options))


def _register_operations() -> None:
    from guildkit.core.cli_ops import register

    register(app, load=_load, run=_run, console=console, errors=errors)


_register_operations()


def main() -> None:
    from guildkit.core.cli_plugins import mount

    mount(app)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
