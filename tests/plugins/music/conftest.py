"""The music tests: a Lavalink node emulator the bot is configured with, and a guild with voice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from guildkit.core.testing.harness import eventually
from guildkit.core.testing.lavalink import LavalinkNodeEmulator
from guildkit.plugins.music.state import MusicState


@pytest_asyncio.fixture
async def lavalink_node(gk_clock: Any) -> AsyncIterator[LavalinkNodeEmulator]:
    node = await LavalinkNodeEmulator(name="main").start()
    yield node
    await node.stop()


def node_config(*nodes: LavalinkNodeEmulator) -> dict[str, Any]:
    return {
        "plugins": {
            "music": {
                "config": {
                    "nodes": [{"host": n.host, "port": n.port, "password": n.password, "name": n.name} for n in nodes]
                }
            }
        }
    }


@pytest.fixture
def gk_config(lavalink_node: LavalinkNodeEmulator) -> dict[str, Any]:
    return node_config(lavalink_node)


async def music_ready(gk: Any) -> MusicState:
    """The bot's music state once its node is connected."""
    state = gk.bot.state(MusicState)

    async def ready() -> bool:
        return state.lavalink is not None and bool(state.lavalink.node_manager.available_nodes)

    await eventually(ready)
    return state


@pytest_asyncio.fixture
async def music_guild(gk: Any) -> Any:
    guild = await gk.guild(plugins=["music"])
    guild.add_channel("Lounge", kind="voice")
    guild.add_channel("Stage", kind="voice")
    await music_ready(gk)
    return guild


def posts(guild: Any, channel: str = "general") -> list[str]:
    """What the bot posted in a channel (not interaction replies), oldest first."""
    return [m.content for m in guild.bot_messages(channel) if m.interaction_id is None]


async def configure(admin: Any, channel: Any = None, **values: Any) -> None:
    """Change music settings as a server manager would (``/config set``), per channel if given."""
    for key, value in values.items():
        options: dict[str, Any] = {"plugin": "music", "key": key, "value": str(value).lower()}
        if channel is not None:
            options["channel"] = channel.id
        reply = await admin.slash("config set", **options)
        assert "music" in reply.text and key in reply.text, reply.text


async def plays(guild_id: int) -> list[Any]:
    from guildkit.plugins.music.models import MusicPlay

    return await MusicPlay.filter(guild_id=guild_id).order_by("id")


async def now_on_node(node: LavalinkNodeEmulator, guild_id: int) -> str | None:
    player = node.live_player(guild_id)
    return None if player is None or player.track is None else player.track.identifier
