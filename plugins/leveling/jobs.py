"""Scheduled work: voice XP every minute, guild-wide recomputes in the background, and the level
roles and announcements stored with each level change."""

from __future__ import annotations

from datetime import timedelta

from guildkit.core import ipy
from guildkit.core.runtime import shard_of
from guildkit.core.scheduler import JobContext, JobKind

from . import effects, service
from .curve import Curve
from .models import Member
from .service import FlushResult
from .state import LevelingState


async def voice_minute(ctx: JobContext) -> None:
    """One minute of voice for every member in voice who is not muted, deafened, a bot or alone."""
    runtime = ctx.runtime
    client = runtime.client
    if client is None:
        return
    channels: dict[tuple[int, int], list[int]] = {}
    for state in list(client.cache.voice_state_cache.values()):
        guild_id, channel_id = ipy.guild_id_of(state), ipy.channel_id_of(state)
        if not guild_id or not channel_id:
            continue
        # One job runs per shard; a process owning several shards counts each guild only in its own.
        if ctx.shard is not None and shard_of(guild_id, runtime.shard_count()) != ctx.shard:
            continue
        user_id = ipy.voice_member_id(state)
        user = client.cache.get_user(user_id)
        if user is not None and user.bot:
            continue
        if state.self_mute or state.self_deaf or state.mute or state.deaf:
            continue
        channels.setdefault((guild_id, channel_id), []).append(user_id)
    engine = runtime.state(LevelingState).engine
    for (guild_id, _channel_id), users in channels.items():
        if len(users) < 2 or not await runtime.flags.is_enabled(guild_id, "leveling"):
            continue
        settings = await runtime.settings.get(guild_id, "leveling")
        for user_id in users:
            engine.count(guild_id, user_id, "voice_seconds", 60, xp=settings.voice_xp_per_minute)


async def recompute(ctx: JobContext) -> None:
    """Levels (after a curve change) and level roles (after a level role change) for a whole guild."""
    runtime = ctx.runtime
    state = runtime.state(LevelingState)
    guild_id = int(ctx.payload["guild_id"])
    await state.flush_guild(guild_id)
    settings = await state.settings(guild_id)
    await state.engine.record_curve(guild_id, service.curve_signature(settings))
    changes = await service.recompute_levels(guild_id, Curve.of(settings), dry_run=False)
    await effects.apply(state, FlushResult(levels=changes))  # hooks and level-up pay
    roles = await service.level_roles(guild_id)
    if not roles:
        return
    user_ids = [c.user_id for c in changes]
    if ctx.payload.get("roles"):
        user_ids += await Member.filter(guild_id=guild_id, left_at=None).values_list("user_id", flat=True)
    for user_id in dict.fromkeys(user_ids):
        try:
            await effects.sync_roles(state, guild_id, user_id, roles)
        except Exception:
            effects.log.warning("could not sync roles of %s", user_id, exc_info=True)


async def level_effects(ctx: JobContext) -> None:
    """The level roles and level-up announcements stored with level changes (effects.deliver)."""
    state = ctx.runtime.state(LevelingState)
    assert ctx.guild_id is not None
    changes = [effects.change_from_payload(ctx.guild_id, row) for row in ctx.payload["changes"]]
    await effects.deliver(state, ctx.guild_id, changes, ctx.nonce)


KINDS = (
    # Voice states are only in the gateway cache of the process that owns the guild's shard.
    JobKind("voice", voice_minute, skip_if_late=timedelta(minutes=5), max_attempts=1, shard_local=True),
    JobKind("recompute", recompute, max_attempts=3, lease=timedelta(minutes=10)),
    # Retried on 5xx and network errors (5 s, 10 s, 20 s ... about 10 minutes in all); a 403 or a
    # role refused by the role check ends it at once (said in the announcement channel).
    JobKind("level_effects", level_effects, max_attempts=8, retry_backoff=timedelta(seconds=5)),
)
