from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime


@pytest_asyncio.fixture
async def runtime(gk_database_url: str, gk_plugins: list[Any], gk_clock: Any) -> AsyncIterator[Runtime]:
    """A runtime with the toy plugins on a fresh, migrated database, without a Discord client."""
    config = parse_config(
        {"database": {"url": gk_database_url}, "plugins": {"greeter": {"settings": {"max_greetings": 5}}}}
    )
    runtime = Runtime(config, extra_plugins=gk_plugins)
    await runtime.open_database()
    try:
        yield runtime
    finally:
        await runtime.close_database()
