"""guildkit's pytest plugin (entry point ``pytest11``): fixtures for testing bots and plugins.

Fixtures:
- ``gk``: a :class:`~guildkit.core.testing.harness.GuildkitHarness` — emulator, real bot, database.
- ``gk_database_url``: a fresh database, parametrised over ``sqlite`` and ``postgres``.
- ``gk_emulator``: the local Discord alone.
- ``gk_clock``: the controllable clock every guildkit component reads.
- ``gk_guild``, ``gk_member``, ``gk_admin``: a guild with the bot, a plain member, an administrator.
- ``gk_plugins`` / ``gk_config``: override in your conftest.py to add plugins or change bot.toml.

PostgreSQL runs when ``GUILDKIT_TEST_POSTGRES_URL`` is set and is skipped with a reason otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

#: A Monday, noon UTC: tests start from the same moment every run.
TEST_EPOCH = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "gk_sqlite_only: run this guildkit test on SQLite only")
    config.addinivalue_line("markers", "gk_postgres_only: run this guildkit test on PostgreSQL only")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "gk_dialect" not in metafunc.fixturenames:
        return
    dialects = ["sqlite", "postgres"]
    if metafunc.definition.get_closest_marker("gk_sqlite_only"):
        dialects = ["sqlite"]
    if metafunc.definition.get_closest_marker("gk_postgres_only"):
        dialects = ["postgres"]
    metafunc.parametrize("gk_dialect", dialects, indirect=False)


@pytest.fixture
def gk_clock() -> Iterator[Any]:
    from guildkit.core import clock

    manual = clock.ManualClock(start=TEST_EPOCH)
    previous = clock.use(manual)
    try:
        yield manual
    finally:
        clock.use(previous)


@pytest_asyncio.fixture
async def gk_database_url(gk_dialect: str, tmp_path: Path) -> AsyncIterator[str]:
    from guildkit.core.testing.databases import fresh_database

    async with fresh_database(gk_dialect, tmp_path) as url:
        yield url


@pytest_asyncio.fixture
async def gk_emulator(gk_clock: Any) -> AsyncIterator[Any]:
    from guildkit.core.testing.emulator import DiscordEmulator

    emulator = DiscordEmulator()
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
def gk_plugins() -> list[Any]:
    """Extra Plugin declarations the test bot loads besides the installed ones."""
    return []


@pytest.fixture
def gk_config() -> dict[str, Any]:
    """bot.toml overrides for the test bot, as a nested dict."""
    return {}


@pytest_asyncio.fixture
async def gk(
    gk_emulator: Any, gk_database_url: str, gk_clock: Any, gk_plugins: list[Any], gk_config: dict[str, Any]
) -> AsyncIterator[Any]:
    from guildkit.core.testing.harness import GuildkitHarness

    harness = GuildkitHarness(gk_emulator, gk_database_url, gk_clock, plugins=gk_plugins, config=gk_config)
    try:
        yield harness
    finally:
        await harness.close()


@pytest_asyncio.fixture
async def gk_guild(gk: Any) -> Any:
    """A guild with the bot in it; plugins as their defaults say (``await gk.guild(...)`` for more)."""
    return await gk.guild()


@pytest_asyncio.fixture
async def gk_member(gk_guild: Any) -> Any:
    """A plain member of ``gk_guild`` called alice."""
    return await gk_guild.member("alice")


@pytest_asyncio.fixture
async def gk_admin(gk_guild: Any) -> Any:
    """A member of ``gk_guild`` with Administrator, called ada."""
    return await gk_guild.member("ada", admin=True)
