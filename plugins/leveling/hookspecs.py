"""Hooks the leveling plugin offers to other plugins (economy pays coins on level-up, ...).

Each is called with ``guild_id``, so it reaches only plugins enabled in that guild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guildkit.core.hookspecs import hookspec

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime


@hookspec
def leveling_xp_awarded(runtime: Runtime, guild_id: int, user_id: int, amount: int, total_xp: int) -> None:
    """Fires after XP a member earned (messages, voice, rewards, an admin's /xp add) is durable:
    once per member per flush, ``amount`` being what that flush added and ``total_xp`` the stored
    total in the guild afterwards."""


@hookspec
def leveling_level_changed(runtime: Runtime, guild_id: int, user_id: int, old_level: int, new_level: int) -> None:
    """Fires once per level change of a member, after the new level is durable: level-ups,
    demotions (admin /xp remove|set|reset, a curve change recompute) and restores."""


@hookspec
def leveling_quest_completed(runtime: Runtime, guild_id: int, user_id: int, quest_id: int, quest_name: str) -> None:
    """Fires once when a member completes a quest in its current period (daily/weekly/monthly/once),
    after the completion is stored and its XP reward is queued."""


@hookspec
def leveling_achievement_earned(
    runtime: Runtime, guild_id: int, user_id: int, achievement_id: int, achievement_name: str
) -> None:
    """Fires once ever per member and achievement, after it is stored."""
