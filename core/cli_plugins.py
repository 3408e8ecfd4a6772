"""Plugins' own command-line commands: ``Plugin(cli=typer.Typer(...))``.

A plugin's typer app is mounted as ``guildkit NAME ...``; its command named ``import`` is also
reachable as ``guildkit import NAME ...``, so every plugin's importer sits in one place. Plugins
are discovered only when the command line starts (not when ``guildkit.core.cli`` is imported), and
a plugin that fails to load leaves the other commands working.

Inside a command, :func:`open_runtime` gives a runtime on the configured database (migrated,
client not connected) and :func:`run` runs a coroutine, turning guildkit's errors into a short
message and exit code 1.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from guildkit.core.errors import GuildkitError

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

T = TypeVar("T")
IMPORT_COMMAND = "import"


def mount(app: typer.Typer, plugins: dict[str, Any] | None = None) -> list[str]:
    """Add every installed plugin's ``cli`` to ``app``; returns the plugin names mounted."""
    if plugins is None:
        from guildkit.core.discovery import installed_plugins

        try:
            plugins = installed_plugins()
        except GuildkitError:
            return []  # `guildkit plugins list` says what is wrong with them
    import_app = typer.Typer(help="Import data into a plugin: guildkit import PLUGIN FILE.", no_args_is_help=True)
    mounted = []
    for name, plugin in sorted(plugins.items()):
        if plugin.cli is None:
            continue
        app.add_typer(plugin.cli, name=name)
        mounted.append(name)
        for command in plugin.cli.registered_commands:
            if (command.name or "") == IMPORT_COMMAND:
                import_app.command(name, help=command.help or (command.callback.__doc__ if command.callback else None))(
                    command.callback
                )
    if import_app.registered_commands:
        app.add_typer(import_app, name=IMPORT_COMMAND)
    return mounted


@contextlib.asynccontextmanager
async def open_runtime(config_path: Path | None = None) -> AsyncIterator[Runtime]:
    """A runtime on the configured database with migrations applied; the bot is not connected."""
    from guildkit.core.config import load_config
    from guildkit.core.runtime import Runtime

    runtime = Runtime(load_config(config_path))
    await runtime.open_database()
    try:
        yield runtime
    finally:
        await runtime.close_database()


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; guildkit's errors become ``error: ...`` and exit code 1."""
    try:
        return asyncio.run(coroutine)
    except GuildkitError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=1) from None
