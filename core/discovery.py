"""Finding installed plugins and ordering them by their declared dependencies."""

from __future__ import annotations

import graphlib
import importlib
import logging
import pkgutil
from collections.abc import Iterable
from dataclasses import replace
from importlib.metadata import entry_points

from guildkit.core.errors import StartupError
from guildkit.core.plugin import Plugin

log = logging.getLogger("guildkit.discovery")

ENTRY_POINT_GROUP = "guildkit.plugins"
BUILTIN_PACKAGE = "guildkit.plugins"


def _declaration(obj: object, where: str) -> Plugin:
    if isinstance(obj, Plugin):
        return obj
    candidate = getattr(obj, "plugin", None)
    if isinstance(candidate, Plugin):
        return candidate
    raise StartupError(f"{where} does not expose a guildkit Plugin declaration (expected `plugin = Plugin(...)`)")


def builtin_plugins() -> list[Plugin]:
    package = importlib.import_module(BUILTIN_PACKAGE)
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg:
            continue
        module_name = f"{BUILTIN_PACKAGE}.{info.name}"
        module = importlib.import_module(module_name)
        if not hasattr(module, "plugin"):
            continue  # a folder being built, not yet a plugin
        found.append(replace(_declaration(module, module_name), origin="builtin", module=module_name))
    return found


def entry_point_plugins() -> list[Plugin]:
    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as error:
            raise StartupError(
                f"plugin entry point {entry.name!r} ({entry.value}) failed to import: {error}"
            ) from error
        plugin = _declaration(loaded, f"entry point {entry.name!r} ({entry.value})")
        module_name = entry.value.split(":")[0]
        found.append(replace(plugin, origin=f"entry point {entry.name}", module=plugin.module or module_name))
    return found


def installed_plugins(extra: Iterable[Plugin] = ()) -> dict[str, Plugin]:
    """All plugins this installation can load, by name. ``extra`` serves tests and embedding."""
    plugins: dict[str, Plugin] = {}
    for plugin in [*builtin_plugins(), *entry_point_plugins(), *extra]:
        if (existing := plugins.get(plugin.name)) is not None and existing.module != plugin.module:
            raise StartupError(
                f"two plugins are named {plugin.name!r}: {existing.module} ({existing.origin}) and "
                f"{plugin.module} ({plugin.origin}); uninstall one of them"
            )
        plugins[plugin.name] = plugin
    return plugins


def resolve_load_order(installed: dict[str, Plugin], wanted: Iterable[str] | str) -> list[Plugin]:
    """The plugins to load, dependencies first.

    Raises StartupError naming the plugins for an unknown name, a missing dependency or a cycle.
    """
    names = sorted(installed) if wanted == "*" else list(dict.fromkeys(wanted))
    unknown = [name for name in names if name not in installed]
    if unknown:
        raise StartupError(
            f"bot.toml asks for plugin(s) {', '.join(unknown)} which are not installed. "
            f"Installed: {', '.join(sorted(installed)) or 'none'}. "
            "Install the package that provides it, or remove it from [plugins] load."
        )
    selected = set(names)
    for name in names:
        missing = [dep for dep in installed[name].requires if dep not in selected]
        if missing:
            hint = "not installed" if any(dep not in installed for dep in missing) else "not in [plugins] load"
            raise StartupError(f"plugin {name!r} requires {', '.join(missing)}, which is {hint}")
    # Optional dependencies (``uses``) order the load only when they are loaded too.
    graph = {
        name: (*installed[name].requires, *(dep for dep in installed[name].uses if dep in selected))
        for name in sorted(names)
    }
    sorter = graphlib.TopologicalSorter(graph)
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as error:
        cycle = " -> ".join(error.args[1])
        raise StartupError(f"plugin dependency cycle: {cycle}") from None
    return [installed[name] for name in order]
