"""A level-up's role and announcement go out as soon as the level is committed, not at the
scheduler's next poll: the job is stored in the level's transaction and the scheduler is woken
after the commit (a wake before it would find nothing to claim)."""

from __future__ import annotations

from typing import Any

import pytest

from guildkit.core.testing.harness import eventually


@pytest.fixture
def gk_config() -> dict[str, Any]:
    # A poll far longer than the wait below: only the wake after the commit can deliver in time.
    return {"scheduler": {"poll_seconds": 120}}


async def test_a_level_up_is_delivered_at_once_not_at_the_next_poll(gk, lv) -> None:
    guild, _bronze, admin, levels = await lv.bronze_at_level_one()
    alice = await guild.member("alice")

    await admin.slash("xp add", member=alice.id, amount=150)  # level 1

    async def delivered() -> bool:
        announced = any("reached level **1**" in m.content for m in guild.bot_messages(levels))
        return announced and "Bronze" in alice.role_names

    await eventually(delivered, within=20)
