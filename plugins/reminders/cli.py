"""``guildkit import reminders FILE.json [--dry-run]`` (also ``guildkit reminders import``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from guildkit.core import clock
from guildkit.core.cli_plugins import open_runtime, run

from .errors import ImportRefused
from .service import importer

app = typer.Typer(help="The reminders plugin: import legacy data.", no_args_is_help=True)
console = Console()


def backup_copy(path: Path) -> Path:
    """A copy of the file next to it, named with the time; the original is left as it was."""
    target = path.with_name(f"{path.name}.{clock.now():%Y%m%d-%H%M%S}.bak")
    shutil.copy2(path, target)
    return target


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="The legacy JSON file (see the reminders README for its format).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Path to bot.toml.")] = None,
) -> None:
    """Import seed 002's watched events and their reactions (idempotent; a bad file writes nothing)."""
    try:
        events = importer.read_file(file)
    except ImportRefused as error:
        console.print(f"[bold red]refused:[/] {error}", highlight=False)
        raise typer.Exit(code=1) from None

    async def main() -> importer.ImportPlan:
        async with open_runtime(config) as runtime:
            planned = await importer.plan(events)
            table = Table(title=f"{file.name}: {len(events)} record(s)")
            for column in ("create", "update", "unchanged", "reactions to write"):
                table.add_column(column)
            table.add_row(
                str(planned.count("create")),
                str(planned.count("update")),
                str(planned.count("unchanged")),
                str(planned.reactions),
            )
            console.print(table)
            if dry_run or planned.count("unchanged") == len(planned.records):
                return planned
            backup = backup_copy(file)
            console.print(f"backup of the file: {backup}")
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("importing", total=len(planned.records))
                await importer.apply(runtime, planned, lambda n: progress.advance(task, n))
            return planned

    planned = run(main())
    if dry_run:
        console.print("[yellow]dry run:[/] nothing was written.")
    elif planned.count("unchanged") == len(planned.records):
        console.print("Nothing to do: everything in the file is already imported.")
    else:
        console.print(
            f"[green]imported:[/] {planned.count('create')} created, {planned.count('update')} updated, "
            f"{planned.count('unchanged')} unchanged."
        )
