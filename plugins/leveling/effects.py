"""What follows a durable change: level roles, announcements, the domain hooks and the economy's
level-up reward. Kept apart from ``service/`` because it talks to Discord and other plugins."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import interactions

from guildkit.core import ipy
from guildkit.core.state import PluginUnavailable
from guildkit.plugins.economy.api import EconomyAPI

from . import service
from .service import Completion, FlushResult, LevelChange

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

    from .state import LevelingState

log = logging.getLogger("guildkit.leveling")


async def apply(state: LevelingState, result: FlushResult) -> None:
    """Fire hooks and pay level-ups, then sync roles and announce; one member's Discord error
    never stops the rest."""
    runtime = state.runtime
    awarded = result.awarded if _implemented(runtime, "leveling_xp_awarded") else ()
    for guild_id, user_id, amount, total in awarded:
        await runtime.hooks.call(
            "leveling_xp_awarded", guild_id=guild_id, runtime=runtime, user_id=user_id, amount=amount, total_xp=total
        )
    roles_by_guild: dict[int, list[Any]] = {}
    outbox = Outbox()
    for change in result.levels:
        await runtime.hooks.call(
            "leveling_level_changed",
            guild_id=change.guild_id,
            runtime=runtime,
            user_id=change.user_id,
            old_level=change.old_level,
            new_level=change.new_level,
        )
        await reward_level_up(state, change)
        try:
            if change.guild_id not in roles_by_guild:
                roles_by_guild[change.guild_id] = await service.level_roles(change.guild_id)
            await sync_roles(state, change.guild_id, change.user_id, roles_by_guild[change.guild_id])
        except Exception:
            log.warning("could not update level roles of %s in %s", change.user_id, change.guild_id, exc_info=True)
        if change.announce and change.new_level > change.old_level:
            try:
                await announce_level(runtime, change, outbox)
            except Exception:
                log.warning("could not announce a level-up in %s", change.guild_id, exc_info=True)
    for done in result.completions:
        hook = "leveling_quest_completed" if done.kind == "quest" else "leveling_achievement_earned"
        key = "quest" if done.kind == "quest" else "achievement"
        await runtime.hooks.call(
            hook,
            guild_id=done.guild_id,
            runtime=runtime,
            user_id=done.user_id,
            **{f"{key}_id": done.item_id, f"{key}_name": done.name},
        )
        try:
            await announce_completion(runtime, done, outbox)
        except Exception:
            log.warning("could not announce a %s in %s", done.kind, done.guild_id, exc_info=True)
    await outbox.send()


async def reward_level_up(state: LevelingState, change: LevelChange) -> None:
    """Coins for the levels gained, through economy's API (it pays each level once, whatever
    repeats). Economy not loaded or off in the guild: no payout."""
    if change.new_level <= change.old_level:
        return
    try:
        await state.api(EconomyAPI).reward_level_up(change.guild_id, change.user_id, change.old_level, change.new_level)
    except PluginUnavailable:
        return
    except Exception:
        log.warning("could not pay the level-up of %s in %s", change.user_id, change.guild_id, exc_info=True)


class Outbox:
    """Announcements of one flush, grouped per channel: many level-ups in one channel become a few
    messages of up to 20 lines each (one REST call per message, and less noise), DMs stay single."""

    MAX_LINES = 20
    MAX_CHARS = 1900

    def __init__(self) -> None:
        self.pending: dict[tuple[str, int], tuple[Any, list[tuple[str, int]]]] = {}

    def add(self, target: Any, text: str, user_id: int) -> None:
        key = ("dm" if isinstance(target, interactions.BaseUser) else "channel", int(target.id))
        self.pending.setdefault(key, (target, []))[1].append((text, user_id))

    async def send(self) -> None:
        for (kind, _), (target, lines) in self.pending.items():
            chunks: list[list[tuple[str, int]]] = [[]]
            for line in lines:
                current = chunks[-1]
                size = sum(len(text) + 1 for text, _ in current) + len(line[0])
                if current and (kind == "dm" or len(current) >= self.MAX_LINES or size > self.MAX_CHARS):
                    chunks.append(current := [])
                current.append(line)
            for chunk in chunks:
                try:
                    await target.send(
                        "\n".join(text[: self.MAX_CHARS] for text, _ in chunk),
                        allowed_mentions={"users": list(dict.fromkeys(user for _, user in chunk))},
                    )
                except Exception:
                    log.warning("could not post leveling announcements to %s %s", kind, target.id, exc_info=True)


def _implemented(runtime: Runtime, hook: str) -> bool:
    """Whether any plugin implements ``hook`` (a flush of 1,000 members skips 1,000 empty calls)."""
    caller = getattr(runtime.hooks.manager.hook, hook, None)
    return caller is not None and bool(caller.get_hookimpls())


async def sync_roles(state: LevelingState, guild_id: int, user_id: int, roles: list[Any] | None = None) -> None:
    """Give and take the member's level roles for their stored level. One member's syncs run one at
    a time and read the level inside, so a slow background recompute cannot undo a newer level."""
    runtime = state.runtime
    if roles is None:
        roles = await service.level_roles(guild_id)
    if not roles or runtime.client is None:
        return
    async with state.role_lock(guild_id, user_id):
        level = await service.stored_level(guild_id, user_id)
        want, drop = service.roles_for_level(roles, level)
        member = await runtime.client.fetch_member(user_id, guild_id)
        if member is None:
            return
        have = set(ipy.role_ids_of(member))
        add, remove = want - have, drop & have
        reason = f"level {level}"
        for role_id in sorted(add):
            await member.add_role(role_id, reason=reason)
        for role_id in sorted(remove):
            await member.remove_role(role_id, reason=reason)


async def _target(runtime: Runtime, settings: Any, guild_id: int, user_id: int, channel_id: int | None) -> Any:
    client = runtime.client
    if client is None or settings.announce == "off":
        return None
    if settings.announce == "dm":
        user = await client.fetch_user(user_id)
        return user
    if settings.announce == "channel" and settings.announce_channel_id:
        channel_id = settings.announce_channel_id
    if channel_id is None:
        return None
    return await client.fetch_channel(channel_id)


async def announce_level(runtime: Runtime, change: LevelChange, outbox: Outbox) -> None:
    settings = await runtime.settings.get(change.guild_id, "leveling")
    if change.new_level % settings.announce_every:
        return
    target = await _target(runtime, settings, change.guild_id, change.user_id, change.channel_id)
    if target is None:
        return
    guild = runtime.client.get_guild(change.guild_id) if runtime.client else None
    member = guild.get_member(change.user_id) if guild else None
    text = render(
        settings.level_up_message,
        mention=f"<@{change.user_id}>",
        user=member.display_name if member else str(change.user_id),
        level=change.new_level,
        old_level=change.old_level,
        xp=change.xp,
        server=guild.name if guild else "",
    )
    outbox.add(target, text, change.user_id)


async def announce_completion(runtime: Runtime, done: Completion, outbox: Outbox) -> None:
    settings = await runtime.settings.get(done.guild_id, "leveling")
    target = await _target(runtime, settings, done.guild_id, done.user_id, done.channel_id)
    if target is None:
        return
    what = "completed the quest" if done.kind == "quest" else "earned the achievement"
    reward = f" (+{done.reward_xp} XP)" if done.reward_xp else ""
    outbox.add(target, f"🏅 <@{done.user_id}> {what} **{done.name}**{reward}!", done.user_id)


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, **values: Any) -> str:
    try:
        return template.format_map(_SafeDict(values))
    except (ValueError, IndexError, AttributeError):
        return template
