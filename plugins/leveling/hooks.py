"""Core hooks: start the XP flusher and the voice job at startup, flush at shutdown, privacy."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from guildkit.core.hookspecs import hookimpl

from . import effects, service
from .service import Engine

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

#: One engine per running bot (tests restart bots in one process).
ENGINES: dict[int, Engine] = {}


def engine(runtime: Runtime) -> Engine:
    found = ENGINES.get(id(runtime))
    if found is None:
        found = ENGINES[id(runtime)] = _new_engine(runtime)
    return found


def _new_engine(runtime: Runtime) -> Engine:
    async def settings(guild_id: int) -> Any:
        return await runtime.settings.get(guild_id, "leveling")

    new = Engine(settings)

    async def on_result(result: service.FlushResult) -> None:
        await effects.apply(runtime, result)

    async def on_curve_change(guild_id: int) -> None:
        await schedule_recompute(runtime, guild_id, roles=True)

    new.on_result = on_result
    new.on_curve_change = on_curve_change
    return new


async def schedule_recompute(runtime: Runtime, guild_id: int, *, roles: bool) -> None:
    """Recompute a guild's levels (and level roles) in the background, as a scheduler job."""
    from guildkit.core import clock

    await runtime.scheduler.schedule(
        "leveling", "recompute", clock.now(), guild_id=guild_id, payload={"guild_id": guild_id, "roles": roles}
    )


@hookimpl
async def guildkit_startup(runtime: Runtime) -> None:
    running = engine(runtime)
    await running.load_boosts()
    running.start()
    await runtime.scheduler.schedule("leveling", "voice", key="leveling:voice", every=timedelta(minutes=1))


@hookimpl
async def guildkit_shutdown(runtime: Runtime) -> None:
    running = ENGINES.pop(id(runtime), None)
    if running is not None:
        await running.stop()


@hookimpl
async def user_data_export(runtime: Runtime, user_id: int) -> dict[str, Any] | None:
    await engine(runtime).flush()
    return await service.export_user(user_id)


@hookimpl
async def user_data_delete(runtime: Runtime, user_id: int) -> None:
    running = engine(runtime)
    await running.flush()
    for key in [k for k in running.buffer if k[1] == user_id]:
        running.buffer.pop(key, None)
    await service.delete_user(user_id)
