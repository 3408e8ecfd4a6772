from typing import Any

import pytest


@pytest.fixture
def economy_set() -> Any:
    """Change an economy setting of a guild as a server manager would (``/config set``)."""

    async def set_(gk: Any, guild: Any, **values: Any) -> None:
        for key, value in values.items():
            await gk.bot.settings.set(guild.id, "economy", key, str(value), channel_id=None, actor_id=None)

    return set_
