"""Field descriptions from ``#:`` comments: guildkit's one-parse-per-module reader gives exactly
what Tortoise's own reader gives, for every model of the core and the built-in plugins (they are
the column comments of the PostgreSQL migrations, so a difference would show as a schema change)."""

from __future__ import annotations

import importlib

import tortoise.models

from guildkit.core import model_comments
from guildkit.core.discovery import builtin_plugins


def every_model() -> list[type[tortoise.models.Model]]:
    modules = ["guildkit.core.models"] + [plugin.models for plugin in builtin_plugins() if plugin.models]
    found = []
    for name in modules:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, tortoise.models.Model)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_comments_read_once_per_module_equal_tortoises_own() -> None:
    models = every_model()
    assert len(models) > 30
    described = 0
    for model in models:
        ours = model_comments._get_comments(model)
        assert ours == model_comments._library_get_comments(model), model.__qualname__
        described += bool(ours)
    assert described >= 5  # the built-in models do document fields with #: comments


def test_installed_for_every_model_guildkit_creates() -> None:
    importlib.import_module("guildkit.core.models")
    assert tortoise.models._get_comments is model_comments._get_comments
