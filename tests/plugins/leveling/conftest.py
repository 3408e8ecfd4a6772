"""Helpers for the leveling tests: reach the running bot's leveling state and members' stored rows."""

from typing import Any

import pytest

from guildkit.core.testing.harness import eventually
from guildkit.plugins.leveling.models import Member
from guildkit.plugins.leveling.state import LevelingState


class Lv:
    def __init__(self, gk: Any) -> None:
        self.gk = gk

    @property
    def state(self) -> LevelingState:
        return self.gk.bot.state(LevelingState)

    async def flush(self) -> Any:
        return await self.state.flush()

    async def say(self, member: Any, text: str = "hi", channel: Any = None) -> Any:
        """Say something and wait until the leveling listener has counted it."""
        running = self.state.engine
        before = running.seen_messages
        message = await member.say(text, channel)
        await eventually(lambda: _true(running.seen_messages > before))
        return message

    async def xp(self, guild: Any, member: Any) -> int:
        await self.flush()
        row = await Member.get_or_none(guild_id=guild.id, user_id=member.id)
        return row.xp if row else 0

    async def row(self, guild: Any, member: Any) -> Member | None:
        await self.flush()
        return await Member.get_or_none(guild_id=guild.id, user_id=member.id)

    async def bronze_at_level_one(self, **settings: Any) -> tuple[Any, Any, Any, Any]:
        """A server where reaching level 1 gives @Bronze and level-ups are announced in #levels:
        (guild, bronze, admin, levels). ``settings`` are more leveling settings to set."""
        guild = await self.gk.guild(plugins=["leveling"])
        bronze = guild.add_role("Bronze")
        admin = await guild.member("ada", admin=True)
        levels = guild.add_channel("levels")
        await self.configure(guild, admin, announce="channel", announce_channel_id=levels.id, **settings)
        await admin.slash("levelrole add", role=bronze.id, level=1)
        await self.gk.bot.scheduler.run_due()
        return guild, bronze, admin, levels

    async def configure(self, guild: Any, admin: Any, **values: Any) -> None:
        for key, value in values.items():
            reply = await admin.slash("config set", plugin="leveling", key=key, value=str(value))
            assert not reply.ephemeral or "now" in reply.text or "set" in reply.text.lower(), reply.text


@pytest.fixture
def lv(gk: Any) -> Lv:
    return Lv(gk)


async def _true(value: bool) -> bool:
    return value
