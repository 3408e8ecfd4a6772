"""Shared test setup: the toy plugins, one of them installed through a real entry point."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

TOY_PLUGINS = Path(__file__).parent / "toy_plugins"
sys.path.insert(0, str(TOY_PLUGINS))


@pytest.fixture
def greeter_plugin() -> Any:
    import gk_toy_greeter

    # Loaded by path, as a test-local plugin would be: not installed, passed to the runtime.
    return replace(gk_toy_greeter.plugin, module="gk_toy_greeter", origin="test")


@pytest.fixture
def echo_installed(tmp_path: Path) -> Iterator[None]:
    """Install the echo toy the way pip would: a dist-info with a ``guildkit.plugins`` entry point."""
    site = tmp_path / "site"
    dist = site / "gk_toy_echo-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gk-toy-echo\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text("[guildkit.plugins]\necho = gk_toy_echo:plugin\n")
    sys.path.insert(0, str(site))
    try:
        yield
    finally:
        sys.path.remove(str(site))


@pytest.fixture
def gk_plugins(greeter_plugin: Any) -> list[Any]:
    return [greeter_plugin]


@pytest.fixture(autouse=True)
def reset_toy_state() -> Iterator[None]:
    """The toy plugins keep what they saw in module globals; every test starts clean."""
    yield
    import gk_toy_echo
    import gk_toy_greeter.hooks
    import gk_toy_greeter.jobs

    gk_toy_greeter.jobs.failures_left.clear()
    gk_toy_greeter.hooks.seen.clear()
    gk_toy_echo.greeted.clear()
