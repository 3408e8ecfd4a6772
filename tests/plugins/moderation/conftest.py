from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class ModGuild:
    guild: Any
    mod: Any
    bob: Any
    modlog: Any


@pytest.fixture
def mod_guild(gk: Any) -> Any:
    """A guild with moderation on, a moderator (a Mods role with the moderator permissions), a
    member bob and a #mod-log channel set as the mod-log."""

    async def make(**settings: Any) -> ModGuild:
        guild = await gk.guild(plugins=["moderation"])
        mods = guild.add_role("Mods", ["KICK_MEMBERS", "BAN_MEMBERS", "MODERATE_MEMBERS"])
        mod = await guild.member("mod", roles=[mods])
        bob = await guild.member("bob")
        modlog = guild.add_channel("mod-log")
        values = {"modlog_channel_id": modlog.id, **settings}
        for key, value in values.items():
            await gk.bot.settings.set(guild.id, "moderation", key, str(value), channel_id=None, actor_id=None)
        return ModGuild(guild, mod, bob, modlog)

    return make
