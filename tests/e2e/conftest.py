from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def command_names() -> Callable[..., set[str]]:
    """Names of the application commands the emulator holds for a guild (or globally)."""

    def names(emulator: Any, guild: Any = None) -> set[str]:
        return {c["name"] for c in emulator.commands(guild)}

    return names
