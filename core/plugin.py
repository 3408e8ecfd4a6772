"""The plugin contract: what a guildkit plugin declares about itself.

A plugin is a Python package whose top level exposes ``plugin = Plugin(...)``. Built-in plugins live
in ``guildkit.plugins``; third-party ones are found through the ``guildkit.plugins`` entry-point
group, pointing at that object (``myplugin = "my_package:plugin"``).
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from guildkit.core import model_comments

# Every plugin package imports this module before its models: read their #: comments fast.
model_comments.install()

if TYPE_CHECKING:
    import interactions

    from guildkit.core.permissions import PermissionLevel
    from guildkit.core.scheduler import JobKind
    from guildkit.core.state import PluginAPI, PluginState

RetentionAction = Literal["delete", "anonymise", "aggregate", "keep"]


@dataclass(frozen=True)
class RetentionPolicy:
    """How long rows of one model are kept, and what happens to them after.

    ``model`` is the model's class name inside the plugin's models module. ``keep`` is overridable
    per policy in bot.toml (``[plugins.NAME] retention = { POLICY_NAME = "30d" }``).

    Actions: ``delete`` expired rows; ``anonymise`` them (set ``anonymise_fields`` to NULL, keep
    the row); ``aggregate`` them with ``aggregate(rows)`` (which writes the plugin's ``rollup``
    model) and delete them in the same transaction; ``keep`` them forever (append-only audit).
    """

    name: str
    model: str
    time_field: str
    keep: timedelta | None
    action: RetentionAction = "delete"
    anonymise_fields: tuple[str, ...] = ()
    rollup: str | None = None
    aggregate: Callable[[Sequence[Any]], Awaitable[None]] | None = None
    #: Extra filters the expired rows must match, e.g. ``{"status__in": ("done", "failed")}``.
    only: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        if self.action == "keep" and self.keep is not None:
            raise ValueError(f"retention policy {self.name!r}: action 'keep' takes keep=None")
        if self.action != "keep" and self.keep is None:
            raise ValueError(f"retention policy {self.name!r}: action {self.action!r} needs a keep duration")
        if self.action == "anonymise" and not self.anonymise_fields:
            raise ValueError(f"retention policy {self.name!r}: action 'anonymise' needs anonymise_fields")
        if self.action == "aggregate" and (not self.rollup or self.aggregate is None):
            raise ValueError(f"retention policy {self.name!r}: action 'aggregate' needs rollup= and aggregate=")


@dataclass(frozen=True)
class Plugin:
    """Everything the core needs to know to load, gate, migrate and document a plugin."""

    name: str
    version: str
    description: str
    #: Plugins that must be loaded, and on in a guild before this one can be switched on there.
    requires: tuple[str, ...] = ()
    #: Optional dependencies: loaded first when installed, their APIs reachable through
    #: ``state.api(...)``; this plugin works without them (e.g. leveling pays coins when economy
    #: is there).
    uses: tuple[str, ...] = ()
    #: Dotted path of the Tortoise models module, e.g. ``"guildkit.plugins.leveling.models"``.
    models: str | None = None
    #: Folder holding one subfolder of aerich migrations per dialect (``sqlite/``, ``postgres/``).
    #: Defaults to ``migrations/`` next to the module that declares the plugin.
    migrations: Path | None = None
    retention: tuple[RetentionPolicy, ...] = ()
    #: Pydantic model of the per-guild settings; field defaults are the schema defaults.
    settings: type[BaseModel] | None = None
    enabled_by_default: bool = False
    #: Named sub-features, gated as ``"<plugin>.<feature>"`` FeatureFlag rows.
    features: dict[str, bool] = field(default_factory=dict)
    #: Gateway intents beyond Discord's defaults this plugin needs, by interactions.Intents name,
    #: e.g. ``("MESSAGE_CONTENT",)``. Privileged ones must also be switched on in the Developer Portal.
    intents: tuple[str, ...] = ()
    #: interactions.py Extension classes holding the plugin's commands, components and listeners.
    extensions: tuple[type[interactions.Extension], ...] = ()
    #: Models that keep a user's id after /privacy delete, with the reason (e.g. moderation
    #: audit). Everything else must be gone; a test scans every table to hold plugins to it.
    user_data_kept: dict[str, str] = field(default_factory=dict)
    #: The plugin's per-bot state class: built, started and stopped by the core (see core/state.py).
    state: type[PluginState] | None = None
    #: The plugin's public API class for other plugins, bound to each running bot; others reach
    #: it typed with ``state.api(EconomyAPI)`` (see core/state.py).
    api: type[PluginAPI] | None = None
    #: Turns this plugin's DomainErrors into the member's reply text (see core/errors.py).
    describe_error: Callable[[Any, Exception], Awaitable[str | None]] | None = None
    #: Permission levels this plugin adds (moderation's moderators, music's DJs); server managers
    #: attach roles to them with ``/permissions`` (see core/permissions.py).
    permission_levels: tuple[PermissionLevel, ...] = ()
    #: Kinds of scheduled work this plugin runs (reminders, temporary bans, quest resets...).
    jobs: tuple[JobKind, ...] = ()
    #: An object or module with ``@hookimpl`` functions (core hooks and other plugins' hooks).
    hooks: object | None = None
    #: A module of ``@hookspec`` functions this plugin adds, so other plugins can react to its events.
    hookspecs: ModuleType | None = None
    #: Command-line commands (a ``typer.Typer``), mounted as ``guildkit NAME ...``; a command of it
    #: named ``import`` is also ``guildkit import NAME ...`` (see core/cli_plugins.py).
    cli: Any = None
    #: Set by discovery: where the declaration came from (``builtin`` or ``entry point``).
    origin: str = "builtin"
    module: str = ""

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name != self.name.lower():
            raise ValueError(f"plugin name {self.name!r} must be a lowercase identifier")
        import interactions

        for intent in self.intents:
            if intent not in interactions.Intents.__members__:
                raise ValueError(f"plugin {self.name}: unknown gateway intent {intent!r}")
        from guildkit.core.state import PluginAPI, PluginState

        if self.state is not None and not (isinstance(self.state, type) and issubclass(self.state, PluginState)):
            raise ValueError(f"plugin {self.name}: state= takes a PluginState subclass")
        if self.api is not None and not (isinstance(self.api, type) and issubclass(self.api, PluginAPI)):
            raise ValueError(f"plugin {self.name}: api= takes a PluginAPI subclass")
        if self.api is not None:
            # Lets a plugin that uses this API name its provider even where it is not loaded.
            self.api.provider = self.name
        overlap = set(self.requires) & set(self.uses)
        if overlap:
            raise ValueError(f"plugin {self.name}: {', '.join(sorted(overlap))} in both requires and uses")
        for feature in self.features:
            if not feature.isidentifier():
                raise ValueError(f"plugin {self.name}: feature name {feature!r} must be an identifier")

    @property
    def app_label(self) -> str:
        """The Tortoise app label of this plugin's models."""
        return self.name

    def migrations_dir(self, dialect: str) -> Path:
        base = self.migrations
        if base is None:
            if not self.module:
                raise ValueError(f"plugin {self.name} has no migrations folder and no module")
            module_file = importlib.import_module(self.module).__file__
            assert module_file is not None
            base = Path(module_file).parent / "migrations"
        return base / dialect

    def default_settings(self) -> dict[str, Any]:
        if self.settings is None:
            return {}
        return self.settings().model_dump()
