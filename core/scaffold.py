"""``guildkit new-plugin NAME``: a third-party plugin project that passes its own end-to-end test.

The project lands in ``DIR/guildkit-NAME`` (distribution ``guildkit-NAME``, package
``guildkit_NAME``, entry point ``NAME = "guildkit_NAME:plugin"``). Its files come from the
templates in ``scaffold_template/`` (``{{name}}``-style placeholders, ``.tmpl`` so no tool reads
them as code); its first migrations are generated from its models by the same function
``guildkit makemigrations`` uses, so they are exactly what aerich would write.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import keyword
import pkgutil
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from guildkit.core.errors import GuildkitError

TEMPLATE_DIR = Path(__file__).parent / "scaffold_template"
#: Discord's limit on a slash command name; the example command is named after the plugin.
MAX_NAME_LENGTH = 32
_NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
#: Names the core itself uses as app labels or command targets.
_RESERVED = frozenset({"core", "guildkit", "aerich", "models"})


class ScaffoldError(GuildkitError):
    """The project cannot be generated; the message says why in one line."""


def validate_name(name: str) -> None:
    """Refuse names that cannot be a plugin, a package suffix and a slash command at once."""
    if not _NAME_PATTERN.fullmatch(name):
        raise ScaffoldError(
            f"plugin name {name!r} must be a lowercase identifier: a letter, then letters, digits or _ "
            "(for example quotes or daily_quote)"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise ScaffoldError(f"plugin name {name!r} is longer than {MAX_NAME_LENGTH} characters (Discord's limit)")
    if keyword.iskeyword(name) or name in _RESERVED or name in builtin_plugin_names():
        raise ScaffoldError(f"plugin name {name!r} is taken by Python or by guildkit itself; choose another")


def builtin_plugin_names() -> set[str]:
    package = importlib.import_module("guildkit.plugins")
    return {info.name for info in pkgutil.iter_modules(package.__path__) if info.ispkg}


def project_dir(name: str, parent: Path) -> Path:
    return parent / f"guildkit-{name.replace('_', '-')}"


def placeholders(name: str) -> dict[str, str]:
    try:
        version = importlib.metadata.version("guildkit")
    except importlib.metadata.PackageNotFoundError:  # running from a source tree
        version = "0.1.0"
    return {
        "name": name,
        "Name": "".join(part.capitalize() for part in name.split("_")),
        "package": f"guildkit_{name}",
        "dist": f"guildkit-{name.replace('_', '-')}",
        "guildkit_version": version,
    }


def _target_path(template: Path, values: dict[str, str]) -> Path:
    """Where a template file goes inside the project."""
    relative = template.relative_to(TEMPLATE_DIR).with_suffix("")  # drop .tmpl
    parts = list(relative.parts)
    if parts[0] == "package":
        parts[0] = values["package"]
    if parts[-1] == "command.py":
        parts[-1] = f"{values['name']}.py"
    elif parts[-1] == "test_plugin.py":
        parts[-1] = f"test_{values['name']}.py"
    elif parts[-1] == "gitignore":
        parts[-1] = ".gitignore"  # a dotfile template would be skipped by package-data globs
    return Path(*parts)


def render(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise ScaffoldError(f"template placeholder left unfilled: {text[text.index('{{') :][:40]!r}")
    return text


def new_plugin(name: str, parent: Path) -> Path:
    """Write the project for plugin ``name`` into ``parent/guildkit-NAME`` and return that folder.

    Refuses a bad name or a non-empty target folder before writing anything; removes what it
    wrote if a later step fails.
    """
    validate_name(name)
    target = project_dir(name, parent)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not empty; remove it or pass another --dir")
    existed = target.exists()
    values = placeholders(name)
    try:
        for template in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
            path = target / _target_path(template, values)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(template.read_text(encoding="utf-8"), values), encoding="utf-8")
        generate_first_migrations(target, values["package"], name)
    except BaseException:
        # Leave the folder as it was: empty, or absent.
        shutil.rmtree(target, ignore_errors=True)
        if existed:
            target.mkdir()
        raise
    return target


@contextmanager
def _importable(project: Path, package: str) -> Iterator[None]:
    """Make the not-yet-installed ``package`` importable from ``project``, and forget it after."""
    sys.path.insert(0, str(project))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(project))
        for module in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[module]


def generate_first_migrations(project: Path, package: str, name: str) -> list[Path]:
    """The project's first migration for every dialect, from its models (nothing installed yet)."""
    from guildkit.core import migrations
    from guildkit.core.db import SUPPORTED_DIALECTS

    app = migrations.App(label=name, models=(f"{package}.models",), migrations_root=project / package / "migrations")

    async def generate() -> list[Path]:
        written = [await migrations.make_migrations(app, dialect, "init") for dialect in SUPPORTED_DIALECTS]
        return [path for path in written if path is not None]

    with _importable(project, package):
        return asyncio.run(generate())
